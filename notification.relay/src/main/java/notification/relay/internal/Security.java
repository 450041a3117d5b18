package notification.relay.internal;

import java.util.Locale;

/** How the connection to the SMTP server is protected (configuration key {@code security}). */
enum Security {
    /** Plain text. */
    NONE(25),
    /** STARTTLS, required: the relay refuses to go on without it. */
    STARTTLS(587),
    /** Implicit TLS from the first byte. */
    TLS(465);

    private final int defaultPort;

    Security(int defaultPort) {
        this.defaultPort = defaultPort;
    }

    int defaultPort() {
        return defaultPort;
    }

    /** Returns the configuration value, for example "starttls". */
    String key() {
        return name().toLowerCase(Locale.ROOT);
    }

    static Security parse(String value) throws InvalidRelayConfigurationException {
        String v = value == null ? "" : value.trim().toLowerCase(Locale.ROOT);
        for (Security s : values()) {
            if (s.key().equals(v)) {
                return s;
            }
        }
        throw new InvalidRelayConfigurationException("security",
                "'security' is '" + value + "'; write none, starttls or tls.");
    }
}
