package notification.oauth.internal;

import com.azure.json.JsonProviders;
import com.azure.json.JsonWriter;
import jakarta.mail.Address;
import jakarta.mail.Header;
import jakarta.mail.Message.RecipientType;
import jakarta.mail.MessagingException;
import jakarta.mail.Multipart;
import jakarta.mail.Part;
import jakarta.mail.internet.ContentType;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeUtility;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * A MIME message taken apart for Graph's draft path: the message resource as JSON (subject, body, recipients,
 * Reply-To, From = the mailbox, X- headers, internetMessageId = the Message-ID) and its attachments, which are read
 * again from the MIME part when uploaded rather than held in memory.
 */
final class GraphDraft {

    /** One attachment of the message; its content is decoded from the MIME part on each {@link #open()}. */
    record Attachment(Part part, String name, String contentType, boolean inline, String contentId, long size) {

        InputStream open() throws IOException, MessagingException {
            return part.getInputStream();
        }

        /** @return the request body of {@code POST .../attachments} with the whole content */
        String fileAttachmentJson(byte[] content) throws IOException {
            StringWriter out = new StringWriter();
            try (JsonWriter w = JsonProviders.createWriter(out)) {
                w.writeStartObject().writeStringField("@odata.type", "#microsoft.graph.fileAttachment");
                describe(w);
                w.writeStringField("contentBytes", Base64.getEncoder().encodeToString(content)).writeEndObject();
            }
            return out.toString();
        }

        /** @return the request body of {@code POST .../attachments/createUploadSession} */
        String uploadSessionJson() throws IOException {
            StringWriter out = new StringWriter();
            try (JsonWriter w = JsonProviders.createWriter(out)) {
                w.writeStartObject().writeStartObject("AttachmentItem").writeStringField("attachmentType", "file");
                describe(w);
                w.writeLongField("size", size).writeEndObject().writeEndObject();
            }
            return out.toString();
        }

        private void describe(JsonWriter w) throws IOException {
            w.writeStringField("name", name).writeStringField("contentType", contentType)
                    .writeBooleanField("isInline", inline);
            if (contentId != null) {
                w.writeStringField("contentId", contentId);
            }
        }
    }

    private final String json;
    private final List<Attachment> attachments;

    private GraphDraft(String json, List<Attachment> attachments) {
        this.json = json;
        this.attachments = attachments;
    }

    /** @return the message resource for {@code POST /users/{mailbox}/messages} */
    String json() {
        return json;
    }

    /** @return the attachments, in MIME order */
    List<Attachment> attachments() {
        return Collections.unmodifiableList(attachments);
    }

    /**
     * Takes a message apart; runs with Angus Mail's class loader as context class loader (multipart content).
     *
     * @param mime the parsed message
     * @param mailbox the sending mailbox (Graph's From)
     * @param envelope the envelope recipients; those not in To or Cc become Bcc
     * @return the draft
     * @throws MessagingException if the MIME structure cannot be read
     */
    static GraphDraft of(MimeMessage mime, String mailbox, List<String> envelope) throws MessagingException {
        try {
            Parts parts = new Parts();
            parts.walk(mime);
            return new GraphDraft(resource(mime, mailbox, envelope, parts), parts.attachments);
        } catch (IOException e) {
            throw new MessagingException("cannot read the message: " + e.getMessage(), e);
        }
    }

    /** Walks the MIME tree: the first HTML (else plain text) body, everything else an attachment. */
    private static final class Parts {
        String html;
        String text;
        final List<Attachment> attachments = new ArrayList<>();

        void walk(Part part) throws MessagingException, IOException {
            boolean attached = Part.ATTACHMENT.equalsIgnoreCase(part.getDisposition()) || part.getFileName() != null;
            if (part.isMimeType("multipart/*")) {
                Multipart multipart = (Multipart) part.getContent();
                for (int i = 0; i < multipart.getCount(); i++) {
                    walk(multipart.getBodyPart(i));
                }
            } else if (!attached && part.isMimeType("text/html") && html == null) {
                html = String.valueOf(part.getContent());
            } else if (!attached && part.isMimeType("text/plain") && text == null) {
                text = String.valueOf(part.getContent());
            } else {
                attachments.add(attachment(part, attachments.size() + 1));
            }
        }

        private static Attachment attachment(Part part, int number) throws MessagingException, IOException {
            String type = new ContentType(part.getContentType()).getBaseType().toLowerCase(Locale.ROOT);
            String name = part.getFileName() != null ? part.getFileName()
                    : "attachment-" + number + (type.equals("message/rfc822") ? ".eml" : "");
            String[] ids = part.getHeader("Content-ID");
            String contentId = ids == null ? null : ids[0].replaceAll("^\\s*<|>\\s*$", "");
            boolean inline = Part.INLINE.equalsIgnoreCase(part.getDisposition()) && contentId != null;
            long size;
            try (InputStream in = part.getInputStream()) {
                size = in.transferTo(OutputStream.nullOutputStream());
            }
            return new Attachment(part, name, type, inline, contentId, size);
        }
    }

    private static String resource(MimeMessage mime, String mailbox, List<String> envelope, Parts parts)
            throws MessagingException, IOException {
        StringWriter out = new StringWriter();
        try (JsonWriter w = JsonProviders.createWriter(out)) {
            w.writeStartObject();
            w.writeStringField("subject", mime.getSubject() == null ? "" : mime.getSubject());
            w.writeStartObject("body");
            w.writeStringField("contentType", parts.html != null ? "html" : "text");
            w.writeStringField("content", parts.html != null ? parts.html : parts.text == null ? "" : parts.text);
            w.writeEndObject();
            InternetAddress from = first(mime.getFrom());
            w.writeStartObject("from");
            address(w, new InternetAddress(mailbox, from == null ? null : from.getPersonal(), "UTF-8"));
            w.writeEndObject();
            Set<String> visible = new LinkedHashSet<>();
            recipients(w, "toRecipients", mime.getRecipients(RecipientType.TO), visible);
            recipients(w, "ccRecipients", mime.getRecipients(RecipientType.CC), visible);
            List<Address> hidden = new ArrayList<>();
            for (String recipient : envelope) {
                if (!visible.contains(recipient.toLowerCase(Locale.ROOT))) {
                    hidden.add(new InternetAddress(recipient));
                }
            }
            recipients(w, "bccRecipients", hidden.toArray(new Address[0]), new LinkedHashSet<>());
            recipients(w, "replyTo", replyTo(mime), new LinkedHashSet<>());
            if (mime.getMessageID() != null) {
                w.writeStringField("internetMessageId", mime.getMessageID());
            }
            List<Header> custom = new ArrayList<>();
            for (Header h : Collections.list(mime.getAllHeaders())) {
                if (h.getName().regionMatches(true, 0, "X-", 0, 2)) {
                    custom.add(h);
                }
            }
            if (!custom.isEmpty()) {
                w.writeStartArray("internetMessageHeaders");
                for (Header h : custom) {
                    w.writeStartObject().writeStringField("name", h.getName())
                            .writeStringField("value", MimeUtility.unfold(h.getValue()).strip()).writeEndObject();
                }
                w.writeEndArray();
            }
            w.writeEndObject();
        }
        return out.toString();
    }

    private static Address[] replyTo(MimeMessage mime) throws MessagingException {
        String[] header = mime.getHeader("Reply-To");
        return header == null ? null : InternetAddress.parseHeader(header[0], false);
    }

    private static void recipients(JsonWriter w, String member, Address[] addresses, Set<String> seen)
            throws IOException {
        if (addresses == null || addresses.length == 0) {
            return;
        }
        w.writeStartArray(member);
        for (Address a : addresses) {
            if (a instanceof InternetAddress ia) {
                seen.add(ia.getAddress().toLowerCase(Locale.ROOT));
                w.writeStartObject();
                address(w, ia);
                w.writeEndObject();
            }
        }
        w.writeEndArray();
    }

    private static void address(JsonWriter w, InternetAddress a) throws IOException {
        w.writeStartObject("emailAddress");
        w.writeStringField("address", a.getAddress());
        if (a.getPersonal() != null) {
            w.writeStringField("name", a.getPersonal());
        }
        w.writeEndObject();
    }

    private static InternetAddress first(Address[] addresses) {
        return addresses != null && addresses.length > 0 && addresses[0] instanceof InternetAddress ia ? ia : null;
    }
}
