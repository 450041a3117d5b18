package notification.testkit;

import jakarta.activation.DataHandler;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import jakarta.mail.util.ByteArrayDataSource;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import notification.api.transport.OutgoingMessage;

/**
 * A rendered message as the core's outbox hands it to a transport, for tests: fixed RFC 5322 bytes (CRLF line ends),
 * the envelope and the attempt number. Its Message-ID survives {@link #toMimeMessage}.
 *
 * @param notificationId the outbox id
 * @param messageId the Message-ID header value, with angle brackets
 * @param envelopeFrom MAIL FROM
 * @param recipients RCPT TO addresses
 * @param attempt the attempt number, from 1
 * @param bytes the whole message
 */
public record StoredTestMessage(String notificationId, String messageId, String envelopeFrom, List<String> recipients,
        int attempt, byte[] bytes) implements OutgoingMessage {

    private static final Pattern MESSAGE_ID = Pattern.compile("(?im)^Message-ID:\\s*(<[^>\\r\\n]+>)");

    /** Checks and copies the parts. */
    public StoredTestMessage {
        if (recipients == null || recipients.isEmpty()) {
            throw new IllegalArgumentException("a message needs at least one recipient");
        }
        recipients = List.copyOf(recipients);
        if (attempt < 1) {
            throw new IllegalArgumentException("attempt must be 1 or more, was " + attempt);
        }
    }

    /**
     * Wraps a complete message; its Message-ID header is required.
     *
     * @param rfc5322 the message with CRLF line ends
     * @param envelopeFrom MAIL FROM
     * @param recipients RCPT TO
     * @return the message, first attempt
     */
    public static StoredTestMessage of(byte[] rfc5322, String envelopeFrom, List<String> recipients) {
        int headerEnd = indexOf(rfc5322, "\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        String headers = new String(rfc5322, 0, headerEnd < 0 ? rfc5322.length : headerEnd, StandardCharsets.UTF_8);
        Matcher m = MESSAGE_ID.matcher(headers);
        if (!m.find()) {
            throw new IllegalArgumentException("the message has no Message-ID header");
        }
        return new StoredTestMessage(UUID.randomUUID().toString(), m.group(1), envelopeFrom, recipients, 1,
                rfc5322.clone());
    }

    /**
     * A short plain-text message.
     *
     * @param from the From address, also the envelope sender
     * @param subject the subject (ASCII)
     * @param recipients the To addresses, also the envelope recipients
     * @return the message, first attempt
     */
    public static StoredTestMessage text(String from, String subject, String... recipients) {
        return plain(UUID.randomUUID().toString(), from, from, subject, recipients);
    }

    /**
     * A scanner's short message from {@code Scanner <scanner@example.com>} whose subject names its outbox id.
     *
     * @param recipients the To addresses, also the envelope recipients
     * @return the message, first attempt
     */
    public static StoredTestMessage to(String... recipients) {
        String id = UUID.randomUUID().toString();
        return plain(id, "Scanner <scanner@example.com>", "scanner@example.com", "Scan " + id, recipients);
    }

    /**
     * A multipart message with a text part and one attachment, rendered by Jakarta Mail.
     *
     * @param from the From address, also the envelope sender
     * @param subject the subject
     * @param fileName the attachment's file name
     * @param content the attachment's bytes
     * @param recipients the To addresses, also the envelope recipients
     * @return the message, first attempt
     */
    public static StoredTestMessage withAttachment(String from, String subject, String fileName, byte[] content,
            String... recipients) {
        try {
            MimeMessage mime = new MimeMessage(Session.getInstance(new Properties()));
            mime.setFrom(new InternetAddress(from));
            mime.setRecipients(Message.RecipientType.TO, String.join(",", recipients));
            mime.setSubject(subject, "UTF-8");
            MimeBodyPart text = new MimeBodyPart();
            text.setText("Scan finished: " + subject, "UTF-8");
            MimeBodyPart file = new MimeBodyPart();
            file.setDataHandler(new DataHandler(new ByteArrayDataSource(content, "application/pdf")));
            file.setFileName(fileName);
            mime.setContent(new MimeMultipart(text, file));
            String messageId = "<" + UUID.randomUUID() + "@test.example>";
            mime.saveChanges();
            mime.setHeader("Message-ID", messageId);
            ByteArrayOutputStream out = new ByteArrayOutputStream(content.length * 4 / 3 + 4096);
            mime.writeTo(out);
            return of(out.toByteArray(), from, List.of(recipients));
        } catch (MessagingException | IOException e) {
            throw new IllegalStateException("cannot render the test message", e);
        }
    }

    private static StoredTestMessage plain(String id, String fromHeader, String envelopeFrom, String subject,
            String... recipients) {
        String messageId = "<" + id + "@test.example>";
        String text = "From: " + fromHeader + "\r\nTo: " + String.join(", ", recipients) + "\r\nSubject: " + subject
                + "\r\nMessage-ID: " + messageId + "\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; "
                + "charset=UTF-8\r\n\r\nScan finished: " + subject + "\r\n";
        return new StoredTestMessage(id, messageId, envelopeFrom, List.of(recipients), 1,
                text.getBytes(StandardCharsets.UTF_8));
    }

    /** @return the same message as the outbox hands it over on the next attempt */
    public StoredTestMessage retry() {
        return new StoredTestMessage(notificationId, messageId, envelopeFrom, recipients, attempt + 1, bytes);
    }

    /** @return a copy of the message bytes */
    @Override
    public byte[] bytes() {
        return bytes.clone();
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
            protected void updateMessageID() throws MessagingException {
                setHeader("Message-ID", messageId);
            }
        };
    }

    private static int indexOf(byte[] data, byte[] part) {
        outer:
        for (int i = 0; i + part.length <= data.length; i++) {
            for (int j = 0; j < part.length; j++) {
                if (data[i + j] != part[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
