package notification.oauth.internal;

import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.URLName;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Properties;
import org.eclipse.angus.mail.smtp.SMTPTransport;

/**
 * One authenticated SMTP submission connection to Exchange Online: STARTTLS required, TLS 1.2+, AUTH XOAUTH2 with
 * an access token, bounded timeouts. Angus Mail runs with its own bundle as context class loader.
 */
final class SmtpConnection implements AutoCloseable {

    private static final Duration MAX_IDLE = Duration.ofSeconds(50);
    private static final Duration PROBE_AFTER = Duration.ofSeconds(5);
    private static final Duration MAX_AGE = Duration.ofMinutes(10);

    private final Session session;
    private final SMTPTransport transport;
    private final Clock clock;
    private final Instant opened;
    private Instant lastUsed;

    private SmtpConnection(Session session, SMTPTransport transport, Clock clock) {
        this.session = session;
        this.transport = transport;
        this.clock = clock;
        this.opened = clock.instant();
        this.lastUsed = opened;
    }

    static SmtpConnection open(MicrosoftSettings settings, AccessToken token, Clock clock) throws MessagingException {
        Properties p = new Properties();
        p.put("mail.smtp.host", settings.cloud.smtpHost());
        p.put("mail.smtp.port", String.valueOf(settings.cloud.smtpPort()));
        p.put("mail.smtp.from", settings.username);
        p.put("mail.smtp.auth", "true");
        p.put("mail.smtp.auth.mechanisms", "XOAUTH2");
        p.put("mail.smtp.auth.xoauth2.disable", "false");
        p.put("mail.smtp.starttls.enable", "true");
        p.put("mail.smtp.starttls.required", "true");
        p.put("mail.smtp.ssl.protocols", "TLSv1.2 TLSv1.3");
        p.put("mail.smtp.ssl.checkserveridentity", "true");
        p.put("mail.smtp.sendpartial", "true");
        p.put("mail.smtp.connectiontimeout", String.valueOf(settings.connectTimeout.toMillis()));
        p.put("mail.smtp.timeout", String.valueOf(settings.readTimeout.toMillis()));
        p.put("mail.smtp.writetimeout", String.valueOf(settings.readTimeout.toMillis()));
        if (settings.tls != null) {
            p.put("mail.smtp.ssl.socketFactory", settings.tls.getSocketFactory());
        }
        return withMailClassLoader(() -> {
            Session session = Session.getInstance(p);
            SMTPTransport transport = new SMTPTransport(session, new URLName("smtp", settings.cloud.smtpHost(),
                    settings.cloud.smtpPort(), null, settings.username, null));
            transport.connect(settings.cloud.smtpHost(), settings.cloud.smtpPort(), settings.username,
                    token.value());
            return new SmtpConnection(session, transport, clock);
        });
    }

    /**
     * Sends one message to the given recipients.
     *
     * @param message the message source
     * @return the server's last reply
     * @throws MessagingException as Angus Mail reports failures
     */
    String send(notification.api.transport.OutgoingMessage message) throws MessagingException {
        lastUsed = clock.instant();
        return withMailClassLoader(() -> {
            jakarta.mail.internet.MimeMessage mime = message.toMimeMessage(session);
            jakarta.mail.Address[] recipients = new jakarta.mail.Address[message.recipients().size()];
            for (int i = 0; i < recipients.length; i++) {
                recipients[i] = new jakarta.mail.internet.InternetAddress(message.recipients().get(i), false);
            }
            transport.sendMessage(mime, recipients);
            return transport.getLastServerResponse();
        });
    }

    /** @return whether the connection is young and recently used enough to be kept for another message */
    boolean reusable() {
        Instant now = clock.instant();
        return Duration.between(lastUsed, now).compareTo(MAX_IDLE) < 0
                && Duration.between(opened, now).compareTo(MAX_AGE) < 0;
    }

    /** @return whether the connection is still usable; probes the server (NOOP) only after a pause */
    boolean alive() {
        if (!reusable()) {
            return false;
        }
        if (Duration.between(lastUsed, clock.instant()).compareTo(PROBE_AFTER) < 0) {
            return true;
        }
        try {
            return withMailClassLoader(transport::isConnected);
        } catch (MessagingException e) {
            return false;
        }
    }

    @Override
    public void close() {
        try {
            withMailClassLoader(() -> {
                transport.close();
                return null;
            });
        } catch (MessagingException e) {
            // the server may already have hung up
        }
    }

    /** Work that Angus Mail must do with its own class loader as context class loader. */
    interface MailWork<T> {
        T run() throws MessagingException;
    }

    static <T> T withMailClassLoader(MailWork<T> work) throws MessagingException {
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        thread.setContextClassLoader(SMTPTransport.class.getClassLoader());
        try {
            return work.run();
        } finally {
            thread.setContextClassLoader(previous);
        }
    }
}
