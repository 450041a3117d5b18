package notification.oauth.internal;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import notification.api.transport.TransportConfigurationValidator;
import org.osgi.service.component.annotations.Component;

/**
 * Checks a proposed Microsoft 365 configuration for the console, every problem at once, including the rules metatype
 * cannot say: what delegated sign-in and a Custom cloud require, and Microsoft's "http only for localhost".
 */
@Component(property = TransportConfigurationValidator.FACTORY_PID + "=notification.oauth.microsoft")
public final class MicrosoftConfigurationValidator implements TransportConfigurationValidator {
    private static final Set<String> CLOUDS = Set.of("global", "usgov-gcchigh", "usgov-dod", "china", "custom");
    private static final String MAILBOX = "[^@\\s<>]+@[^@\\s<>]+\\.[^@\\s<>]+";

    /** Creates the validator. */
    public MicrosoftConfigurationValidator() {
    }

    @Override
    public Map<String, String> problems(Map<String, Object> properties) {
        Map<String, String> problems = new LinkedHashMap<>();
        String cloud = text(properties, "cloud", "global");
        if (!CLOUDS.contains(cloud)) {
            problems.put("cloud", "must be global, usgov-gcchigh, usgov-dod, china or custom");
        }
        String protocol = text(properties, "protocol", "smtp");
        if (!protocol.equals("smtp") && !protocol.equals("graph")) {
            problems.put("protocol", "must be smtp or graph");
        }
        String mode = text(properties, "authMode", "delegated");
        if (!mode.equals("delegated") && !mode.equals("app")) {
            problems.put("authMode", "must be delegated or app");
        }
        require(properties, "tenantId", "is required: the Directory (tenant) ID from the app registration's Overview",
                problems);
        require(properties, "clientId", "is required: the Application (client) ID from the app registration's"
                + " Overview", problems);
        require(properties, "clientSecret", "is required: the Value of a client secret (Certificates & secrets),"
                + " not its Secret ID", problems);
        String username = text(properties, "username", "");
        if (username.isEmpty()) {
            problems.put("username", "is required: the mailbox notifications are sent from");
        } else if (!username.matches(MAILBOX)) {
            problems.put("username", "must be a mailbox address such as scanner@contoso.com");
        }
        String redirectUri = text(properties, "redirectUri", "");
        if (mode.equals("delegated") && !redirectUri.isEmpty()) {
            redirectUriProblem(redirectUri).ifPresent(p -> problems.put("redirectUri", p));
        }
        if (cloud.equals("custom")) {
            require(properties, "authorityUrl", "is required for a Custom cloud", problems);
            if (protocol.equals("graph")) {
                require(properties, "graphUrl", "is required for Microsoft Graph in a Custom cloud", problems);
                require(properties, "graphScope", "is required for Microsoft Graph in a Custom cloud", problems);
            } else {
                require(properties, "smtpHost", "is required for SMTP in a Custom cloud", problems);
                require(properties, "smtpScope", "is required for SMTP in a Custom cloud", problems);
            }
        }
        String tokenKey = text(properties, "tokenKey", "");
        if (!tokenKey.startsWith("$[")) { // a reference is checked once resolved, by the transport
            TokenKey.problem(tokenKey).ifPresent(p -> problems.put("tokenKey", p.substring("tokenKey ".length())));
        }
        return problems;
    }

    /**
     * Checks a redirect URI against Microsoft's rule for web apps: https, or http for localhost only.
     *
     * @param value the redirect URI, not empty (an absent one means the metatype's default)
     * @return the problem, if any
     */
    static java.util.Optional<String> redirectUriProblem(String value) {
        URI uri;
        try {
            uri = URI.create(value);
        } catch (IllegalArgumentException e) {
            return java.util.Optional.of("must be an address such as http://localhost:9191/azure-oauth2-callback");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!(scheme.equals("http") || scheme.equals("https")) || uri.getHost() == null) {
            return java.util.Optional.of("must be an address such as http://localhost:9191/azure-oauth2-callback");
        }
        if (scheme.equals("http") && !uri.getHost().equalsIgnoreCase("localhost")) {
            String port = uri.getPort() < 0 ? "" : ":" + uri.getPort();
            return java.util.Optional.of("must use https, or http with localhost: Microsoft accepts http only for"
                    + " localhost. Write http://localhost" + port + (uri.getRawPath() == null ? "" : uri.getRawPath())
                    + " and open the console at localhost, or enable the HTTPS listener and write its https address");
        }
        return java.util.Optional.empty();
    }

    private static void require(Map<String, Object> properties, String key, String problem,
            Map<String, String> problems) {
        if (text(properties, key, "").isEmpty()) {
            problems.put(key, problem);
        }
    }

    private static String text(Map<String, Object> properties, String key, String fallback) {
        Object value = properties.get(key);
        String text = value == null ? "" : value.toString().trim();
        return text.isEmpty() ? fallback : text;
    }
}
