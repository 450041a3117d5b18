package notification.relay.internal;

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

/** A rendered message for tests (in production the outbox of notification.core provides them). */
record TestMessage(String notificationId, String messageId, String envelopeFrom, List<String> recipients, int attempt,
        byte[] bytes) implements OutgoingMessage {

    static TestMessage to(String... recipients) {
        String id = UUID.randomUUID().toString();
        String messageId = "<" + id + "@test.example.com>";
        String text = "From: Scanner <scanner@example.com>\r\n"
                + "To: " + String.join(", ", recipients) + "\r\n"
                + "Subject: Scan " + id + "\r\n"
                + "Message-ID: " + messageId + "\r\n"
                + "MIME-Version: 1.0\r\n"
                + "Content-Type: text/plain; charset=UTF-8\r\n"
                + "\r\n"
                + "Your scan is ready.\r\n";
        return new TestMessage(id, messageId, "scanner@example.com", List.of(recipients), 1,
                text.getBytes(StandardCharsets.UTF_8));
    }

    /** The same message, as the outbox hands it over on a later attempt. */
    TestMessage retry() {
        return new TestMessage(notificationId, messageId, envelopeFrom, recipients, attempt + 1, bytes);
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
        return new MimeMessage(session, new ByteArrayInputStream(bytes)) {
            @Override
            protected void updateMessageID() {
                // keep the Message-ID the message was rendered with
            }
        };
    }
}
