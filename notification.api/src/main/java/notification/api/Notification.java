package notification.api;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * An e-mail notification to send: recipients, subject, body, attachments and, optionally, the person on whose
 * behalf it is sent. Immutable; build one with {@link #builder()}.
 *
 * <p>Values are checked when the notification is submitted, not when it is built: see
 * {@link NotificationService#submit(Notification)}.
 */
public final class Notification {
    private final List<String> to;
    private final List<String> cc;
    private final List<String> bcc;
    private final String subject;
    private final String textBody;
    private final String htmlBody;
    private final List<Attachment> attachments;
    private final Person onBehalfOf;
    private final String reference;
    private final Map<String, String> headers;

    private Notification(Builder b) {
        this.to = List.copyOf(b.to);
        this.cc = List.copyOf(b.cc);
        this.bcc = List.copyOf(b.bcc);
        this.subject = b.subject;
        this.textBody = b.textBody;
        this.htmlBody = b.htmlBody;
        this.attachments = List.copyOf(b.attachments);
        this.onBehalfOf = b.onBehalfOf;
        this.reference = b.reference;
        this.headers = Collections.unmodifiableMap(new LinkedHashMap<>(b.headers));
    }

    /**
     * Starts building a notification.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Returns the "To" addresses, each exactly one RFC 5322 address, optionally with a display name. A domain beyond
     * ASCII is sent as A-labels ({@code xn--}); a local part beyond ASCII is accepted only when the service is
     * configured for SMTPUTF8.
     *
     * @return the "To" addresses, never {@code null}
     */
    public List<String> to() {
        return to;
    }

    /**
     * Returns the "Cc" addresses.
     *
     * @return the "Cc" addresses, never {@code null}
     */
    public List<String> cc() {
        return cc;
    }

    /**
     * Returns the "Bcc" addresses; they receive the message but appear in no header.
     *
     * @return the "Bcc" addresses, never {@code null}
     */
    public List<String> bcc() {
        return bcc;
    }

    /**
     * Returns the subject.
     *
     * @return the subject, or {@code null} for none
     */
    public String subject() {
        return subject;
    }

    /**
     * Returns the plain-text body.
     *
     * @return the plain-text body, or {@code null}
     */
    public String textBody() {
        return textBody;
    }

    /**
     * Returns the HTML body.
     *
     * @return the HTML body, or {@code null}
     */
    public String htmlBody() {
        return htmlBody;
    }

    /**
     * Returns the attachments in the order they were added.
     *
     * @return the attachments, never {@code null}
     */
    public List<Attachment> attachments() {
        return attachments;
    }

    /**
     * Returns the person on whose behalf the notification is sent. The sender address stays the transport's own
     * mailbox; this person's name becomes the From display name and their address the Reply-To.
     *
     * @return the person, or {@code null} when the notification is sent in the print server's own name
     */
    public Person onBehalfOf() {
        return onBehalfOf;
    }

    /**
     * Returns the caller's reference, for example the print job id.
     *
     * @return the reference, or {@code null}
     */
    public String reference() {
        return reference;
    }

    /**
     * Returns the extra headers, in insertion order.
     *
     * @return the extra headers, never {@code null}
     */
    public Map<String, String> headers() {
        return headers;
    }

    /** Builds a {@link Notification}. Not thread-safe. */
    public static final class Builder {
        private final List<String> to = new ArrayList<>();
        private final List<String> cc = new ArrayList<>();
        private final List<String> bcc = new ArrayList<>();
        private String subject;
        private String textBody;
        private String htmlBody;
        private final List<Attachment> attachments = new ArrayList<>();
        private Person onBehalfOf;
        private String reference;
        private final Map<String, String> headers = new LinkedHashMap<>();

        private Builder() {
        }

        /**
         * Adds "To" recipients.
         *
         * @param addresses one address each, for example "Jane Roe &lt;jane@example.com&gt;"
         * @return this builder
         */
        public Builder to(String... addresses) {
            addAll(to, addresses);
            return this;
        }

        /**
         * Adds "Cc" recipients.
         *
         * @param addresses one address each
         * @return this builder
         */
        public Builder cc(String... addresses) {
            addAll(cc, addresses);
            return this;
        }

        /**
         * Adds "Bcc" recipients.
         *
         * @param addresses one address each
         * @return this builder
         */
        public Builder bcc(String... addresses) {
            addAll(bcc, addresses);
            return this;
        }

        /**
         * Sets the subject.
         *
         * @param subject the subject
         * @return this builder
         */
        public Builder subject(String subject) {
            this.subject = subject;
            return this;
        }

        /**
         * Sets the plain-text body.
         *
         * @param text the body
         * @return this builder
         */
        public Builder text(String text) {
            this.textBody = text;
            return this;
        }

        /**
         * Sets the HTML body. With a plain-text body too, the message carries both as alternatives.
         *
         * @param html the body
         * @return this builder
         */
        public Builder html(String html) {
            this.htmlBody = html;
            return this;
        }

        /**
         * Adds an attachment.
         *
         * @param attachment the attachment
         * @return this builder
         */
        public Builder attach(Attachment attachment) {
            attachments.add(Objects.requireNonNull(attachment, "attachment"));
            return this;
        }

        /**
         * Sends the notification on behalf of a person: their name is the From display name and their address the
         * Reply-To.
         *
         * @param person the person, or {@code null} for none
         * @return this builder
         */
        public Builder onBehalfOf(Person person) {
            this.onBehalfOf = person;
            return this;
        }

        /**
         * Sets the caller's reference, for example the print job id.
         *
         * @param reference the reference
         * @return this builder
         */
        public Builder reference(String reference) {
            this.reference = reference;
            return this;
        }

        /**
         * Adds an extra header. Headers that the renderer owns (From, To, Cc, Bcc, Subject, Reply-To, Message-ID,
         * Date, MIME-Version, Content-*) and trace or authentication fields that only mail systems set (Received,
         * Authentication-Results, DKIM-Signature, ARC-*, and the like) are refused at submit time.
         *
         * @param name the header name
         * @param value the header value
         * @return this builder
         */
        public Builder header(String name, String value) {
            headers.put(Objects.requireNonNull(name, "header name"), Objects.requireNonNull(value, "header value"));
            return this;
        }

        /**
         * Builds the notification.
         *
         * @return the immutable notification
         */
        public Notification build() {
            return new Notification(this);
        }

        private static void addAll(List<String> list, String... addresses) {
            for (String a : addresses) {
                list.add(Objects.requireNonNull(a, "address"));
            }
        }
    }
}
