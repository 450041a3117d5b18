package notification.core.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.mail.Multipart;
import jakarta.mail.Part;
import jakarta.mail.Session;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.Random;
import notification.api.Attachment;
import notification.api.DeliveryState;
import notification.api.Notification;
import notification.api.Person;
import notification.api.Receipt;
import notification.api.transport.DeliveryResult;
import notification.api.transport.OutgoingMessage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the recipient reads: From per transport, on-behalf name and Reply-To, RFC 2047, a stable Message-ID. */
class RenderingTest {
    private static final Session SESSION = Session.getInstance(new Properties());
    @TempDir
    Path dir;
    OutboxNotificationService service;

    private OutboxNotificationService open(CoreSettings settings) throws Exception {
        service = new OutboxNotificationService(dir.resolve("outbox"), settings, Clock.systemUTC());
        return service;
    }

    @AfterEach
    void close() {
        if (service != null) {
            service.close();
        }
    }

    static MimeMessage parse(String text) throws Exception {
        return new MimeMessage(SESSION, new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void sendsOnBehalfOfAPersonFromTheTransportsMailbox() throws Exception {
        open(CoreSettings.DEFAULTS);
        ScriptedTransport t = new ScriptedTransport("scanner@example.com", "Print Server");
        service.bind("pickup", t);
        service.submit(Notification.builder().to("Jane Roe <jane@example.com>").subject("Your scan")
                .text("See attachment").onBehalfOf(new Person("John Doe", "john.doe@example.com")).build());
        Poll.until("delivery", Duration.ofSeconds(10), () -> t.delivered.size() == 1);
        MimeMessage m = parse(t.delivered.get(0).text());
        InternetAddress from = (InternetAddress) m.getFrom()[0];
        assertEquals("scanner@example.com", from.getAddress());
        assertEquals("John Doe", from.getPersonal());
        assertEquals("john.doe@example.com", ((InternetAddress) m.getReplyTo()[0]).getAddress());
        assertEquals("scanner@example.com", t.delivered.get(0).envelopeFrom());
        assertEquals(1, m.getHeader("From").length);
        assertEquals("Your scan", m.getSubject());
        assertTrue(m.getSentDate() != null);
    }

    @Test
    void usesThePatternAndEncodesNonAsciiNames() throws Exception {
        open(new CoreSettings(List.of("pickup"), Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofDays(1),
                "{name} via Scanner ({address})", 998));
        ScriptedTransport t = new ScriptedTransport("scanner@example.com", null);
        service.bind("pickup", t);
        service.submit(Notification.builder().to("Jürgen <jurgen@example.com>").subject("Scan für Jürgen – 2 Seiten")
                .text("Grüße").onBehalfOf(new Person("Zoë Ægir", "zoe@example.com")).build());
        Poll.until("delivery", Duration.ofSeconds(10), () -> t.delivered.size() == 1);
        String raw = t.delivered.get(0).text();
        String headers = raw.substring(0, raw.indexOf("\r\n\r\n"));
        assertTrue(headers.chars().allMatch(c -> c < 128), "headers are ASCII only:\n" + headers);
        assertTrue(headers.contains("=?UTF-8?"), headers);
        MimeMessage m = parse(raw);
        assertEquals("Zoë Ægir via Scanner (zoe@example.com)", ((InternetAddress) m.getFrom()[0]).getPersonal());
        assertEquals("Scan für Jürgen – 2 Seiten", m.getSubject());
        assertEquals("Jürgen", ((InternetAddress) m.getRecipients(MimeMessage.RecipientType.TO)[0]).getPersonal());
    }

    @Test
    void withoutOnBehalfTheTransportsNameIsUsedAndThereIsNoReplyTo() throws Exception {
        open(CoreSettings.DEFAULTS);
        ScriptedTransport t = new ScriptedTransport("scanner@example.com", "Print Server");
        service.bind("pickup", t);
        service.submit(Notification.builder().to("jane@example.com").bcc("audit@example.com").text("x").build());
        Poll.until("delivery", Duration.ofSeconds(10), () -> t.delivered.size() == 1);
        MimeMessage m = parse(t.delivered.get(0).text());
        assertEquals("Print Server", ((InternetAddress) m.getFrom()[0]).getPersonal());
        assertNull(m.getHeader("Reply-To"));
        assertNull(m.getHeader("Bcc"), "Bcc never appears in the message");
        assertEquals(List.of("jane@example.com", "audit@example.com"), t.delivered.get(0).recipients());
    }

    @Test
    void messageIdStaysTheSameAcrossRetriesAndFailover() throws Exception {
        open(new CoreSettings(List.of("first", "second"), Duration.ofMillis(50), Duration.ofMillis(100),
                Duration.ofDays(1), "{name}", 998));
        ScriptedTransport first = new ScriptedTransport("one@example.com", "One");
        for (int i = 0; i < 1000; i++) {
            first.then(DeliveryResult.transientFailure("421 try later"));
        }
        ScriptedTransport second = new ScriptedTransport("two@example.com", "Two");
        service.bind("first", first);
        service.bind("second", second);
        Receipt r = service.submit(Notification.builder().to("jane@example.com").subject("s").text("t").build());
        Poll.until("second attempt", Duration.ofSeconds(10), () -> first.delivered.size() == 2);
        String a = first.delivered.get(0).text();
        String b = first.delivered.get(1).text();
        assertEquals(a, b, "a retry sends the very same message");
        assertEquals(r.messageId(), parse(a).getMessageID());
        assertEquals(2, first.delivered.get(1).attempt());

        first.health = notification.api.transport.TransportHealth.of(
                notification.api.transport.TransportHealth.State.AUTHORIZATION_REQUIRED, "sign in");
        Poll.until("failover delivery", Duration.ofSeconds(10), () -> second.delivered.size() == 1);
        MimeMessage viaSecond = parse(second.delivered.get(0).text());
        assertEquals(r.messageId(), viaSecond.getMessageID());
        assertEquals("two@example.com", ((InternetAddress) viaSecond.getFrom()[0]).getAddress());
        assertEquals(a.substring(a.indexOf("\r\n") + 2), second.delivered.get(0).text()
                .substring(second.delivered.get(0).text().indexOf("\r\n") + 2), "only the From line differs");
    }

    @Test
    void toMimeMessageKeepsTheMessageIdWhenSaved() throws Exception {
        open(CoreSettings.DEFAULTS);
        MimeMessage[] seen = new MimeMessage[1];
        ScriptedTransport t = new ScriptedTransport("scanner@example.com", "Scanner") {
            @Override
            public DeliveryResult deliver(OutgoingMessage message) {
                try {
                    MimeMessage m = message.toMimeMessage(SESSION);
                    m.saveChanges();
                    seen[0] = m;
                } catch (Exception e) {
                    throw new AssertionError(e);
                }
                return super.deliver(message);
            }
        };
        service.bind("pickup", t);
        Receipt r = service.submit(Notification.builder().to("jane@example.com").text("plain").html("<p>html</p>")
                .attach(Attachment.ofBytes("a.txt", "text/plain", "hello".getBytes(StandardCharsets.UTF_8))).build());
        Poll.until("delivery", Duration.ofSeconds(10), () -> t.delivered.size() == 1);
        assertEquals(r.messageId(), seen[0].getMessageID());
        assertEquals("scanner@example.com", ((InternetAddress) seen[0].getFrom()[0]).getAddress());
        Multipart mixed = (Multipart) seen[0].getContent();
        assertTrue(mixed.getContentType().startsWith("multipart/mixed"));
        Multipart alternative = (Multipart) mixed.getBodyPart(0).getContent();
        assertTrue(alternative.getContentType().startsWith("multipart/alternative"));
        assertEquals("plain", alternative.getBodyPart(0).getContent());
        assertEquals("<p>html</p>", alternative.getBodyPart(1).getContent());
        assertEquals(Part.ATTACHMENT, mixed.getBodyPart(1).getDisposition());
        assertEquals("a.txt", mixed.getBodyPart(1).getFileName());
    }

    @Test
    void largeAttachmentsAreStoredApartAndArriveIntact() throws Exception {
        open(CoreSettings.DEFAULTS);
        byte[] content = new byte[3 << 20];
        new Random(7).nextBytes(content);
        Path scan = Files.write(dir.resolve("scan.pdf"), content);
        Receipt r = service.submit(Notification.builder().to("jane@example.com").text("scan")
                .attach(Attachment.ofFile("scan-0042.pdf", "application/pdf", scan)).build());
        Files.delete(scan);
        try (var files = Files.list(dir.resolve("outbox/messages"))) {
            assertEquals(List.of(r.id() + ".eml"), files.map(p -> p.getFileName().toString()).toList());
        }
        ScriptedTransport t = new ScriptedTransport("scanner@example.com", "Scanner");
        service.bind("pickup", t);
        Poll.until("delivery", Duration.ofSeconds(20), () -> service.find(r.id()).get().state() == DeliveryState.SENT);
        MimeMessage m = parse(t.delivered.get(0).text());
        Part part = ((MimeMultipart) m.getContent()).getBodyPart(1);
        assertEquals("scan-0042.pdf", part.getFileName());
        try (InputStream in = part.getInputStream()) {
            assertArrayEquals(content, in.readAllBytes());
        }
        Poll.until("message file removed once sent", Duration.ofSeconds(10), () -> {
            try (var files = Files.list(dir.resolve("outbox/messages"))) {
                return files.findAny().isEmpty();
            } catch (Exception e) {
                return false;
            }
        });
    }

    @Test
    void pickupDirectoryWritesOneEmlPerNotification() throws Exception {
        open(CoreSettings.DEFAULTS);
        PickupDirectoryTransport pickup = new PickupDirectoryTransport(dir.resolve("pickup"),
                new Person("Print Server", "print-server@localhost"));
        service.bind("pickup", pickup);
        Receipt r = service.submit(Notification.builder().to("jane@example.com").subject("s").text("t").build());
        Path eml = dir.resolve("pickup").resolve(r.id() + ".eml");
        Poll.until("the .eml file", Duration.ofSeconds(10), () -> Files.exists(eml));
        MimeMessage m = parse(Files.readString(eml));
        assertEquals(r.messageId(), m.getMessageID());
        assertEquals("Print Server", ((InternetAddress) m.getFrom()[0]).getPersonal());
        try (var files = Files.list(dir.resolve("pickup"))) {
            assertFalse(files.anyMatch(p -> p.getFileName().toString().endsWith(".tmp")));
        }
    }
}
