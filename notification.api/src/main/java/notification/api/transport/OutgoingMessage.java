package notification.api.transport;

import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;
import java.io.IOException;
import java.io.OutputStream;
import java.util.List;
import org.osgi.annotation.versioning.ProviderType;

/**
 * A rendered message handed to a {@link MailTransport}: the RFC 5322 bytes, with From set for that transport, and the
 * envelope recipients still to deliver. Content is read from the outbox on demand; large attachments are not held in
 * memory.
 */
@ProviderType
public interface OutgoingMessage {

    /**
     * Returns the outbox id of the notification.
     *
     * @return the outbox id
     */
    String notificationId();

    /**
     * Returns the Message-ID header value (with angle brackets), identical on every attempt.
     *
     * @return the Message-ID
     */
    String messageId();

    /**
     * Returns the envelope sender (MAIL FROM), the transport's own mailbox address.
     *
     * @return the envelope sender
     */
    String envelopeFrom();

    /**
     * Returns the envelope recipients (RCPT TO) still to deliver; on a retry after a partial success only the ones
     * that failed.
     *
     * @return bare addresses, never empty
     */
    List<String> recipients();

    /**
     * Tells whether the message needs a server with SMTPUTF8 (RFC 6531): an envelope or header address has a local
     * part beyond ASCII (accepted only when the notification service allows it). Such a message is rendered per
     * RFC 6532 (UTF-8 in its address headers); a transport sends it with {@code MAIL FROM:<...> SMTPUTF8} and fails
     * it permanently, saying why, when the server does not offer SMTPUTF8. Domains are always A-labels and never
     * need it.
     *
     * @return {@code true} if SMTPUTF8 is needed; by default when the envelope sender or a recipient has characters
     *         beyond ASCII
     * @since 1.1
     */
    default boolean requiresSmtpUtf8() {
        if (envelopeFrom() != null && !envelopeFrom().chars().allMatch(c -> c < 0x80)) {
            return true;
        }
        return recipients().stream().anyMatch(r -> !r.chars().allMatch(c -> c < 0x80));
    }

    /**
     * Returns which attempt this is, starting at 1.
     *
     * @return the attempt number
     */
    int attempt();

    /**
     * Returns the size of the message in bytes.
     *
     * @return the size
     */
    long size();

    /**
     * Writes the whole message (headers and body, CRLF line ends) to a stream.
     *
     * @param out the stream; not closed
     * @throws IOException if the outbox cannot be read or the stream fails
     */
    void writeTo(OutputStream out) throws IOException;

    /**
     * Returns the message as a Jakarta Mail message whose Message-ID is kept when it is sent (Jakarta Mail would
     * otherwise replace it).
     *
     * @param session the session the transport uses
     * @return the message
     * @throws MessagingException if it cannot be parsed
     */
    MimeMessage toMimeMessage(Session session) throws MessagingException;
}
