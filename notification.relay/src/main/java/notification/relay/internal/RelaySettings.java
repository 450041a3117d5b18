package notification.relay.internal;

import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.InternetAddress;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;
import notification.api.Person;
import notification.api.transport.TransportLimits;
import notification.smtp.InvalidSmtpSettingException;
import notification.smtp.SmtpAuthentication;
import notification.smtp.SmtpSecurity;
import notification.smtp.SmtpServer;
import notification.smtp.SmtpTrustStore;

/** A checked relay configuration: every value usable as it is. Its string form never shows a secret. */
final class RelaySettings {
    private static final int MAX_TIMEOUT_MS = 600_000;
    private static final int MAX_CONNECTIONS = 100;

    final String host;
    final int port;
    final SmtpSecurity security;
    final String username;
    final String password;
    final Person sender;
    final int connectTimeoutMs;
    final int readTimeoutMs;
    final int writeTimeoutMs;
    final String tlsProtocols;
    final SSLSocketFactory socketFactory;
    final TransportLimits limits;

    private RelaySettings(RelayConfiguration c, SmtpSecurity security, Person sender, String tlsProtocols,
            SSLSocketFactory socketFactory) {
        this.host = c.host().trim();
        this.security = security;
        this.port = c.port() == 0 ? security.defaultPort() : c.port();
        this.username = c.username().trim();
        this.password = c.password();
        this.sender = sender;
        this.connectTimeoutMs = c.connectTimeout();
        this.readTimeoutMs = c.readTimeout();
        this.writeTimeoutMs = c.writeTimeout();
        this.tlsProtocols = tlsProtocols;
        this.socketFactory = socketFactory;
        this.limits = new TransportLimits(c.maxConnections(), c.messagesPerMinute(), c.recipientsPerDay(),
                c.maxMessageSize());
    }

    /**
     * Checks a configuration.
     *
     * @param c the configuration
     * @return the settings
     * @throws InvalidRelayConfigurationException naming the first key that is wrong
     */
    static RelaySettings check(RelayConfiguration c) throws InvalidRelayConfigurationException {
        if (c.host() == null || c.host().isBlank()) {
            throw new InvalidRelayConfigurationException("host", "'host' is empty; set it to the SMTP server's name.");
        }
        SmtpSecurity security;
        try {
            security = SmtpSecurity.parse(c.security());
        } catch (InvalidSmtpSettingException e) {
            throw new InvalidRelayConfigurationException(e.key(), e.getMessage());
        }
        if (c.port() < 0 || c.port() > 65_535) {
            throw new InvalidRelayConfigurationException("port",
                    "'port' is " + c.port() + "; write a port from 1 to 65535 (or 0 for the usual one).");
        }
        boolean hasUser = c.username() != null && !c.username().isBlank();
        boolean hasPassword = c.password() != null && !c.password().isEmpty();
        if (hasPassword && c.password().startsWith("$[")) {
            throw new InvalidRelayConfigurationException("password", "'password' was not replaced by its secret:"
                    + " the $[secret:...] or $[env:...] it refers to does not exist.");
        }
        if (hasPassword && !hasUser) {
            throw new InvalidRelayConfigurationException("username", "'password' is set but 'username' is empty.");
        }
        if (hasUser && !hasPassword) {
            throw new InvalidRelayConfigurationException("password", "'username' is set but 'password' is empty.");
        }
        Person sender = sender(c.from(), c.fromName());
        checkRange("maxConnections", c.maxConnections(), 1, MAX_CONNECTIONS, "");
        checkRange("connectTimeout", c.connectTimeout(), 1, MAX_TIMEOUT_MS, " ms");
        checkRange("readTimeout", c.readTimeout(), 1, MAX_TIMEOUT_MS, " ms");
        checkRange("writeTimeout", c.writeTimeout(), 1, MAX_TIMEOUT_MS, " ms");
        checkRange("messagesPerMinute", c.messagesPerMinute(), 0, Integer.MAX_VALUE, "");
        checkRange("recipientsPerDay", c.recipientsPerDay(), 0, Integer.MAX_VALUE, "");
        if (c.maxMessageSize() < 0) {
            throw new InvalidRelayConfigurationException("maxMessageSize",
                    "'maxMessageSize' is " + c.maxMessageSize() + "; write 0 (no limit) or a size in bytes.");
        }
        String protocols = tlsProtocols(c.tlsProtocols());
        SSLSocketFactory factory;
        try {
            factory = c.trustStore() == null || c.trustStore().isBlank() ? null
                    : SmtpTrustStore.load(c.trustStore().trim(), c.trustStoreType().trim(),
                            c.trustStorePassword() == null ? "" : c.trustStorePassword());
        } catch (InvalidSmtpSettingException e) {
            throw new InvalidRelayConfigurationException(e.key(), e.getMessage());
        }
        return new RelaySettings(c, security, sender, protocols, factory);
    }

    private static Person sender(String from, String fromName) throws InvalidRelayConfigurationException {
        if (from == null || from.isBlank()) {
            throw new InvalidRelayConfigurationException("from",
                    "'from' is empty; set it to the mailbox this relay sends from, for example scanner@example.com.");
        }
        try {
            InternetAddress address = new InternetAddress(from.trim(), true);
            if (address.getPersonal() != null || address.isGroup()) {
                throw new AddressException("write the bare address; put the display name in 'fromName'");
            }
            return new Person(fromName == null || fromName.isBlank() ? null : fromName.trim(), address.getAddress());
        } catch (AddressException e) {
            throw new InvalidRelayConfigurationException("from",
                    "'from' is '" + from + "', which is not an e-mail address: " + e.getMessage());
        }
    }

    private static void checkRange(String key, int value, int min, int max, String unit)
            throws InvalidRelayConfigurationException {
        if (value < min || value > max) {
            String hint = min == 1 && !unit.isEmpty() ? " (a timeout is never infinite)" : "";
            throw new InvalidRelayConfigurationException(key, "'" + key + "' is " + value + unit + "; write a value from "
                    + min + " to " + max + unit + hint + ".");
        }
    }

    private static String tlsProtocols(String value) throws InvalidRelayConfigurationException {
        List<String> requested = Arrays.stream(value == null ? new String[0] : value.trim().split("[\\s,]+"))
                .filter(s -> !s.isEmpty()).toList();
        if (requested.isEmpty()) {
            throw new InvalidRelayConfigurationException("tlsProtocols",
                    "'tlsProtocols' is empty; write TLSv1.2 TLSv1.3.");
        }
        List<String> supported;
        try {
            supported = List.of(SSLContext.getDefault().getSupportedSSLParameters().getProtocols());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("Java has no TLS implementation", e);
        }
        for (String p : requested) {
            if (!supported.contains(p) || p.startsWith("SSL")) {
                throw new InvalidRelayConfigurationException("tlsProtocols",
                        "'tlsProtocols' names '" + p + "', which Java does not offer; write TLSv1.2 TLSv1.3.");
            }
        }
        return String.join(" ", requested);
    }

    /**
     * Describes the server to the SMTP engine.
     *
     * @param idleTimeout how long an unused connection stays open
     * @return the server
     */
    SmtpServer server(Duration idleTimeout) {
        return SmtpServer.builder(host, port, security)
                .timeouts(connectTimeoutMs, readTimeoutMs, writeTimeoutMs)
                .tlsProtocols(tlsProtocols)
                .trust(socketFactory)
                .maxConnections(limits.maxConnections())
                .authentication(authenticates() ? SmtpAuthentication.password(username, password)
                        : SmtpAuthentication.none())
                .idleTimeout(idleTimeout)
                .build();
    }

    boolean authenticates() {
        return !username.isEmpty();
    }

    /** Describes the server, for example "smtp.example.com:587 (STARTTLS)". */
    String server() {
        return SmtpServer.builder(host, port, security).build().describe();
    }

    @Override
    public String toString() {
        return "relay " + server() + ", sending as " + sender.address()
                + (authenticates() ? ", user " + username : ", no authentication");
    }
}
