package notification.core.internal;

import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.util.SharedByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.time.Instant;
import java.util.List;
import notification.api.Notification;
import notification.api.Person;
import notification.api.transport.OutgoingMessage;

/**
 * An administrator alert rendered for one transport, held in memory: it goes straight to a transport that really
 * sends, not through the outbox whose trouble it may be reporting.
 */
final class AlertMessage implements OutgoingMessage {
    private final String id;
    private final String messageId;
    private final String envelopeFrom;
    private final List<String> recipients;
    private final byte[] bytes;
    private final MailClassLoader mail;

    private AlertMessage(String id, String messageId, String envelopeFrom, List<String> recipients, byte[] bytes,
            MailClassLoader mail) {
        this.id = id;
        this.messageId = messageId;
        this.envelopeFrom = envelopeFrom;
        this.recipients = recipients;
        this.bytes = bytes;
        this.mail = mail;
    }

    /**
     * Renders an alert for a transport.
     *
     * @param alert the alert as a notification (to, subject, text)
     * @param sender the mailbox of the transport that will deliver it
     * @param now the Date header
     * @param mail the mail implementation's class loader scope
     * @return the message
     * @throws notification.api.InvalidNotificationException if the alert's address is not valid
     */
    static AlertMessage render(Notification alert, Person sender, Instant now, MailClassLoader mail) throws IOException {
        ValidNotification v = new NotificationValidator(998).validate(alert, null);
        MessageIds.Pair ids = new MessageIds().next();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(FromHeader.line(sender, FromHeader.displayName(sender, null, null, "{name}")));
        new MessageRenderer().render(v, ids.messageId(), now, out);
        return new AlertMessage(ids.id(), ids.messageId(), sender.address(), v.envelope(), out.toByteArray(), mail);
    }

    @Override
    public String notificationId() {
        return id;
    }

    @Override
    public String messageId() {
        return messageId;
    }

    @Override
    public String envelopeFrom() {
        return envelopeFrom;
    }

    @Override
    public List<String> recipients() {
        return recipients;
    }

    @Override
    public int attempt() {
        return 1;
    }

    @Override
    public long size() {
        return bytes.length;
    }

    @Override
    public void writeTo(OutputStream out) throws IOException {
        out.write(bytes);
    }

    @Override
    public MimeMessage toMimeMessage(Session session) throws MessagingException {
        try {
            return mail.call(() -> new KeepIdMimeMessage(session, new SharedByteArrayInputStream(bytes), mail));
        } catch (MessagingException | RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new MessagingException(e.getMessage(), e);
        }
    }
}
