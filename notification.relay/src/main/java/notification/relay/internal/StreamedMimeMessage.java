package notification.relay.internal;

import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;
import java.io.IOException;
import java.io.OutputStream;
import notification.api.transport.OutgoingMessage;

/**
 * Hands an outbox message to Jakarta Mail's SMTP transport as it is stored: its bytes are streamed from the outbox
 * into the DATA phase, never parsed, so the Message-ID and every header stay exactly as rendered, large attachments
 * are not held in memory, and SIZE is announced from the stored length.
 */
final class StreamedMimeMessage extends MimeMessage {
    private final OutgoingMessage message;

    StreamedMimeMessage(Session session, OutgoingMessage message) {
        super(session);
        this.message = message;
    }

    @Override
    public void writeTo(OutputStream out) throws IOException {
        message.writeTo(out);
    }

    @Override
    public void writeTo(OutputStream out, String[] ignoreList) throws IOException {
        // the rendered message carries no Bcc or Content-Length header: nothing to leave out
        message.writeTo(out);
    }

    @Override
    public int getSize() {
        return (int) Math.min(Integer.MAX_VALUE, message.size());
    }

    @Override
    public String getMessageID() {
        return message.messageId();
    }

    @Override
    protected void updateMessageID() throws MessagingException {
        // the Message-ID was fixed when the notification was submitted
    }

    @Override
    public void saveChanges() {
        // the message is final; nothing to update
    }
}
