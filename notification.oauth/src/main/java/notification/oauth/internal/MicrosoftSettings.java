package notification.oauth.internal;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import javax.net.ssl.SSLContext;
import notification.api.transport.TransportLimits;

/**
 * The checked configuration of one Microsoft 365 transport: every value parsed, every problem named. Never prints the
 * client secret.
 */
final class MicrosoftSettings {

    /** How messages are submitted. */
    enum Protocol { SMTP, GRAPH }

    final String name;
    final CloudEndpoints cloud;
    /** The {@code cloud} and {@code tenantId} keys as configured, for the tokens' binding. */
    final String cloudName;
    final String tenantId;
    final String clientId;
    final String clientSecret;
    final SecretExpiry secretExpires;
    final String username;
    final String redirectUri;
    final Protocol protocol;
    final boolean appOnly;
    final SSLContext tls;
    final Duration connectTimeout;
    final Duration readTimeout;
    final TransportLimits limits;
    final Duration keepAlive;
    final Duration throttleBackoff;
    /** The administrator's key for a sign-in shared in the database, or empty (never printed). */
    final String tokenKey;
    final List<String> problems;

    MicrosoftSettings(String name, MicrosoftTransportConfiguration config) {
        List<String> found = new ArrayList<>();
        this.name = name;
        this.cloud = CloudEndpoints.of(config, found);
        this.cloudName = config.cloud().trim().toLowerCase(Locale.ROOT);
        this.tenantId = config.tenantId().trim();
        this.clientId = required(config.clientId(), "clientId",
                "enter the Application (client) ID from the app registration's Overview", found);
        this.clientSecret = config.clientSecret() == null ? "" : config.clientSecret().trim();
        if (clientSecret.isEmpty()) {
            found.add("clientSecret is empty: enter the Value of a client secret (Certificates & secrets)");
        } else if (clientSecret.startsWith("$[")) {
            found.add("clientSecret was not resolved: the placeholder " + clientSecret.replaceAll("[:].*", ":...]")
                    + " names a secret that does not exist");
        }
        this.tokenKey = config.tokenKey() == null ? "" : config.tokenKey().strip();
        TokenKey.problem(tokenKey).ifPresent(found::add);
        this.secretExpires = new SecretExpiry(config.secretExpires());
        this.username = required(config.username(), "username", "enter the sending mailbox's address", found);
        if (!username.isEmpty() && !username.matches("[^@\\s]+@[^@\\s]+\\.[^@\\s]+")) {
            found.add("username '" + username + "' is not a mailbox address");
        }
        this.redirectUri = config.redirectUri().trim();
        try {
            URI uri = URI.create(redirectUri);
            if (!Set.of("http", "https").contains(uri.getScheme()) || uri.getHost() == null) {
                found.add("redirectUri '" + redirectUri + "' must be an absolute http(s) URL");
            }
        } catch (IllegalArgumentException e) {
            found.add("redirectUri '" + redirectUri + "' is not a URL");
        }
        this.protocol = parse(config.protocol(), "protocol", Protocol.SMTP, found);
        String mode = config.authMode().trim().toLowerCase(Locale.ROOT);
        if (!mode.equals("delegated") && !mode.equals("app")) {
            found.add("authMode '" + config.authMode() + "' is unknown: use delegated or app");
        }
        this.appOnly = mode.equals("app");
        if (cloud != null && config.cloud().trim().equalsIgnoreCase("custom")) {
            if (protocol == Protocol.SMTP) {
                required(cloud.smtpHost(), "smtpHost", "the custom cloud needs the SMTP host", found);
                required(cloud.smtpScope(), "smtpScope", "the custom cloud needs the SMTP scope", found);
            } else {
                required(cloud.graphUrl(), "graphUrl", "the custom cloud needs the Graph root", found);
                required(cloud.graphScope(), "graphScope", "the custom cloud needs the Graph scope", found);
            }
        }
        this.tls = TrustStores.context(config.trustStore(), config.trustStorePassword(), found);
        this.connectTimeout = Duration.ofSeconds(Math.max(1, config.connectTimeoutSeconds()));
        this.readTimeout = Duration.ofSeconds(Math.max(1, config.readTimeoutSeconds()));
        int connections = config.maxConnections() > 0 ? config.maxConnections() : protocol == Protocol.GRAPH ? 4 : 3;
        this.limits = new TransportLimits(connections, Math.max(0, config.messagesPerMinute()),
                Math.max(0, config.recipientsPerDay()), Math.max(0, config.maxMessageSize()));
        this.keepAlive = Duration.ofHours(Math.max(0, config.keepAliveHours()));
        this.throttleBackoff = Duration.ofSeconds(Math.max(1, config.throttleBackoffSeconds()));
        this.problems = List.copyOf(found);
    }

    /** @return the scopes a token must carry for this transport's protocol and mode */
    Set<String> scopes() {
        if (protocol == Protocol.GRAPH) {
            return Set.of(appOnly ? cloud.graphAppScope() : cloud.graphScope());
        }
        return Set.of(appOnly ? cloud.smtpAppScope() : cloud.smtpScope());
    }

    boolean complete() {
        return problems.isEmpty();
    }

    private static String required(String value, String key, String fix, List<String> problems) {
        String trimmed = value == null ? "" : value.trim();
        if (trimmed.isEmpty()) {
            problems.add(key + " is empty: " + fix);
        }
        return trimmed;
    }

    private static Protocol parse(String value, String key, Protocol fallback, List<String> problems) {
        try {
            return Protocol.valueOf(value.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            problems.add(key + " '" + value + "' is unknown: use smtp or graph");
            return fallback;
        }
    }

    @Override
    public String toString() {
        return "Microsoft 365 transport " + name + " (" + username + ", " + protocol + (appOnly ? ", app-only" : "")
                + ")";
    }
}
