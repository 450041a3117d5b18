package notification.relay.internal;

import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.URLName;
import java.util.Properties;
import javax.net.SocketFactory;
import notification.api.transport.OutgoingMessage;

/** One connected, authenticated SMTP session that sends messages one after another; used by one thread at a time. */
final class SmtpConnection {
    private final EnvelopeSmtpTransport transport;
    private long lastUsedNanos;

    private SmtpConnection(EnvelopeSmtpTransport transport) {
        this.transport = transport;
        this.lastUsedNanos = System.nanoTime();
    }

    /**
     * Connects: TCP (or TLS), EHLO, STARTTLS when configured, AUTH when a username is set.
     *
     * @param settings the relay settings
     * @param sessionProperties the Jakarta Mail properties for these settings; copied, not changed
     * @return the connection
     * @throws MessagingException if the server cannot be reached or refuses
     */
    static SmtpConnection open(RelaySettings settings, Properties sessionProperties) throws MessagingException {
        Properties props = new Properties();
        props.putAll(sessionProperties);
        boolean tls = settings.security == Security.TLS;
        ConnectionSockets sockets = null;
        if (!tls) {
            // this connection's own factories, so that pipelined commands reach the socket that carries it
            sockets = new ConnectionSockets((SocketFactory) props.get("mail.smtp.socketFactory"),
                    settings.socketFactory);
            props.put("mail.smtp.socketFactory", sockets.plainFactory());
            if (settings.security == Security.STARTTLS) {
                props.put("mail.smtp.ssl.socketFactory", sockets.tlsFactory());
            }
        }
        Session session = Session.getInstance(props);
        String protocol = tls ? "smtps" : "smtp";
        URLName url = new URLName(protocol, settings.host, settings.port, null, null, null);
        EnvelopeSmtpTransport transport = new EnvelopeSmtpTransport(session, url, tls, sockets);
        if (settings.authenticates()) {
            transport.connect(settings.host, settings.port, settings.username, settings.password);
        } else {
            transport.connect(settings.host, settings.port, null, null);
        }
        return new SmtpConnection(transport);
    }

    /**
     * Sends one message to its envelope recipients, with its envelope sender as MAIL FROM. The stored bytes are
     * streamed into DATA as they are, never parsed, so the Message-ID and every header stay exactly as rendered and
     * large attachments are not held in memory (see {@link EnvelopeSmtpTransport}). When the server offers
     * PIPELINING, the envelope and DATA go out in one write.
     *
     * @param message the message
     * @return the server's reply to the end of data, for example "250 2.0.0 Ok: queued as 123"
     * @throws MessagingException as thrown by Jakarta Mail: the reply codes are in its exceptions
     */
    String send(OutgoingMessage message) throws MessagingException {
        try {
            return strip(transport.send(message));
        } finally {
            lastUsedNanos = System.nanoTime();
        }
    }

    /** Returns the server's last reply, without the trailing line end. */
    String reply() {
        return strip(transport.getLastServerResponse());
    }

    private static String strip(String reply) {
        return reply == null ? "" : reply.strip();
    }

    /** Returns how long ago this connection was last used, in nanoseconds. */
    long idleNanos() {
        return System.nanoTime() - lastUsedNanos;
    }

    /** Asks the server whether the connection still works (NOOP); closes it if not. */
    boolean stillWorks() {
        boolean works = transport.isConnected();
        lastUsedNanos = System.nanoTime();
        return works;
    }

    /** Says QUIT and closes the socket; never throws. */
    void close() {
        try {
            transport.close();
        } catch (MessagingException | RuntimeException e) {
            // the connection is gone either way
        }
    }
}
