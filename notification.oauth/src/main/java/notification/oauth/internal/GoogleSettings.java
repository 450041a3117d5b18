package notification.oauth.internal;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import javax.net.ssl.SSLContext;

/**
 * The checked configuration of one Gmail / Google Workspace transport: every value parsed, every problem named. Never
 * prints the client secret.
 */
final class GoogleSettings {

    /** How messages are submitted. */
    enum Protocol { SMTP, API }

    /** The scopes asked for: Gmail (SMTP and the API's send), and the id token's email claim. */
    static final String SCOPES = "https://mail.google.com/ openid email";
    /** Google's issuer, as the id token names it (with or without the scheme). */
    static final Set<String> GOOGLE_ISSUERS = Set.of("https://accounts.google.com", "accounts.google.com");
    static final String GOOGLE_AUTHORIZATION_URL = "https://accounts.google.com/o/oauth2/v2/auth";

    final String name;
    final String clientId;
    final String clientSecret;
    final String username;
    final String redirectUri;
    final Protocol protocol;
    final String authorizationUrl;
    final String tokenUrl;
    final String smtpHost;
    final int smtpPort;
    final String apiUrl;
    final SSLContext tls;
    final Duration connectTimeout;
    final Duration readTimeout;
    final int maxConnections;
    final int messagesPerDay;
    final int recipientsPerMessage;
    final int recipientsPerDay;
    final long maxMessageSize;
    final Duration keepAlive;
    /** The administrator's key for a sign-in shared in the database, or empty (never printed). */
    final String tokenKey;
    final List<String> problems;

    GoogleSettings(String name, GoogleTransportConfiguration config) {
        List<String> found = new ArrayList<>();
        this.name = name;
        this.clientId = required(config.clientId(), "clientId", "enter the Client ID of the OAuth client (type Web "
                + "application) from Google Cloud console > APIs & Services > Credentials", found);
        this.clientSecret = config.clientSecret() == null ? "" : config.clientSecret().trim();
        if (clientSecret.isEmpty()) {
            found.add("clientSecret is empty: enter the OAuth client's Client secret");
        } else if (clientSecret.startsWith("$[")) {
            found.add("clientSecret was not resolved: the placeholder " + clientSecret.replaceAll("[:].*", ":...]")
                    + " names a secret that does not exist");
        }
        this.tokenKey = config.tokenKey() == null ? "" : config.tokenKey().strip();
        TokenKey.problem(tokenKey).ifPresent(found::add);
        this.username = required(config.username(), "username", "enter the sending mailbox's address", found);
        if (!username.isEmpty() && !username.matches("[^@\\s]+@[^@\\s]+\\.[^@\\s]+")) {
            found.add("username '" + username + "' is not a mailbox address");
        }
        this.redirectUri = url(config.redirectUri(), "redirectUri", Set.of("http", "https"), found);
        this.protocol = protocol(config.protocol(), found);
        this.authorizationUrl = url(config.authorizationUrl(), "authorizationUrl", Set.of("https"), found);
        this.tokenUrl = url(config.tokenUrl(), "tokenUrl", Set.of("https"), found);
        this.apiUrl = stripSlash(url(config.apiUrl(), "apiUrl", Set.of("https"), found));
        this.smtpHost = required(config.smtpHost(), "smtpHost", "enter smtp.gmail.com", found);
        this.smtpPort = config.smtpPort();
        if (smtpPort < 1 || smtpPort > 65535) {
            found.add("smtpPort " + smtpPort + " is not a port");
        }
        this.tls = TrustStores.context(config.trustStore(), config.trustStorePassword(), found);
        this.connectTimeout = Duration.ofSeconds(Math.max(1, config.connectTimeoutSeconds()));
        this.readTimeout = Duration.ofSeconds(Math.max(1, config.readTimeoutSeconds()));
        this.maxConnections = config.maxConnections() > 0 ? config.maxConnections() : 3;
        this.messagesPerDay = Math.max(0, config.messagesPerDay());
        this.recipientsPerMessage = Math.max(0, config.recipientsPerMessage());
        this.recipientsPerDay = Math.max(0, config.recipientsPerDay());
        this.maxMessageSize = Math.max(0, config.maxMessageSize());
        this.keepAlive = Duration.ofHours(Math.max(0, config.keepAliveHours()));
        this.problems = List.copyOf(found);
    }

    boolean complete() {
        return problems.isEmpty();
    }

    /** @return the issuers an id token may name: Google's, or the origin of a test or proxy endpoint */
    Set<String> issuers() {
        if (authorizationUrl.equals(GOOGLE_AUTHORIZATION_URL)) {
            return GOOGLE_ISSUERS;
        }
        URI uri = URI.create(authorizationUrl);
        return Set.of(uri.getScheme() + "://" + uri.getRawAuthority());
    }

    private static String required(String value, String key, String fix, List<String> problems) {
        String trimmed = value == null ? "" : value.trim();
        if (trimmed.isEmpty()) {
            problems.add(key + " is empty: " + fix);
        }
        return trimmed;
    }

    private static String url(String value, String key, Set<String> schemes, List<String> problems) {
        String trimmed = value == null ? "" : value.trim();
        try {
            URI uri = URI.create(trimmed);
            if (!schemes.contains(String.valueOf(uri.getScheme()).toLowerCase(Locale.ROOT)) || uri.getHost() == null) {
                problems.add(key + " '" + trimmed + "' must be an absolute " + String.join(" or ", schemes) + " URL");
            }
        } catch (IllegalArgumentException e) {
            problems.add(key + " '" + trimmed + "' is not a URL");
        }
        return trimmed;
    }

    private static String stripSlash(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }

    private static Protocol protocol(String value, List<String> problems) {
        String v = value == null ? "" : value.trim().toUpperCase(Locale.ROOT);
        try {
            return Protocol.valueOf(v);
        } catch (IllegalArgumentException e) {
            problems.add("protocol '" + value + "' is unknown: use smtp or api");
            return Protocol.SMTP;
        }
    }

    @Override
    public String toString() {
        return "Google transport " + name + " (" + username + ", " + protocol + ")";
    }
}
