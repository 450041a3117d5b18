package notification.core.internal;

import jakarta.mail.internet.InternetAddress;
import java.io.IOException;
import java.io.OutputStream;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import notification.api.Attachment;
import notification.api.Notification;

/**
 * Renders a checked notification into the RFC 5322 message the recipient will read, without the From header (which
 * belongs to the transport that delivers it). Attachments are streamed, never held whole in memory.
 */
public final class MessageRenderer {
    private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("EEE, d MMM yyyy HH:mm:ss Z",
            Locale.ENGLISH).withZone(ZoneOffset.UTC);
    private final MimeBodyWriter body = new MimeBodyWriter();
    /** The Date header of the second last rendered: many notifications share a second. */
    private volatile FormattedSecond lastDate = new FormattedSecond(Long.MIN_VALUE, null);

    private record FormattedSecond(long epochSecond, String header) {
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
    public void render(ValidNotification v, String messageId, Instant date, OutputStream out) throws IOException {
        Notification n = v.notification();
        MimeBodyWriter.header(out, dateHeader(date));
        if (v.replyTo() != null) {
            MimeBodyWriter.header(out, mailboxes("Reply-To", List.of(v.replyTo())));
        }
        if (!v.to().isEmpty()) {
            MimeBodyWriter.header(out, mailboxes("To", v.to()));
        }
        if (!v.cc().isEmpty()) {
            MimeBodyWriter.header(out, mailboxes("Cc", v.cc()));
        }
        MimeBodyWriter.header(out, "Message-ID: " + messageId);
        if (n.subject() != null) {
            MimeBodyWriter.header(out, HeaderEncoder.text("Subject", n.subject()));
        }
        for (Map.Entry<String, String> h : n.headers().entrySet()) {
            MimeBodyWriter.header(out, HeaderEncoder.text(h.getKey(), h.getValue()));
        }
        MimeBodyWriter.header(out, "MIME-Version: 1.0");
        if (n.attachments().isEmpty()) {
            writeBody(out, n);
            return;
        }
        String boundary = body.boundary();
        MimeBodyWriter.header(out, "Content-Type: multipart/mixed;\r\n boundary=\"" + boundary + "\"");
        MimeBodyWriter.header(out, "");
        MimeBodyWriter.line(out, "--" + boundary);
        writeBody(out, n);
        for (Attachment a : n.attachments()) {
            MimeBodyWriter.line(out, "--" + boundary);
            body.attachment(out, a);
        }
        MimeBodyWriter.line(out, "--" + boundary + "--");
    }

    private void writeBody(OutputStream out, Notification n) throws IOException {
        if (n.htmlBody() == null) {
            body.text(out, n.textBody() == null ? "" : n.textBody(), "plain");
        } else if (n.textBody() == null) {
            body.text(out, n.htmlBody(), "html");
        } else {
            String boundary = body.boundary();
            MimeBodyWriter.header(out, "Content-Type: multipart/alternative;\r\n boundary=\"" + boundary + "\"");
            MimeBodyWriter.header(out, "");
            MimeBodyWriter.line(out, "--" + boundary);
            body.text(out, n.textBody(), "plain");
            MimeBodyWriter.line(out, "--" + boundary);
            body.text(out, n.htmlBody(), "html");
            MimeBodyWriter.line(out, "--" + boundary + "--");
        }
    }

    private String dateHeader(Instant date) {
        FormattedSecond last = lastDate;
        if (last.epochSecond() != date.getEpochSecond()) {
            last = new FormattedSecond(date.getEpochSecond(), "Date: " + DATE.format(date));
            lastDate = last;
        }
        return last.header();
    }

    private static String mailboxes(String field, List<InternetAddress> addresses) {
        List<String> names = new ArrayList<>(addresses.size());
        List<String> bare = new ArrayList<>(addresses.size());
        for (InternetAddress a : addresses) {
            names.add(a.getPersonal());
            bare.add(a.getAddress());
        }
        return HeaderEncoder.addresses(field, names, bare);
    }
}
