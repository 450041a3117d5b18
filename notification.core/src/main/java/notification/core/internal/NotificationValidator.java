package notification.core.internal;

import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.ContentType;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.ParseException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
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
    /**
     * Fields only a mail system may set, refused as a category: trace fields (RFC 5321 4.4, RFC 5322 3.6.7),
     * authentication results and signatures (RFC 8601, 7208, 6376, 8617), and the fields Exchange, Gmail and spam
     * filters set for themselves. A forged one could make a message look authenticated or already filtered.
     */
    private static final Set<String> MAIL_SYSTEM_HEADERS = Set.of("received", "x-received", "return-path",
            "delivered-to", "x-original-to", "authentication-results", "received-spf", "dkim-signature",
            "domainkey-signature", "x-google-dkim-signature", "arc-seal", "arc-message-signature",
            "arc-authentication-results");
    private static final List<String> MAIL_SYSTEM_PREFIXES = List.of("arc-", "x-ms-exchange-", "x-google-", "x-gm-",
            "x-spam-", "x-forefront-", "x-microsoft-antispam");
    private static final int MAX_HEADER_NAME = 76;
    private static final int MAX_LINE_VALUE = 900;
    private static final int MAX_DISPLAY_NAME = 200;
    private static final int MAX_FILE_NAME = 255;
    private static final int MAX_MEDIA_TYPE = 200;
    private static final int MAX_LOCAL_PART_OCTETS = 64;
    private static final int MAX_ADDRESS_OCTETS = 254;

    private final CoreSettings settings;

    /**
     * Creates a validator with the default limits and the given subject length.
     *
     * @param maxSubjectLength the longest subject accepted, in characters
     */
    public NotificationValidator(int maxSubjectLength) {
        this(CoreSettings.DEFAULTS.withMaxSubjectLength(maxSubjectLength));
    }

    /**
     * Creates a validator.
     *
     * @param settings the limits: subject length, recipients, headers, message size, UTF-8 addresses
     */
    public NotificationValidator(CoreSettings settings) {
        this.settings = settings;
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
        if (envelope.size() > settings.maxRecipients()) {
            throw new InvalidNotificationException("to", "has " + envelope.size() + " recipients (to, cc and bcc"
                    + " together); at most " + settings.maxRecipients() + " are allowed per notification"
                    + " (maxRecipients)");
        }
        if (n.subject() != null) {
            singleLine("subject", n.subject());
            if (n.subject().length() > settings.maxSubjectLength()) {
                throw new InvalidNotificationException("subject", "is " + n.subject().length()
                        + " characters long; at most " + settings.maxSubjectLength() + " are allowed");
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

    private List<InternetAddress> addresses(String field, List<String> values, Map<String, String> envelope) {
        List<InternetAddress> parsed = new ArrayList<>();
        for (int i = 0; i < values.size(); i++) {
            InternetAddress a = address(field + "[" + i + "]", values.get(i), settings.allowUtf8Addresses());
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
        return address(field, value, false);
    }

    /**
     * Parses exactly one address strictly, as it will go on the wire: the domain as A-labels.
     *
     * @param field the field name for the error
     * @param value the address, optionally with a display name
     * @param allowUtf8 whether a local part beyond ASCII is accepted (RFC 6531/6532)
     * @return the parsed address
     * @throws InvalidNotificationException if it is not exactly one valid address
     */
    static InternetAddress address(String field, String value, boolean allowUtf8) {
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
            if (a.getPersonal() != null && a.getPersonal().length() > MAX_DISPLAY_NAME) {
                throw new InvalidNotificationException(field, "has a display name longer than " + MAX_DISPLAY_NAME
                        + " characters");
            }
            return new CheckedAddress(wireAddress(field, a.getAddress(), allowUtf8), a.getPersonal());
        } catch (AddressException e) {
            String more = value.indexOf(',') >= 0 || value.indexOf(';') >= 0
                    ? " (exactly one address is allowed here)" : "";
            throw new InvalidNotificationException(field, "is not a valid e-mail address: " + e.getMessage() + more);
        }
    }

    /** Checks the parts of a bare address and returns it with its domain as A-labels. */
    private static String wireAddress(String field, String address, boolean allowUtf8) {
        if (address.startsWith("@")) {
            throw new InvalidNotificationException(field, "is a source route (" + address + "); give the mailbox"
                    + " alone, as local-part@domain");
        }
        int at = address.lastIndexOf('@');
        if (at <= 0) {
            throw new InvalidNotificationException(field, "has no domain; an address is local-part@domain");
        }
        String local = address.substring(0, at);
        if (local.startsWith("\"")) {
            for (int i = 1; i < local.length() - 1; i++) {
                char c = local.charAt(i);
                if (c < 0x20 || c > 0x7e || c == '"' || c == '\\' || c == '<' || c == '>') {
                    throw new InvalidNotificationException(field, "has a quoted local part with '" + c + "'; a quoted"
                            + " local part may hold only printable ASCII other than \", \\, < and >");
                }
            }
        }
        if (MailAddresses.hasNonAscii(local) && !allowUtf8) {
            throw new InvalidNotificationException(field, "has a local part beyond ASCII (" + local + "), which only"
                    + " mail servers with SMTPUTF8 (RFC 6531) accept; to send such addresses, set"
                    + " allowUtf8Addresses=true in notification.core");
        }
        if (local.getBytes(StandardCharsets.UTF_8).length > MAX_LOCAL_PART_OCTETS) {
            throw new InvalidNotificationException(field, "has a local part longer than " + MAX_LOCAL_PART_OCTETS
                    + " octets (RFC 5321)");
        }
        String wire;
        try {
            wire = MailAddresses.onTheWire(address);
        } catch (IllegalArgumentException e) {
            throw new InvalidNotificationException(field, "has a domain that is not a valid internationalized domain"
                    + " name: " + e.getMessage());
        }
        if (wire.getBytes(StandardCharsets.UTF_8).length > MAX_ADDRESS_OCTETS) {
            throw new InvalidNotificationException(field, "is longer than " + MAX_ADDRESS_OCTETS
                    + " octets once its domain is encoded (RFC 5321)");
        }
        return wire;
    }

    private InternetAddress person(String field, Person p) {
        InternetAddress a = address(field + ".address", p.address(), settings.allowUtf8Addresses());
        if (a.getPersonal() != null) {
            throw new InvalidNotificationException(field + ".address", "must be a bare address; put the name in name");
        }
        if (p.name() != null) {
            singleLine(field + ".name", p.name());
            maxLength(field + ".name", p.name(), MAX_DISPLAY_NAME);
        }
        return new CheckedAddress(a.getAddress(), p.name() == null || p.name().isBlank() ? null : p.name());
    }

    private void headers(Map<String, String> headers) {
        if (headers.size() > settings.maxHeaders()) {
            throw new InvalidNotificationException("headers", "has " + headers.size() + " extra headers; at most "
                    + settings.maxHeaders() + " are allowed (maxHeaders)");
        }
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
            if (MAIL_SYSTEM_HEADERS.contains(lower) || MAIL_SYSTEM_PREFIXES.stream().anyMatch(lower::startsWith)) {
                throw new InvalidNotificationException(field, "is a trace or authentication field (" + name + ") that"
                        + " only mail servers may add, and cannot be given");
            }
            singleLine(field, h.getValue());
            maxLength(field, h.getValue(), MAX_LINE_VALUE);
        }
    }

    private void attachments(List<Attachment> attachments, SizeLimit limit) {
        long total = 0;
        for (int i = 0; i < attachments.size(); i++) {
            Attachment a = attachments.get(i);
            String field = "attachments[" + i + "]";
            singleLine(field + ".fileName", a.fileName());
            if (a.fileName().isBlank()) {
                throw new InvalidNotificationException(field + ".fileName", "is empty");
            }
            maxLength(field + ".fileName", a.fileName(), MAX_FILE_NAME);
            singleLine(field + ".mediaType", a.mediaType());
            maxLength(field + ".mediaType", a.mediaType(), MAX_MEDIA_TYPE);
            if (!HeaderEncoder.isPrintableAscii(a.mediaType())) {
                throw new InvalidNotificationException(field + ".mediaType", "must be printable ASCII");
            }
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
            total += size;
        }
        if (total > settings.maxMessageSize()) {
            throw new InvalidNotificationException("attachments", "are " + SizeLimit.megabytes(total)
                    + " MB together, larger than the " + SizeLimit.megabytes(settings.maxMessageSize())
                    + " MB allowed for one notification (maxMessageSize)");
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
