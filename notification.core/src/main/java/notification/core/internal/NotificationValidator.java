package notification.core.internal;

import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.ContentType;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.ParseException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import notification.api.Attachment;
import notification.api.InvalidNotificationException;
import notification.api.Notification;
import notification.api.Person;

/** Checks a notification before anything is stored, naming the offending field; guards against header injection. */
public final class NotificationValidator {
    private static final Set<String> OWNED_HEADERS = Set.of("from", "to", "cc", "bcc", "subject", "reply-to",
            "message-id", "date", "mime-version", "sender", "return-path", "in-reply-to", "references");
    private static final int MAX_HEADER_NAME = 76;
    private static final int MAX_LINE_VALUE = 900;

    private final int maxSubjectLength;

    /**
     * Creates a validator.
     *
     * @param maxSubjectLength the longest subject accepted, in characters
     */
    public NotificationValidator(int maxSubjectLength) {
        this.maxSubjectLength = maxSubjectLength;
    }

    /**
     * Checks a notification.
     *
     * @param n the notification
     * @param sizeLimit the active transport's message size limit, or {@code null} when there is none
     * @return the notification with its addresses parsed
     * @throws InvalidNotificationException naming the first offending field
     */
    public ValidNotification validate(Notification n, SizeLimit sizeLimit) {
        if (n == null) {
            throw new InvalidNotificationException("notification", "is missing");
        }
        Map<String, String> envelope = new LinkedHashMap<>();
        List<InternetAddress> to = addresses("to", n.to(), envelope);
        List<InternetAddress> cc = addresses("cc", n.cc(), envelope);
        addresses("bcc", n.bcc(), envelope);
        if (envelope.isEmpty()) {
            throw new InvalidNotificationException("to", "at least one recipient (to, cc or bcc) is required");
        }
        if (n.subject() != null) {
            singleLine("subject", n.subject());
            if (n.subject().length() > maxSubjectLength) {
                throw new InvalidNotificationException("subject", "is " + n.subject().length()
                        + " characters long; at most " + maxSubjectLength + " are allowed");
            }
        }
        if (n.reference() != null) {
            singleLine("reference", n.reference());
            maxLength("reference", n.reference(), MAX_LINE_VALUE);
        }
        InternetAddress replyTo = n.onBehalfOf() == null ? null : person("onBehalfOf", n.onBehalfOf());
        headers(n.headers());
        attachments(n.attachments(), sizeLimit);
        return new ValidNotification(n, to, cc, List.copyOf(envelope.values()), replyTo);
    }

    private static List<InternetAddress> addresses(String field, List<String> values, Map<String, String> envelope) {
        List<InternetAddress> parsed = new ArrayList<>();
        for (int i = 0; i < values.size(); i++) {
            InternetAddress a = address(field + "[" + i + "]", values.get(i));
            parsed.add(a);
            envelope.putIfAbsent(a.getAddress().toLowerCase(Locale.ROOT), a.getAddress());
        }
        return parsed;
    }

    /**
     * Parses exactly one address strictly.
     *
     * @param field the field name for the error
     * @param value the address, optionally with a display name
     * @return the parsed address
     * @throws InvalidNotificationException if it is not exactly one valid address
     */
    static InternetAddress address(String field, String value) {
        if (value == null || value.isBlank()) {
            throw new InvalidNotificationException(field, "is empty; an e-mail address is required");
        }
        singleLine(field, value);
        try {
            InternetAddress a = new InternetAddress(value, true);
            a.validate();
            if (a.isGroup()) {
                throw new InvalidNotificationException(field, "is a group; exactly one address is required");
            }
            return new CheckedAddress(a.getAddress(), a.getPersonal());
        } catch (AddressException e) {
            String more = value.indexOf(',') >= 0 || value.indexOf(';') >= 0
                    ? " (exactly one address is allowed here)" : "";
            throw new InvalidNotificationException(field, "is not a valid e-mail address: " + e.getMessage() + more);
        }
    }

    private static InternetAddress person(String field, Person p) {
        InternetAddress a = address(field + ".address", p.address());
        if (a.getPersonal() != null) {
            throw new InvalidNotificationException(field + ".address", "must be a bare address; put the name in name");
        }
        if (p.name() != null) {
            singleLine(field + ".name", p.name());
            maxLength(field + ".name", p.name(), 200);
        }
        return new CheckedAddress(a.getAddress(), p.name() == null || p.name().isBlank() ? null : p.name());
    }

    private static void headers(Map<String, String> headers) {
        for (Map.Entry<String, String> h : headers.entrySet()) {
            String name = h.getKey();
            String field = "headers[" + name + "]";
            if (name.isEmpty() || name.length() > MAX_HEADER_NAME) {
                throw new InvalidNotificationException(field, "header name must be 1.." + MAX_HEADER_NAME + " characters");
            }
            for (int i = 0; i < name.length(); i++) {
                char c = name.charAt(i);
                if (c <= 32 || c >= 127 || c == ':') {
                    throw new InvalidNotificationException(field,
                            "header name may contain only printable ASCII characters other than ':' and space");
                }
            }
            String lower = name.toLowerCase(Locale.ROOT);
            if (OWNED_HEADERS.contains(lower) || lower.startsWith("content-") || lower.startsWith("resent-")) {
                throw new InvalidNotificationException(field, "is set by the notification service and cannot be given");
            }
            singleLine(field, h.getValue());
            maxLength(field, h.getValue(), MAX_LINE_VALUE);
        }
    }

    private static void attachments(List<Attachment> attachments, SizeLimit limit) {
        for (int i = 0; i < attachments.size(); i++) {
            Attachment a = attachments.get(i);
            String field = "attachments[" + i + "]";
            singleLine(field + ".fileName", a.fileName());
            if (a.fileName().isBlank()) {
                throw new InvalidNotificationException(field + ".fileName", "is empty");
            }
            maxLength(field + ".fileName", a.fileName(), 255);
            singleLine(field + ".mediaType", a.mediaType());
            try {
                ContentType type = new ContentType(a.mediaType());
                if (type.getPrimaryType() == null || type.getSubType() == null) {
                    throw new ParseException("missing type");
                }
            } catch (ParseException e) {
                throw new InvalidNotificationException(field + ".mediaType",
                        "is not a media type such as application/pdf: " + a.mediaType());
            }
            long size;
            try {
                size = a.size();
            } catch (UncheckedIOException e) {
                throw new InvalidNotificationException(field, "cannot be read: " + e.getCause().getMessage());
            }
            if (limit != null && size > limit.bytes()) {
                throw new InvalidNotificationException(field, "is " + SizeLimit.megabytes(size)
                        + " MB, larger than the " + SizeLimit.megabytes(limit.bytes()) + " MB limit of transport '"
                        + limit.transport() + "'");
            }
        }
    }

    /**
     * Refuses CR, LF and NUL, which would let a value inject headers.
     *
     * @param field the field name for the error
     * @param value the value
     */
    static void singleLine(String field, String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '\r' || c == '\n' || c == 0) {
                throw new InvalidNotificationException(field, "must not contain "
                        + (c == 0 ? "NUL" : c == '\r' ? "a carriage return (CR)" : "a line feed (LF)")
                        + " (position " + i + ")");
            }
        }
    }

    private static void maxLength(String field, String value, int max) {
        if (value.length() > max) {
            throw new InvalidNotificationException(field, "is longer than " + max + " characters");
        }
    }
}
