package notification.core.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.mail.Part;
import jakarta.mail.Session;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import notification.api.Attachment;
import notification.api.InvalidNotificationException;
import notification.api.Notification;
import notification.api.Person;
import notification.api.Receipt;
import notification.api.transport.DeliveryResult;
import notification.api.transport.OutgoingMessage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Each finding of issue 11 as its own test: what the service writes is what RFC 5322, 2047, 2231 and 6532 allow. */
class MailStandardsTest {
    private static final Session SESSION = Session.getInstance(new Properties());
    @TempDir
    Path dir;

    private static ValidNotification valid(Notification n) {
        return new NotificationValidator(CoreSettings.DEFAULTS).validate(n, null);
    }

    private static String render(Notification n) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(FromHeader.line(new Person("Print Server", "scanner@example.com"), "Print Server"));
        new MessageRenderer().render(valid(n), "<id@example.org>", Instant.EPOCH, out);
        return out.toString(StandardCharsets.UTF_8);
    }

    private static MimeMessage parse(String raw) throws Exception {
        return new MimeMessage(SESSION, new ByteArrayInputStream(raw.getBytes(StandardCharsets.UTF_8)));
    }

    private static String headers(String raw) {
        return raw.substring(0, raw.indexOf("\r\n\r\n"));
    }

    private static void assertShortLines(String raw) {
        for (String line : raw.split("\r\n")) {
            assertTrue(line.getBytes(StandardCharsets.UTF_8).length <= 998, "line of " + line.length());
            assertTrue(!line.contains("=?") || line.length() <= 76, "encoded words in a line of " + line.length()
                    + ": " + line);
        }
    }

    private static Notification.Builder scan() {
        return Notification.builder().to("jane@example.com").subject("Scan").text("Your scan");
    }

    @Test
    void anAttachmentNamedWith251CjkCharactersGivesShortLinesAndReadsBack() throws Exception {
        String name = "文".repeat(251) + ".pdf";
        String raw = render(scan().attach(Attachment.ofBytes(name, "application/pdf", new byte[] {1, 2})).build());

        assertShortLines(raw);
        assertTrue(raw.contains("filename*0*=UTF-8''%E6%96%87"), raw);
        assertTrue(raw.contains("filename*1*="), "RFC 2231 continuations");
        Part part = ((MimeMultipart) parse(raw).getContent()).getBodyPart(1);
        assertEquals(name, part.getFileName());
    }

    @Test
    void fileNamesEscapeTheStarAndNeverPutEncodedWordsInsideQuotes() throws Exception {
        String raw = render(scan().attach(Attachment.ofBytes("Prüfung *1* 50%+.pdf", "application/pdf",
                new byte[] {1})).build());

        assertTrue(raw.contains("filename*=UTF-8''Pr%C3%BCfung%20%2A1%2A%2050%25%2B.pdf"), raw);
        assertTrue(raw.contains("name=\"Prufung *1* 50%+.pdf\""), "an ASCII name= fallback, accents dropped");
        assertFalse(raw.matches("(?s).*name=\"[^\"]*=\\?.*"), "no encoded word inside quotes");
        assertEquals("Prüfung *1* 50%+.pdf", ((MimeMultipart) parse(raw).getContent()).getBodyPart(1).getFileName());
    }

    @Test
    void anIdnRecipientGoesOutAsALabelsInTheEnvelopeAndTheHeader() throws Exception {
        Notification n = Notification.builder().to("user@exämple.org").cc("Zoë <zoe@bücher.example>").text("x")
                .build();

        assertEquals(List.of("user@xn--exmple-cua.org", "zoe@xn--bcher-kva.example"), valid(n).envelope());
        String raw = render(n);
        assertTrue(headers(raw).contains("To: user@xn--exmple-cua.org"), raw);
        assertFalse(headers(raw).contains("?.org"), raw);
        assertEquals("zoe@xn--bcher-kva.example",
                ((InternetAddress) parse(raw).getRecipients(MimeMessage.RecipientType.CC)[0]).getAddress());
    }

    @Test
    void aDomainThatIdna2003And2008ReadDifferentlyIsRefused() {
        InvalidNotificationException e = assertThrows(InvalidNotificationException.class,
                () -> valid(Notification.builder().to("max@straße.de").build()));
        assertEquals("to[0]", e.field());
        assertTrue(e.getMessage().contains("xn--"), e.getMessage());
    }

    @Test
    void aLocalPartBeyondAsciiIsRefusedUnlessAllowed() {
        InvalidNotificationException e = assertThrows(InvalidNotificationException.class,
                () -> valid(Notification.builder().to("üser@example.org").build()));
        assertEquals("to[0]", e.field());
        assertTrue(e.getMessage().contains("allowUtf8Addresses=true"), e.getMessage());
        assertTrue(e.getMessage().contains("SMTPUTF8"), e.getMessage());
    }

    @Test
    void withUtf8AddressesAllowedPickupWritesRfc6532AndTransportsAreToldToUseSmtpUtf8() throws Exception {
        CoreSettings settings = new CoreSettings(List.of("pickup"), Duration.ofSeconds(1), Duration.ofSeconds(2),
                Duration.ofDays(1), "{name}", 998).withLimits(500, 50, 50L << 20, true);
        OutboxNotificationService service = new OutboxNotificationService(dir.resolve("outbox"), settings,
                Clock.systemUTC());
        try {
            PickupDirectoryTransport pickup = new PickupDirectoryTransport(dir.resolve("pickup"),
                    new Person("Print Server", "print-server@localhost"));
            Map<String, Boolean> needsSmtpUtf8 = new ConcurrentHashMap<>();
            service.bind("pickup", new ScriptedTransport("x@example.org", null) {
                @Override
                public DeliveryResult deliver(OutgoingMessage message) {
                    needsSmtpUtf8.put(message.notificationId(), message.requiresSmtpUtf8());
                    return pickup.deliver(message);
                }
            });
            Receipt ascii = service.submit(Notification.builder().to("Juergen <juergen@example.org>").subject("s")
                    .text("t").build());
            Receipt r = service.submit(Notification.builder().to("Jürgen <jürgen@exämple.org>").subject("s")
                    .text("t").build());
            Path eml = dir.resolve("pickup").resolve(r.id() + ".eml");
            Poll.until("the .eml file", Duration.ofSeconds(10), () -> Files.exists(eml));
            String raw = Files.readString(eml, StandardCharsets.UTF_8);
            assertTrue(raw.contains("<jürgen@xn--exmple-cua.org>"), raw);
            assertFalse(headers(raw).contains("j?rgen"), "never replaced by '?'");
            assertTrue(((InternetAddress) parse(raw).getRecipients(MimeMessage.RecipientType.TO)[0]).getPersonal()
                    .equals("Jürgen"), raw);
            Poll.until("both delivered", Duration.ofSeconds(10), () -> needsSmtpUtf8.size() == 2);
            assertTrue(needsSmtpUtf8.get(r.id()), "a UTF-8 address needs SMTPUTF8");
            assertFalse(needsSmtpUtf8.get(ascii.id()), "an all-ASCII message does not");
            assertEquals(List.of("jürgen@xn--exmple-cua.org"), service.find(r.id()).get().recipients());
        } finally {
            service.close();
        }
    }

    @Test
    void anEncodedSubjectsFirstLineStaysWithin76EvenAfterALongFieldName() throws Exception {
        String raw = render(scan().subject("Scan für Jürgen – 2 Seiten, Abteilung Drucken und Scannen")
                .header("X-" + "Long".repeat(18) + "Na", "Wert für Jürgen").build());

        assertShortLines(raw);
        MimeMessage m = parse(raw);
        assertEquals("Scan für Jürgen – 2 Seiten, Abteilung Drucken und Scannen", m.getSubject());
    }

    @Test
    void displayNamesOfTheLongestAcceptedLengthAreEncodedAndFolded() throws Exception {
        String name = "山田".repeat(100);
        String raw = render(Notification.builder().to("\"" + name + "\" <taro@example.org>").text("x")
                .onBehalfOf(new Person("Ægir ".repeat(40).strip(), "aegir@example.org")).build());

        assertShortLines(raw);
        assertTrue(headers(raw).chars().allMatch(c -> c < 128), "ASCII headers");
        MimeMessage m = parse(raw);
        assertEquals(name, ((InternetAddress) m.getRecipients(MimeMessage.RecipientType.TO)[0]).getPersonal());
        assertEquals("Ægir ".repeat(40).strip(), ((InternetAddress) m.getReplyTo()[0]).getPersonal());
    }

    @Test
    void aCommaInADisplayNameKeepsOneAddress() throws Exception {
        String raw = render(Notification.builder().to("\"Doe,Jane\" <jane@example.org>").text("x").build());

        InternetAddress[] to = (InternetAddress[]) parse(raw).getRecipients(MimeMessage.RecipientType.TO);
        assertEquals(1, to.length, raw);
        assertEquals("Doe,Jane", to[0].getPersonal());
    }

    @ParameterizedTest
    @ValueSource(strings = {"Received", "received", "X-Received", "Return-Path", "Delivered-To",
            "Authentication-Results", "ARC-Authentication-Results", "ARC-Seal", "ARC-Message-Signature",
            "ARC-Anything", "DKIM-Signature", "DomainKey-Signature", "Received-SPF",
            "X-MS-Exchange-Organization-SCL", "X-MS-Exchange-CrossTenant-Id", "X-Google-Smtp-Source",
            "X-Gm-Message-State", "X-Spam-Status", "X-Forefront-Antispam-Report"})
    void traceAndAuthenticationFieldsAreRefusedAsACategoryNamingTheField(String name) {
        InvalidNotificationException e = assertThrows(InvalidNotificationException.class,
                () -> valid(scan().header(name, "pass").build()));
        assertEquals("headers[" + name + "]", e.field());
        assertTrue(e.getMessage().contains(name), e.getMessage());
    }

    @Test
    void ordinaryExtraHeadersAreStillAccepted() {
        valid(scan().header("X-Job", "42").header("Auto-Submitted", "auto-generated").header("X-Mailer-Job", "1")
                .build());
    }

    @Test
    void aSourceRouteIsRefused() {
        InvalidNotificationException e = assertThrows(InvalidNotificationException.class,
                () -> valid(Notification.builder().to("<@evil.example:u@example.org>").build()));
        assertEquals("to[0]", e.field());
        assertTrue(e.getMessage().contains("source route"), e.getMessage());
    }

    @Test
    void aQuotedLocalPartCarryingSmtpParametersIsRefused() {
        InvalidNotificationException e = assertThrows(InvalidNotificationException.class, () -> valid(
                Notification.builder().to("\"x> NOTIFY=SUCCESS ORCPT=rfc822;a@evil.example\"@example.org").build()));
        assertEquals("to[0]", e.field());
        assertTrue(e.getMessage().contains("quoted local part"), e.getMessage());
    }

    @Test
    void aPlainQuotedLocalPartIsAcceptedAsItIs() {
        assertEquals(List.of("\"john doe\"@example.org"),
                valid(Notification.builder().to("\"john doe\"@example.org").build()).envelope());
    }
}
