package notification.smtp;

import java.time.Duration;
import java.util.Objects;
import javax.net.ssl.SSLSocketFactory;

/**
 * One SMTP server as the engine talks to it: address, security, timeouts, trust, connections and authentication.
 * Values are taken as they are (the transports check their configuration); its string form never shows a secret.
 */
public final class SmtpServer {
    final String host;
    final int port;
    final SmtpSecurity security;
    final int connectTimeoutMs;
    final int readTimeoutMs;
    final int writeTimeoutMs;
    final String tlsProtocols;
    final SSLSocketFactory socketFactory;
    final int maxConnections;
    final SmtpAuthentication authentication;
    final Duration idleTimeout;
    final Duration maxConnectionAge;
    final SmtpBudget budget;

    private SmtpServer(Builder b) {
        this.host = b.host;
        this.port = b.port == 0 ? b.security.defaultPort() : b.port;
        this.security = b.security;
        this.connectTimeoutMs = b.connectTimeoutMs;
        this.readTimeoutMs = b.readTimeoutMs;
        this.writeTimeoutMs = b.writeTimeoutMs;
        this.tlsProtocols = b.tlsProtocols;
        this.socketFactory = b.socketFactory;
        this.maxConnections = b.maxConnections;
        this.authentication = b.authentication;
        this.idleTimeout = b.idleTimeout;
        this.maxConnectionAge = b.maxConnectionAge;
        this.budget = b.budget;
    }

    /**
     * Starts describing a server.
     *
     * @param host the host name or address
     * @param port the port; 0 for the usual port of the security
     * @param security how the connection is protected
     * @return the builder
     */
    public static Builder builder(String host, int port, SmtpSecurity security) {
        return new Builder(host, port, security);
    }

    /**
     * Returns the host.
     *
     * @return the host name or address
     */
    public String host() {
        return host;
    }

    /**
     * Returns the port.
     *
     * @return the port in use (the usual one when 0 was given)
     */
    public int port() {
        return port;
    }

    /**
     * Returns the security.
     *
     * @return the security
     */
    public SmtpSecurity security() {
        return security;
    }

    /**
     * Returns the most connections open at once.
     *
     * @return the connection limit
     */
    public int maxConnections() {
        return maxConnections;
    }

    /**
     * Returns the authentication.
     *
     * @return the authentication
     */
    public SmtpAuthentication authentication() {
        return authentication;
    }

    /**
     * Describes the server.
     *
     * @return for example "smtp.example.com:587 (STARTTLS)"
     */
    public String describe() {
        return host + ":" + port + " (" + switch (security) {
            case NONE -> "no encryption";
            case STARTTLS -> "STARTTLS";
            case TLS -> "implicit TLS";
        } + ")";
    }

    @Override
    public String toString() {
        return describe() + ", " + authentication;
    }

    /** Collects the values of a {@link SmtpServer}. */
    public static final class Builder {
        private final String host;
        private final int port;
        private final SmtpSecurity security;
        private int connectTimeoutMs = 10_000;
        private int readTimeoutMs = 30_000;
        private int writeTimeoutMs = 30_000;
        private String tlsProtocols = "TLSv1.2 TLSv1.3";
        private SSLSocketFactory socketFactory;
        private int maxConnections = 4;
        private SmtpAuthentication authentication = SmtpAuthentication.none();
        private Duration idleTimeout = Duration.ofSeconds(30);
        private Duration maxConnectionAge;
        private SmtpBudget budget;

        private Builder(String host, int port, SmtpSecurity security) {
            this.host = Objects.requireNonNull(host, "host");
            this.security = Objects.requireNonNull(security, "security");
            if (port < 0 || port > 65_535) {
                throw new IllegalArgumentException("port " + port);
            }
            this.port = port;
        }

        /**
         * Sets the timeouts; none is infinite (defaults 10, 30 and 30 seconds).
         *
         * @param connectMs for a connection
         * @param readMs for each reply
         * @param writeMs for each write
         * @return this builder
         */
        public Builder timeouts(int connectMs, int readMs, int writeMs) {
            if (connectMs <= 0 || readMs <= 0 || writeMs <= 0) {
                throw new IllegalArgumentException("a timeout is never infinite");
            }
            this.connectTimeoutMs = connectMs;
            this.readTimeoutMs = readMs;
            this.writeTimeoutMs = writeMs;
            return this;
        }

        /**
         * Sets the TLS versions allowed (default "TLSv1.2 TLSv1.3").
         *
         * @param protocols separated by spaces
         * @return this builder
         */
        public Builder tlsProtocols(String protocols) {
            this.tlsProtocols = Objects.requireNonNull(protocols);
            return this;
        }

        /**
         * Sets the TLS socket factory that decides which certificates are trusted (see {@link SmtpTrustStore}).
         *
         * @param factory the factory, or {@code null} for Java's default trust
         * @return this builder
         */
        public Builder trust(SSLSocketFactory factory) {
            this.socketFactory = factory;
            return this;
        }

        /**
         * Sets the most connections open at once, each reused across messages (default 4).
         *
         * @param max at least 1
         * @return this builder
         */
        public Builder maxConnections(int max) {
            if (max < 1) {
                throw new IllegalArgumentException("maxConnections " + max);
            }
            this.maxConnections = max;
            return this;
        }

        /**
         * Sets the authentication (default none).
         *
         * @param authentication the authentication
         * @return this builder
         */
        public Builder authentication(SmtpAuthentication authentication) {
            this.authentication = Objects.requireNonNull(authentication);
            return this;
        }

        /**
         * Sets how long an unused connection stays open (default 30 seconds).
         *
         * @param timeout the idle timeout
         * @return this builder
         */
        public Builder idleTimeout(Duration timeout) {
            this.idleTimeout = Objects.requireNonNull(timeout);
            return this;
        }

        /**
         * Sets how long a connection is used at most, however busy (default: no limit).
         *
         * @param age the age after which a connection is closed instead of reused, or {@code null}
         * @return this builder
         */
        public Builder maxConnectionAge(Duration age) {
            this.maxConnectionAge = age;
            return this;
        }

        /**
         * Sets the sending budget asked before each new connection and each message (default none: only
         * {@code maxConnections} limits).
         *
         * @param budget the budget, or {@code null} for none
         * @return this builder
         * @since 1.1
         */
        public Builder budget(SmtpBudget budget) {
            this.budget = budget;
            return this;
        }

        /**
         * Builds the server description.
         *
         * @return the server
         */
        public SmtpServer build() {
            return new SmtpServer(this);
        }
    }
}
