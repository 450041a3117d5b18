package notification.oauth.internal;

import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;
import notification.api.transport.OutgoingMessage;

/** A rendered message for tests: fixed RFC 5322 bytes, as the core's outbox would hand them over. */
final class TestMessage implements OutgoingMessage {

    private final String id = UUID.randomUUID().toString();
    private final String messageId = "<" + id + "@test.example>";
    private final String from;
    private final List<String> recipients;
    private final byte[] content;

    TestMessage(String from, String subject, String... recipients) {
        this.from = from;
        this.recipients = List.of(recipients);
        this.content = ("From: " + from + "\r\nTo: " + String.join(", ", recipients) + "\r\nSubject: " + subject
                + "\r\nMessage-ID: " + messageId + "\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; "
                + "charset=UTF-8\r\n\r\nScan finished: " + subject + "\r\n").getBytes(StandardCharsets.UTF_8);
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
        return from;
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
        return content.length;
    }

    @Override
    public void writeTo(OutputStream out) throws IOException {
        out.write(content);
    }

    @Override
    public MimeMessage toMimeMessage(Session session) throws MessagingException {
        return new MimeMessage(session, new ByteArrayInputStream(content)) {
            @Override
            protected void updateMessageID() throws MessagingException {
                setHeader("Message-ID", messageId);
            }
        };
    }
}
