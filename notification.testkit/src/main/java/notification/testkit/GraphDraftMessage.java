package notification.testkit;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A message the fake Graph endpoint received through its draft path (create the message, add attachments, send).
 *
 * @param mailbox the mailbox in the URL
 * @param id the draft's id
 * @param resource the message resource as posted (JSON members: subject, body, toRecipients, ...)
 * @param attachments the attachments, in the order they were completed
 */
public record GraphDraftMessage(String mailbox, String id, Map<String, Object> resource,
        List<Attachment> attachments) {

    /**
     * One attachment of a draft.
     *
     * @param name the file name
     * @param contentType the MIME type
     * @param inline whether it is shown in the body
     * @param contentId the Content-ID for inline parts, or {@code null}
     * @param content the bytes received
     * @param uploaded whether it came through an upload session (else as one fileAttachment POST)
     */
    public record Attachment(String name, String contentType, boolean inline, String contentId, byte[] content,
            boolean uploaded) {
    }

    /** @return the subject */
    public String subject() {
        return (String) resource.get("subject");
    }

    /** @return the internetMessageId (the MIME Message-ID) */
    public String internetMessageId() {
        return (String) resource.get("internetMessageId");
    }

    /**
     * Lists the addresses of a recipient member.
     *
     * @param member "toRecipients", "ccRecipients", "bccRecipients" or "replyTo"
     * @return the addresses
     */
    public List<String> addresses(String member) {
        List<String> out = new ArrayList<>();
        if (resource.get(member) instanceof List<?> list) {
            for (Object recipient : list) {
                if (recipient instanceof Map<?, ?> r && r.get("emailAddress") instanceof Map<?, ?> e) {
                    out.add(String.valueOf(e.get("address")));
                }
            }
        }
        return out;
    }

    /** @return the body's content */
    public String body() {
        return resource.get("body") instanceof Map<?, ?> b ? String.valueOf(b.get("content")) : null;
    }
}
