package notification.smtp;

import java.util.Locale;

/** How the connection to an SMTP server is protected. */
public enum SmtpSecurity {
    /** Plain text. */
    NONE(25),
    /** STARTTLS, required: the engine refuses to go on without it. */
    STARTTLS(587),
    /** Implicit TLS from the first byte. */
    TLS(465);

    private final int defaultPort;

    SmtpSecurity(int defaultPort) {
        this.defaultPort = defaultPort;
    }

    /**
     * Returns the usual port for this security.
     *
     * @return 25, 587 or 465
     */
    public int defaultPort() {
        return defaultPort;
    }

    /**
     * Returns the configuration value.
     *
     * @return for example "starttls"
     */
    public String key() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * Reads a configuration value.
     *
     * @param value none, starttls or tls (any case)
     * @return the security
     * @throws InvalidSmtpSettingException naming the key {@code security} for any other value
     */
    public static SmtpSecurity parse(String value) throws InvalidSmtpSettingException {
        String v = value == null ? "" : value.trim().toLowerCase(Locale.ROOT);
        for (SmtpSecurity s : values()) {
            if (s.key().equals(v)) {
                return s;
            }
        }
        throw new InvalidSmtpSettingException("security",
                "'security' is '" + value + "'; write none, starttls or tls.");
    }
}
