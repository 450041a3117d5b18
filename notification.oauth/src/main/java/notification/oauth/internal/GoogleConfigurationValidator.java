package notification.oauth.internal;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import notification.api.transport.TransportConfigurationValidator;
import org.osgi.service.component.annotations.Component;

/**
 * Checks a proposed Gmail / Google Workspace configuration for the console, every problem at once, including Google's
 * rules metatype cannot say: an OAuth client ID of Google's form, and "http only for localhost" redirect URIs.
 */
@Component(property = TransportConfigurationValidator.FACTORY_PID + "=notification.oauth.google")
public final class GoogleConfigurationValidator implements TransportConfigurationValidator {
    private static final String MAILBOX = "[^@\\s<>]+@[^@\\s<>]+\\.[^@\\s<>]+";

    /** Creates the validator. */
    public GoogleConfigurationValidator() {
    }

    @Override
    public Map<String, String> problems(Map<String, Object> properties) {
        Map<String, String> problems = new LinkedHashMap<>();
        String protocol = text(properties, "protocol", "smtp");
        if (!protocol.equals("smtp") && !protocol.equals("api")) {
            problems.put("protocol", "must be smtp or api");
        }
        String clientId = text(properties, "clientId", "");
        if (clientId.isEmpty()) {
            problems.put("clientId", "is required: the Client ID of an OAuth client of type Web application (Google "
                    + "Cloud console > APIs & Services > Credentials)");
        } else if (!clientId.endsWith(".apps.googleusercontent.com")) {
            problems.put("clientId", "must be a Google OAuth client ID, ending in .apps.googleusercontent.com");
        }
        if (text(properties, "clientSecret", "").isEmpty()) {
            problems.put("clientSecret", "is required: the OAuth client's Client secret");
        }
        String username = text(properties, "username", "");
        if (username.isEmpty()) {
            problems.put("username", "is required: the Gmail or Google Workspace mailbox notifications are sent from");
        } else if (!username.matches(MAILBOX)) {
            problems.put("username", "must be a mailbox address such as scanner@example.com");
        }
        String redirectUri = text(properties, "redirectUri", "");
        if (!redirectUri.isEmpty()) {
            redirectUriProblem(redirectUri).ifPresent(p -> problems.put("redirectUri", p));
        }
        for (String key : new String[] {"authorizationUrl", "tokenUrl", "apiUrl"}) {
            String url = text(properties, key, "");
            if (!url.isEmpty() && !url.toLowerCase(Locale.ROOT).startsWith("https://")) {
                problems.put(key, "must be an https address");
            }
        }
        String tokenKey = text(properties, "tokenKey", "");
        if (!tokenKey.startsWith("$[")) { // a reference is checked once resolved, by the transport
            TokenKey.problem(tokenKey).ifPresent(p -> problems.put("tokenKey", p.substring("tokenKey ".length())));
        }
        return problems;
    }

    /**
     * Checks a redirect URI against Google's rule for web clients: https, or http for localhost only.
     *
     * @param value the redirect URI, not empty
     * @return the problem, if any
     */
    static java.util.Optional<String> redirectUriProblem(String value) {
        URI uri;
        try {
            uri = URI.create(value);
        } catch (IllegalArgumentException e) {
            return java.util.Optional.of("must be an address such as http://localhost:9191/google-oauth2-callback");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!(scheme.equals("http") || scheme.equals("https")) || uri.getHost() == null) {
            return java.util.Optional.of("must be an address such as http://localhost:9191/google-oauth2-callback");
        }
        if (scheme.equals("http") && !uri.getHost().equalsIgnoreCase("localhost")
                && !uri.getHost().equals("127.0.0.1")) {
            return java.util.Optional.of("must use https, or http with localhost: Google accepts http only for "
                    + "localhost. Open the console at localhost, or enable the HTTPS listener and write its https "
                    + "address");
        }
        return java.util.Optional.empty();
    }

    private static String text(Map<String, Object> properties, String key, String fallback) {
        Object value = properties.get(key);
        String text = value == null ? "" : value.toString().trim();
        return text.isEmpty() ? fallback : text;
    }
}
