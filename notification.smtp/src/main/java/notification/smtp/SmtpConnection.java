package notification.smtp;

import jakarta.mail.AuthenticationFailedException;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.URLName;
import java.time.Duration;
import java.util.Optional;
import java.util.Properties;
import javax.net.SocketFactory;
import notification.api.transport.ConnectionSlot;
import notification.api.transport.MessageStart;
import notification.api.transport.OutgoingMessage;
import notification.api.transport.SendingBudget;

/** One connected, authenticated SMTP session that sends messages one after another; used by one thread at a time. */
final class SmtpConnection {
    private final EnvelopeSmtpTransport transport;
    private final long openedNanos;
    private ConnectionSlot slot;
    private long lastUsedNanos;
    private boolean used;

    private SmtpConnection(EnvelopeSmtpTransport transport) {
        this.transport = transport;
        this.openedNanos = System.nanoTime();
        this.lastUsedNanos = openedNanos;
    }

    /**
     * Connects: TCP (or TLS), EHLO, STARTTLS when configured, AUTH as configured. With XOAUTH2 a token is fetched
     * first (nothing connects without one); when the server refuses it and the token source says a fresh token may
     * help, a fresh one is tried once on a new connection.
     *
     * @param server the server
     * @param sessionProperties the Jakarta Mail properties for it; copied, not changed
     * @return the connection
     * @throws MessagingException if the server cannot be reached or refuses
     * @throws SmtpTokenUnavailableException if XOAUTH2 has no token
     * @throws BudgetRefusal if the sending budget has no connection slot (nothing was opened)
     */
    static SmtpConnection open(SmtpServer server, Properties sessionProperties)
            throws MessagingException, SmtpTokenUnavailableException, BudgetRefusal {
        if (server.budget == null) {
            return openWithinSlot(server, sessionProperties);
        }
        Optional<ConnectionSlot> slot = server.budget.takeConnection();
        if (slot.isEmpty()) {
            throw new BudgetRefusal(MessageStart.notYet(SendingBudget.RETRY_FOR_CONNECTION, "No connection to "
                    + server.describe() + " is free in the mailbox's sending budget (the other connections are open,"
                    + " on this node or others); trying again in " + seconds(SendingBudget.RETRY_FOR_CONNECTION)));
        }
        try {
            SmtpConnection connection = openWithinSlot(server, sessionProperties);
            connection.slot = slot.get();
            return connection;
        } catch (MessagingException | SmtpTokenUnavailableException | RuntimeException e) {
            slot.get().close();
            throw e;
        }
    }

    private static String seconds(Duration d) {
        return d.toSeconds() + " s";
    }

    private static SmtpConnection openWithinSlot(SmtpServer server, Properties sessionProperties)
            throws MessagingException, SmtpTokenUnavailableException {
        SmtpAuthentication auth = server.authentication;
        if (auth.method() != SmtpAuthentication.Method.XOAUTH2) {
            return connect(server, sessionProperties, auth.password());
        }
        SmtpTokenSource tokens = auth.tokens();
        try {
            return connect(server, sessionProperties, tokens.accessToken(false));
        } catch (AuthenticationFailedException e) {
            if (!tokens.refreshHelps(e.getMessage())) {
                throw e;
            }
            // the token may have been revoked since it was cached: one more try with a fresh one
            return connect(server, sessionProperties, tokens.accessToken(true));
        }
    }

    private static SmtpConnection connect(SmtpServer server, Properties sessionProperties, String secret)
            throws MessagingException {
        Properties props = new Properties();
        props.putAll(sessionProperties);
        boolean tls = server.security == SmtpSecurity.TLS;
        ConnectionSockets sockets = null;
        if (!tls) {
            // this connection's own factories, so that pipelined commands reach the socket that carries it
            sockets = new ConnectionSockets((SocketFactory) props.get("mail.smtp.socketFactory"),
                    server.socketFactory);
            props.put("mail.smtp.socketFactory", sockets.plainFactory());
            if (server.security == SmtpSecurity.STARTTLS) {
                props.put("mail.smtp.ssl.socketFactory", sockets.tlsFactory());
            }
        }
        Session session = Session.getInstance(props);
        String protocol = tls ? "smtps" : "smtp";
        URLName url = new URLName(protocol, server.host, server.port, null, null, null);
        EnvelopeSmtpTransport transport = new EnvelopeSmtpTransport(session, url, tls, sockets);
        if (server.authentication.method() == SmtpAuthentication.Method.NONE) {
            transport.connect(server.host, server.port, null, null);
        } else {
            transport.connect(server.host, server.port, server.authentication.username(), secret);
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
        used = true;
        try {
            return strip(transport.send(message));
        } finally {
            lastUsedNanos = System.nanoTime();
        }
    }

    /**
     * Tells whether the last {@link #send} failed before the server answered anything: then the server cannot have
     * accepted the message, and sending it again on another connection is safe.
     */
    boolean failedUnanswered() {
        return !transport.answeredLastMessage();
    }

    /** Tells whether this connection has sent a message before (a reused connection may have gone stale). */
    boolean used() {
        return used;
    }

    private static String strip(String reply) {
        return reply == null ? "" : reply.strip();
    }

    /** Returns how long ago this connection was last used, in nanoseconds. */
    long idleNanos() {
        return System.nanoTime() - lastUsedNanos;
    }

    /** Returns how long ago this connection was opened, in nanoseconds. */
    long ageNanos() {
        return System.nanoTime() - openedNanos;
    }

    /** Asks the server whether the connection still works (NOOP); closes it if not. */
    boolean stillWorks() {
        boolean works = transport.isConnected();
        lastUsedNanos = System.nanoTime();
        return works;
    }

    /** Says QUIT and closes the socket, then gives back its budget slot; never throws. */
    void close() {
        try {
            transport.close();
        } catch (MessagingException | RuntimeException e) {
            // the connection is gone either way
        } finally {
            if (slot != null) {
                slot.close();
            }
        }
    }
}
