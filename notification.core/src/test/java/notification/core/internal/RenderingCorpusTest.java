package notification.core.internal;

import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.mail.BodyPart;
import jakarta.mail.Multipart;
import jakarta.mail.Part;
import jakarta.mail.Session;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeUtility;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.Reader;
import java.net.IDN;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.TreeMap;
import notification.api.Attachment;
import notification.api.Notification;
import notification.api.Person;
import org.apache.james.mime4j.codec.DecodeMonitor;
import org.apache.james.mime4j.codec.DecoderUtil;
import org.apache.james.mime4j.dom.SingleBody;
import org.apache.james.mime4j.dom.Entity;
import org.apache.james.mime4j.dom.Message;
import org.apache.james.mime4j.dom.TextBody;
import org.apache.james.mime4j.dom.address.Mailbox;
import org.apache.james.mime4j.dom.address.MailboxList;
import org.apache.james.mime4j.message.DefaultMessageBuilder;
import org.apache.james.mime4j.stream.MimeConfig;
import org.junit.jupiter.api.Test;

/**
 * Ten thousand generated notifications (fixed seed: CJK, emoji, right-to-left text, combining marks, lengths up to
 * each limit, many recipients, IDN domains), each rendered and read back by two independent parsers, Angus Mail's
 * {@code MimeMessage} and Apache James mime4j in strict mode: every line at most 998 octets, lines with encoded words
 * at most 76, and subject, names, addresses, header values, file names, bodies and attachments as submitted.
 */
class RenderingCorpusTest {
    private static final int NOTIFICATIONS = Integer.getInteger("corpus.count", 10_000);

    static {
        // Jakarta Mail looks its stream provider up through the ServiceLoader for every decoded word and part unless
        // named here; named, the two parsers cost a tenth of the time (the product does not decode at all)
        System.setProperty("jakarta.mail.util.StreamProvider", "org.eclipse.angus.mail.util.MailStreamProvider");
    }
    private static final long SEED = 20261202L;
    private static final Session SESSION = Session.getInstance(new Properties());
    private static final String[] IDN_LABELS = {"exämple", "bücher", "例え", "пример", "مثال", "דוגמה", "παράδειγμα",
            "도메인", "ไทย", "münchen"};
    private static final String[] MEDIA_TYPES = {"application/pdf", "image/png", "text/plain; charset=utf-8",
            "application/octet-stream", "image/tiff"};

    private final Map<String, Integer> failures = new TreeMap<>();
    private final Map<String, String> firstExample = new TreeMap<>();

    @Test
    void everyGeneratedNotificationReadsBackExactlyThroughTwoStrictParsers() throws Exception {
        Random random = new Random(SEED);
        CorpusRenderer renderer = new CorpusRenderer();
        MimeConfig strict = new MimeConfig.Builder().setStrictParsing(true).setMaxLineLen(998)
                .setMaxHeaderLen(-1).setMaxHeaderCount(-1).setMaxContentLen(-1).build();
        long[] nanos = new long[4];
        for (int i = 0; i < NOTIFICATIONS; i++) {
            long t0 = System.nanoTime();
            Generated g = generate(random, i);
            byte[] raw;
            ValidNotification v;
            try {
                v = renderer.validate(g.notification);
                raw = renderer.render(v, g.onBehalfName == null ? null : g.displayName);
            } catch (RuntimeException e) {
                fail("refused or not rendered", i, e.toString());
                continue;
            }
            long t1 = System.nanoTime();
            checkLines(i, raw);
            checkWithAngus(i, g, v, raw);
            long t2 = System.nanoTime();
            checkWithMime4j(i, g, v, raw, strict);
            long t3 = System.nanoTime();
            nanos[0] += t1 - t0;
            nanos[1] += t2 - t1;
            nanos[2] += t3 - t2;
        }
        System.out.println("corpus ms: generate+render " + nanos[0] / 1000000 + ", angus " + nanos[1] / 1000000
                + ", mime4j " + nanos[2] / 1000000);
        StringBuilder report = new StringBuilder();
        failures.forEach((check, count) -> report.append(count).append(" x ").append(check).append(", e.g. ")
                .append(firstExample.get(check)).append('\n'));
        assertTrue(failures.isEmpty(), failing.size() + " of " + NOTIFICATIONS + " notifications fail:\n" + report);
    }

    private final java.util.Set<Integer> failing = new java.util.HashSet<>();

    private void fail(String check, int i, String detail) {
        failing.add(i);
        failures.merge(check, 1, Integer::sum);
        String d = String.valueOf(detail);
        int max = Integer.getInteger("corpus.detail", 300);
        firstExample.putIfAbsent(check, "#" + i + ": " + (d.length() > max ? d.substring(0, max) : d));
    }

    private void expect(boolean ok, String check, int i, String detail) {
        if (!ok) {
            fail(check, i, detail);
        }
    }

    private void checkLines(int i, byte[] raw) {
        int start = 0;
        boolean inHeaders = true;
        for (int p = 0; p + 1 < raw.length; p++) {
            if (raw[p] == '\r' && raw[p + 1] == '\n') {
                int length = p - start;
                if (length > 998) {
                    fail("line longer than 998 octets", i, length + " octets: " + new String(raw, start, 200,
                            StandardCharsets.UTF_8));
                }
                if (inHeaders || length > 76 && new String(raw, start, 8, StandardCharsets.ISO_8859_1).equals("Content-")) {
                    String line = new String(raw, start, length, StandardCharsets.UTF_8);
                    expect(!line.contains("=?") || length <= 76, "line with encoded words longer than 76", i,
                            length + ": " + line);
                    expect(line.chars().allMatch(c -> c < 128), "header line not ASCII", i, line);
                }
                if (length == 0) {
                    inHeaders = false;
                }
                start = p + 2;
            }
        }
    }

    private void checkWithAngus(int i, Generated g, ValidNotification v, byte[] raw) {
        try {
            MimeMessage m = new MimeMessage(SESSION, new ByteArrayInputStream(raw));
            expect(same(g.subject, m.getSubject()), "Angus: subject differs", i, g.subject + " | " + m.getSubject());
            InternetAddress from = (InternetAddress) m.getFrom()[0];
            expect(same(g.displayName, from.getPersonal()), "Angus: From name differs", i,
                    g.displayName + " | " + from.getPersonal());
            compareAngus(i, "To", v.to(), m.getRecipients(MimeMessage.RecipientType.TO));
            compareAngus(i, "Cc", v.cc(), m.getRecipients(MimeMessage.RecipientType.CC));
            if (v.replyTo() != null) {
                expect(expectedAddress(v.replyTo().getAddress()).equals(
                        ((InternetAddress) m.getReplyTo()[0]).getAddress()), "Angus: Reply-To differs", i,
                        v.replyTo().getAddress());
            }
            for (Map.Entry<String, String> h : g.notification.headers().entrySet()) {
                String[] values = m.getHeader(h.getKey());
                String decoded = values == null ? null : MimeUtility.decodeText(MimeUtility.unfold(values[0]));
                expect(same(h.getValue(), decoded), "Angus: custom header differs", i,
                        h.getKey() + ": " + h.getValue() + " | " + decoded);
            }
            List<Part> leaves = new ArrayList<>();
            collect(m, leaves);
            int attachment = 0;
            for (Part p : leaves) {
                if (Part.ATTACHMENT.equalsIgnoreCase(p.getDisposition())) {
                    Attachment a = g.notification.attachments().get(attachment++);
                    expect(a.fileName().equals(p.getFileName()), "Angus: file name differs", i,
                            a.fileName() + " | " + p.getFileName());
                    try (InputStream in = p.getInputStream(); InputStream expected = a.open()) {
                        expect(Arrays.equals(expected.readAllBytes(), in.readAllBytes()),
                                "Angus: attachment bytes differ", i, a.fileName());
                    }
                } else if (p.isMimeType("text/plain")) {
                    expect(sameBody(g.notification.textBody(), (String) p.getContent()), "Angus: text body differs",
                            i, g.notification.textBody());
                } else if (p.isMimeType("text/html")) {
                    expect(sameBody(g.notification.htmlBody(), (String) p.getContent()), "Angus: html body differs",
                            i, g.notification.htmlBody());
                }
            }
            expect(attachment == g.notification.attachments().size(), "Angus: attachment missing", i,
                    attachment + " of " + g.notification.attachments().size());
        } catch (Exception e) {
            fail("Angus: cannot parse", i, e.toString());
        }
    }

    private void compareAngus(int i, String header, List<InternetAddress> expected, jakarta.mail.Address[] actual) {
        if (expected.isEmpty()) {
            expect(actual == null, "Angus: unexpected " + header, i, Arrays.toString(actual));
            return;
        }
        if (actual == null || actual.length != expected.size()) {
            fail("Angus: " + header + " count differs", i, expected.size() + " | "
                    + (actual == null ? 0 : actual.length));
            return;
        }
        for (int k = 0; k < actual.length; k++) {
            InternetAddress a = (InternetAddress) actual[k];
            InternetAddress e = expected.get(k);
            expect(expectedAddress(e.getAddress()).equals(a.getAddress()), "Angus: " + header + " address differs", i,
                    e.getAddress() + " | " + a.getAddress());
            expect(same(e.getPersonal(), a.getPersonal()), "Angus: " + header + " name differs", i,
                    e.getPersonal() + " | " + a.getPersonal());
        }
    }

    private static void collect(Part p, List<Part> leaves) throws Exception {
        if (p.isMimeType("multipart/*")) {
            Multipart mp = (Multipart) p.getContent();
            for (int k = 0; k < mp.getCount(); k++) {
                BodyPart b = mp.getBodyPart(k);
                collect(b, leaves);
            }
        } else {
            leaves.add(p);
        }
    }

    private void checkWithMime4j(int i, Generated g, ValidNotification v, byte[] raw, MimeConfig config) {
        try {
            DefaultMessageBuilder builder = new DefaultMessageBuilder();
            builder.setMimeEntityConfig(config);
            builder.setDecodeMonitor(DecodeMonitor.STRICT);
            Message m = builder.parseMessage(new ByteArrayInputStream(raw));
            expect(same(g.subject, m.getSubject()), "mime4j: subject differs", i, codePoints(g.subject) + " | "
                    + codePoints(m.getSubject()));
            Mailbox from = m.getFrom().get(0);
            expect(same(g.displayName, from.getName()), "mime4j: From name differs", i,
                    g.displayName + " | " + from.getName());
            compareMime4j(i, "To", v.to(), m.getTo() == null ? null : m.getTo().flatten());
            compareMime4j(i, "Cc", v.cc(), m.getCc() == null ? null : m.getCc().flatten());
            for (Map.Entry<String, String> h : g.notification.headers().entrySet()) {
                var field = m.getHeader().getField(h.getKey());
                String decoded = field == null ? null
                        : DecoderUtil.decodeEncodedWords(unfold(field.getBody()).stripLeading(), DecodeMonitor.STRICT);
                expect(same(h.getValue(), decoded), "mime4j: custom header differs", i,
                        h.getKey() + ": " + h.getValue() + " | " + decoded);
            }
            List<Entity> leaves = new ArrayList<>();
            collect(m, leaves);
            int attachment = 0;
            for (Entity e : leaves) {
                if ("attachment".equalsIgnoreCase(e.getDispositionType())) {
                    Attachment a = g.notification.attachments().get(attachment++);
                    expect(a.fileName().equals(e.getFilename()), "mime4j: file name differs", i,
                            a.fileName() + " | " + e.getFilename());
                    try (InputStream in = ((SingleBody) e.getBody()).getInputStream(); InputStream x = a.open()) {
                        expect(Arrays.equals(x.readAllBytes(), in.readAllBytes()), "mime4j: attachment bytes differ",
                                i, a.fileName());
                    }
                } else if ("text/plain".equals(e.getMimeType())) {
                    expect(sameBody(g.notification.textBody(), read((TextBody) e.getBody())),
                            "mime4j: text body differs", i, g.notification.textBody());
                } else if ("text/html".equals(e.getMimeType())) {
                    expect(sameBody(g.notification.htmlBody(), read((TextBody) e.getBody())),
                            "mime4j: html body differs", i, g.notification.htmlBody());
                }
            }
            expect(attachment == g.notification.attachments().size(), "mime4j: attachment missing", i,
                    attachment + " of " + g.notification.attachments().size());
        } catch (Exception e) {
            fail("mime4j: cannot parse", i, e.toString());
        }
    }

    private void compareMime4j(int i, String header, List<InternetAddress> expected, MailboxList actual) {
        if (expected.isEmpty()) {
            expect(actual == null, "mime4j: unexpected " + header, i, String.valueOf(actual));
            return;
        }
        if (actual == null || actual.size() != expected.size()) {
            fail("mime4j: " + header + " count differs", i, expected.size() + " | "
                    + (actual == null ? 0 : actual.size()));
            return;
        }
        for (int k = 0; k < actual.size(); k++) {
            Mailbox a = actual.get(k);
            InternetAddress e = expected.get(k);
            expect(expectedAddress(e.getAddress()).equals(a.getAddress()), "mime4j: " + header + " address differs",
                    i, e.getAddress() + " | " + a.getAddress());
            expect(same(e.getPersonal(), a.getName()), "mime4j: " + header + " name differs", i,
                    e.getPersonal() + " | " + a.getName());
        }
    }

    private static void collect(Entity e, List<Entity> leaves) {
        if (e.getBody() instanceof org.apache.james.mime4j.dom.Multipart mp) {
            for (Entity part : mp.getBodyParts()) {
                collect(part, leaves);
            }
        } else {
            leaves.add(e);
        }
    }

    private static String read(TextBody body) throws Exception {
        try (Reader r = body.getReader()) {
            StringBuilder sb = new StringBuilder();
            char[] buffer = new char[4096];
            for (int n; (n = r.read(buffer)) >= 0; ) {
                sb.append(buffer, 0, n);
            }
            return sb.toString();
        }
    }

    private static String codePoints(String s) {
        return s == null ? "null" : s.codePoints().mapToObj(Integer::toHexString).toList().toString();
    }

    private static String unfold(String s) {
        return s.replace("\r\n", "");
    }

    /** The address as it must appear in the message: the domain as A-labels. */
    private static String expectedAddress(String address) {
        int at = address.lastIndexOf('@');
        return address.substring(0, at + 1) + IDN.toASCII(address.substring(at + 1), IDN.USE_STD3_ASCII_RULES).toLowerCase(Locale.ROOT);
    }

    private static boolean same(String expected, String actual) {
        return expected == null || expected.isEmpty() ? actual == null || actual.isEmpty() : expected.equals(actual);
    }

    /** Bodies compare with line ends normalized and the one line end a renderer may add at the end. */
    private static boolean sameBody(String expected, String actual) {
        if (expected == null) {
            return actual == null || actual.isBlank();
        }
        String e = expected.replace("\r\n", "\n").replace('\r', '\n');
        String a = actual.replace("\r\n", "\n");
        return a.equals(e) || a.equals(e + "\n");
    }

    private record Generated(Notification notification, String subject, String onBehalfName, String displayName) {
    }

    private static Generated generate(Random r, int i) {
        Notification.Builder b = Notification.builder();
        int toCount = r.nextInt(50) == 0 ? 1 + r.nextInt(120) : 1 + r.nextInt(4);
        for (int k = 0; k < toCount; k++) {
            b.to(address(r, "to" + k));
        }
        for (int k = r.nextInt(3); k > 0; k--) {
            b.cc(address(r, "cc" + k));
        }
        if (r.nextInt(4) == 0) {
            b.bcc(address(r, "bcc"));
        }
        String subject = r.nextInt(10) == 0 ? null : text(r, length(r, 998), false);
        b.subject(subject);
        if (r.nextInt(3) > 0 || r.nextInt(2) == 0) {
            b.text(text(r, length(r, 3000), true));
        }
        if (r.nextInt(4) == 0) {
            b.html("<p>" + text(r, length(r, 2000), true) + "</p>");
        }
        String onBehalfName = null;
        if (r.nextInt(2) == 0) {
            onBehalfName = r.nextInt(8) == 0 ? null : nonBlank(text(r, length(r, 200), false));
            b.onBehalfOf(new Person(onBehalfName, "user" + i + "@" + domain(r)));
        }
        for (int k = r.nextInt(4) == 0 ? 1 + r.nextInt(3) : 0; k > 0; k--) {
            b.header(headerName(r, k), text(r, length(r, 900), false));
        }
        for (int k = r.nextInt(3) == 0 ? 1 + r.nextInt(3) : 0; k > 0; k--) {
            String extension = r.nextBoolean() ? ".pdf" : ".tiff";
            String name = nonBlank(text(r, 1 + r.nextInt(255 - extension.length()), false)).strip() + extension;
            byte[] content = new byte[r.nextInt(1000)];
            r.nextBytes(content);
            b.attach(Attachment.ofBytes(name, MEDIA_TYPES[r.nextInt(MEDIA_TYPES.length)], content));
        }
        Notification n = b.build();
        String display = n.onBehalfOf() == null ? "Print Server"
                : FromHeader.displayName(new Person("Print Server", "scanner@example.com"), n.onBehalfOf().name(),
                        n.onBehalfOf().address(), "{name}");
        return new Generated(n, subject, onBehalfName, display);
    }

    /** Mostly short, sometimes anywhere up to the limit, sometimes exactly the limit. */
    private static int length(Random r, int max) {
        return switch (r.nextInt(10)) {
            case 0 -> max;
            case 1, 2 -> r.nextInt(max + 1);
            default -> r.nextInt(Math.min(max, 80) + 1);
        };
    }

    private static String nonBlank(String s) {
        return s.isBlank() ? "x" + s : s;
    }

    private static String address(Random r, String local) {
        String address = local + "." + Integer.toString(r.nextInt(1 << 20), 36) + "@" + domain(r);
        if (r.nextInt(3) == 0) {
            return address;
        }
        String name = text(r, length(r, 200), false).strip();
        if (name.isEmpty()) {
            return address;
        }
        return "\"" + name.replace("\\", "\\\\").replace("\"", "\\\"") + "\" <" + address + ">";
    }

    private static String domain(Random r) {
        if (r.nextInt(3) == 0) {
            return IDN_LABELS[r.nextInt(IDN_LABELS.length)] + (r.nextBoolean() ? ".org" : ".example");
        }
        return "example.org";
    }

    private static String headerName(Random r, int k) {
        String chars = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-";
        StringBuilder sb = new StringBuilder("X-" + k);
        int length = r.nextInt(5) == 0 ? 76 : 3 + r.nextInt(20);
        while (sb.length() < length) {
            sb.append(chars.charAt(r.nextInt(chars.length())));
        }
        return sb.toString();
    }

    /** Random text from several scripts; with line breaks only when multiline. */
    static String text(Random r, int length, boolean multiline) {
        StringBuilder sb = new StringBuilder(length);
        int script = r.nextInt(7);
        while (sb.length() < length) {
            int kind = r.nextInt(10) < 5 ? script : r.nextInt(9);
            int cp = switch (kind) {
                case 0 -> 0x20 + r.nextInt(0x5f);                  // printable ASCII, quotes and specials included
                case 1 -> "àéîõüßçñÆØÅœ".charAt(r.nextInt(12));   // Latin with diacritics
                case 2 -> 0x4e00 + r.nextInt(0x5000);              // CJK
                case 3 -> 0x1f600 + r.nextInt(0x50);               // emoji (surrogate pairs)
                case 4 -> 0x05d0 + r.nextInt(27);                  // Hebrew (right to left)
                case 5 -> 0x0627 + r.nextInt(20);                  // Arabic (right to left)
                case 6 -> r.nextBoolean() ? 'e' : 0x0300 + r.nextInt(0x70); // combining marks
                case 7 -> ' ';
                default -> multiline && r.nextInt(3) == 0 ? '\n' : "=?_,;:\"\\()<>@.".charAt(r.nextInt(14));
            };
            if (sb.length() + Character.charCount(cp) > length) {
                cp = 'a';
            }
            sb.appendCodePoint(cp);
        }
        return sb.toString();
    }

    /** Validates and renders as the service does, with the From line of a transport named "Print Server". */
    static final class CorpusRenderer {
        private final MessageRenderer renderer = new MessageRenderer();
        private final NotificationValidator validator = new NotificationValidator(998);
        private final Person sender = new Person("Print Server", "scanner@example.com");

        ValidNotification validate(Notification n) {
            return validator.validate(n, null);
        }

        byte[] render(ValidNotification v, String onBehalfDisplay) throws Exception {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            Person onBehalf = v.notification().onBehalfOf();
            out.write(FromHeader.line(sender, onBehalf == null ? sender.name() : FromHeader.displayName(sender,
                    onBehalf.name(), onBehalf.address(), "{name}")));
            renderer.render(v, "<corpus@example.org>", Instant.ofEpochSecond(1_790_000_000L), out);
            return out.toByteArray();
        }
    }
}
