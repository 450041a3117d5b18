package notification.core.internal;

import jakarta.activation.DataHandler;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Part;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import jakarta.mail.internet.MimeUtility;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UnsupportedEncodingException;
import java.util.Date;
import java.util.Map;
import notification.api.Attachment;
import notification.api.Notification;

/**
 * Renders a checked notification into the RFC 5322 message the recipient will read, without the From header (which
 * belongs to the transport that delivers it).
 */
public final class MessageRenderer {
    private final MailClassLoader mail;

    /**
     * Creates a renderer.
     *
     * @param mail the mail class loader scope
     */
    public MessageRenderer(MailClassLoader mail) {
        this.mail = mail;
    }

    /**
     * Writes the message.
     *
     * @param v the checked notification
     * @param messageId the Message-ID with angle brackets
     * @param date the Date header
     * @param out where to write; not closed
     * @throws IOException if an attachment cannot be read or the stream fails
     */
    public void render(ValidNotification v, String messageId, Date date, OutputStream out) throws IOException {
        try {
            mail.call(() -> {
                MimeMessage m = build(v, messageId, date);
                m.saveChanges();
                m.writeTo(out);
                return null;
            });
        } catch (IOException | RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IOException("cannot render the message: " + e.getMessage(), e);
        }
    }

    private MimeMessage build(ValidNotification v, String messageId, Date date)
            throws MessagingException, UnsupportedEncodingException {
        Notification n = v.notification();
        MimeMessage m = new KeepIdMimeMessage(mail.session());
        m.setHeader("Message-ID", messageId);
        m.setSentDate(date);
        if (!v.to().isEmpty()) {
            m.setRecipients(Message.RecipientType.TO, v.to().toArray(new InternetAddress[0]));
        }
        if (!v.cc().isEmpty()) {
            m.setRecipients(Message.RecipientType.CC, v.cc().toArray(new InternetAddress[0]));
        }
        if (v.replyTo() != null) {
            m.setReplyTo(new InternetAddress[] {v.replyTo()});
        }
        if (n.subject() != null) {
            m.setSubject(n.subject(), "UTF-8");
        }
        for (Map.Entry<String, String> h : n.headers().entrySet()) {
            m.setHeader(h.getKey(), MimeUtility.fold(h.getKey().length() + 2, MimeUtility.encodeText(h.getValue(),
                    "UTF-8", null)));
        }
        if (n.attachments().isEmpty()) {
            setBody(m, n);
        } else {
            MimeMultipart mixed = new MimeMultipart("mixed");
            MimeBodyPart body = new MimeBodyPart();
            setBody(body, n);
            mixed.addBodyPart(body);
            for (Attachment a : n.attachments()) {
                mixed.addBodyPart(attachmentPart(a));
            }
            m.setContent(mixed);
        }
        return m;
    }

    private static void setBody(Part part, Notification n) throws MessagingException {
        String text = n.textBody();
        String html = n.htmlBody();
        if (html == null) {
            setText(part, text == null ? "" : text, "plain");
        } else if (text == null) {
            setText(part, html, "html");
        } else {
            MimeMultipart alternative = new MimeMultipart("alternative");
            MimeBodyPart plainPart = new MimeBodyPart();
            setText(plainPart, text, "plain");
            MimeBodyPart htmlPart = new MimeBodyPart();
            setText(htmlPart, html, "html");
            alternative.addBodyPart(plainPart);
            alternative.addBodyPart(htmlPart);
            part.setContent(alternative);
        }
    }

    private static void setText(Part part, String text, String subtype) throws MessagingException {
        if (part instanceof MimeMessage mm) {
            mm.setText(text, "UTF-8", subtype);
        } else {
            ((MimeBodyPart) part).setText(text, "UTF-8", subtype);
        }
    }

    private static MimeBodyPart attachmentPart(Attachment a) throws MessagingException {
        MimeBodyPart part = new MimeBodyPart();
        part.setDataHandler(new DataHandler(new AttachmentDataSource(a)));
        part.setDisposition(Part.ATTACHMENT);
        part.setFileName(a.fileName());
        part.setHeader("Content-Transfer-Encoding", "base64");
        return part;
    }
}
