package notification.core.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import notification.api.Attachment;
import notification.api.DeliveryState;
import notification.api.InvalidNotificationException;
import notification.api.Notification;
import notification.api.Person;
import notification.api.transport.TransportHealth;
import notification.api.transport.TransportLimits;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Bad input, header-injection payloads above all, is refused with the field named and nothing queued. */
class ValidationTest {
    @TempDir
    Path dir;
    OutboxNotificationService service;

    @BeforeEach
    void open() throws Exception {
        service = new OutboxNotificationService(dir.resolve("outbox"), CoreSettings.DEFAULTS, Clock.systemUTC());
    }

    @AfterEach
    void close() {
        service.close();
    }

    static Notification.Builder valid() {
        return Notification.builder().to("jane@example.com").subject("Scan").text("Your scan");
    }

    static Stream<Arguments> injections() {
        return Stream.of(
                Arguments.of("subject", valid().subject("Hello\r\nBcc: victim@evil.example")),
                Arguments.of("subject", valid().subject("Hello\nBcc: victim@evil.example")),
                Arguments.of("subject", valid().subject("Hello\u0000")),
                Arguments.of("to[0]", Notification.builder().to("Jane\r\nBcc: x@evil.example <jane@example.com>")),
                Arguments.of("to[1]", valid().to("a@example.com\r\nBcc: victim@evil.example")),
                Arguments.of("cc[0]", valid().cc("a@example.com, b@example.com")),
                Arguments.of("bcc[0]", valid().bcc("a@example.com; b@example.com")),
                Arguments.of("to[0]", Notification.builder().to("not an address")),
                Arguments.of("onBehalfOf.name", valid().onBehalfOf(new Person("John\r\nBcc: x@evil.example",
                        "john@example.com"))),
                Arguments.of("onBehalfOf.address", valid().onBehalfOf(new Person("John",
                        "john@example.com\r\nBcc: x@evil.example"))),
                Arguments.of("onBehalfOf.address", valid().onBehalfOf(new Person("John",
                        "john@example.com, eve@evil.example"))),
                Arguments.of("attachments[0].fileName", valid().attach(Attachment.ofBytes(
                        "scan.pdf\r\nContent-Type: text/html", "application/pdf", new byte[] {1}))),
                Arguments.of("attachments[0].mediaType", valid().attach(Attachment.ofBytes(
                        "scan.pdf", "application/pdf\r\nX-Evil: 1", new byte[] {1}))),
                Arguments.of("headers[X-Job]", valid().header("X-Job", "42\r\nBcc: victim@evil.example")),
                Arguments.of("headers[X-Bad Name]", valid().header("X-Bad Name", "1")),
                Arguments.of("headers[Bcc]", valid().header("Bcc", "victim@evil.example")),
                Arguments.of("headers[Content-Type]", valid().header("Content-Type", "text/html")),
                Arguments.of("reference", valid().reference("job-1\r\nX-Evil: 1")),
                Arguments.of("to", Notification.builder().subject("nobody")),
                Arguments.of("subject", valid().subject("x".repeat(999))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("injections")
    void refusedWithFieldNamedAndNothingQueued(String field, Notification.Builder builder) {
        InvalidNotificationException e = assertThrows(InvalidNotificationException.class,
                () -> service.submit(builder.build()));
        assertEquals(field, e.field(), e.getMessage());
        assertTrue(e.getMessage().startsWith(field + ": "), e.getMessage());
        assertEquals(List.of(), service.list(Set.of(), 10));
        assertEquals(0L, service.counts().values().stream().mapToLong(Long::longValue).sum());
    }

    @Test
    void refusesAnAttachmentLargerThanTheActiveTransportsLimit() throws Exception {
        ScriptedTransport small = new ScriptedTransport("scanner@example.com", "Scanner");
        small.limits = new TransportLimits(1, 0, 0, 1 << 20);
        small.health = TransportHealth.of(TransportHealth.State.AUTHORIZATION_REQUIRED, "sign in");
        service.bind("pickup", small);
        Path big = Files.write(dir.resolve("big.pdf"), new byte[(1 << 20) + 1]);
        Notification n = valid().attach(Attachment.ofFile("big.pdf", "application/pdf", big)).build();
        assertNotNull(service.submit(n), "no limit applies while the limited transport cannot deliver");

        small.health = TransportHealth.ok("Ready");
        InvalidNotificationException e = assertThrows(InvalidNotificationException.class, () -> service.submit(n));
        assertEquals("attachments[0]", e.field());
        assertTrue(e.getMessage().contains("1.0 MB limit of transport 'pickup'"), e.getMessage());
        assertEquals(1, service.list(Set.of(), 10).size());
    }

    @Test
    void refusesAMessageThatGrowsBeyondTheLimitOnceEncoded() {
        ScriptedTransport small = new ScriptedTransport("scanner@example.com", "Scanner");
        small.limits = new TransportLimits(1, 0, 0, 1000);
        small.health = TransportHealth.of(TransportHealth.State.NOT_CONFIGURED, "off");
        service.bind("pickup", small);
        small.health = TransportHealth.ok("Ready");
        InvalidNotificationException e = assertThrows(InvalidNotificationException.class, () -> service.submit(
                valid().attach(Attachment.ofBytes("a.bin", "application/octet-stream", new byte[900])).build()));
        assertEquals("attachments", e.field());
        assertTrue(e.getMessage().contains("once encoded"), e.getMessage());
        assertEquals(0L, service.counts().get(DeliveryState.QUEUED));
    }

    @Test
    void refusesAnAttachmentFileThatCannotBeRead() {
        InvalidNotificationException e = assertThrows(InvalidNotificationException.class, () -> service.submit(
                valid().attach(Attachment.ofFile("scan.pdf", "application/pdf", dir.resolve("missing.pdf"))).build()));
        assertEquals("attachments[0]", e.field());
        assertTrue(e.getMessage().contains("cannot be read"), e.getMessage());
        assertEquals(List.of(), service.list(Set.of(), 10));
    }

    @Test
    void acceptsDisplayNamesAndNonAsciiText() {
        service.submit(Notification.builder().to("Jürgen Müller <jurgen@example.com>").cc("\"Roe, Jane\" <jane@example.com>")
                .subject("Scan für Jürgen").text("Grüße").header("X-Job", "Druckauftrag 42").build());
        assertEquals(1L, service.counts().get(DeliveryState.QUEUED) + service.counts().get(DeliveryState.SENDING)
                + service.counts().get(DeliveryState.SENT));
    }

    @ParameterizedTest
    @MethodSource("lineBreaks")
    void aLineBreakOrNulIsNamedWithItsPosition(String value, String named) {
        InvalidNotificationException e = assertThrows(InvalidNotificationException.class,
                () -> NotificationValidator.singleLine("subject", value));
        assertEquals("subject", e.field());
        assertEquals("subject: must not contain " + named, e.getMessage());
    }

    static Stream<Arguments> lineBreaks() {
        return Stream.of(Arguments.of("ab\rc", "a carriage return (CR) (position 2)"),
                Arguments.of("a\nbc", "a line feed (LF) (position 1)"),
                Arguments.of("abc\u0000", "NUL (position 3)"));
    }

    @Test
    void aValueWithoutLineBreaksIsAccepted() {
        NotificationValidator.singleLine("subject", "Scan \t of page 1 \u007f");
    }

    @ParameterizedTest
    @MethodSource("addressLists")
    void aListWhereOneAddressIsExpectedIsRefusedAsSuch(String value, boolean saysOne) {
        InvalidNotificationException e = assertThrows(InvalidNotificationException.class,
                () -> NotificationValidator.address("to[0]", value));
        assertEquals("to[0]", e.field());
        assertEquals(saysOne, e.getMessage().endsWith(" (exactly one address is allowed here)"), e.getMessage());
    }

    static Stream<Arguments> addressLists() {
        return Stream.of(Arguments.of(",not an address", true), Arguments.of(";not an address", true),
                Arguments.of("a@example.com, b@example.com", true), Arguments.of("a@example.com; b@example.com", true),
                Arguments.of("not an address", false));
    }

    @Test
    void aQuotedLocalPartMayHoldSpacesAndTildes() {
        assertEquals("\"a b~c\"@example.com",
                NotificationValidator.address("to[0]", "\"a b~c\"@example.com").getAddress());
    }

    @Test
    void anAttachmentOfExactlyTheTransportsLimitIsMeasuredOnlyOnceEncoded() throws Exception {
        ScriptedTransport small = new ScriptedTransport("scanner@example.com", "Scanner");
        small.limits = new TransportLimits(1, 0, 0, 1 << 20);
        small.health = TransportHealth.of(TransportHealth.State.NOT_CONFIGURED, "off");
        service.bind("pickup", small);
        small.health = TransportHealth.ok("Ready");
        Path exact = Files.write(dir.resolve("exact.pdf"), new byte[1 << 20]);
        InvalidNotificationException e = assertThrows(InvalidNotificationException.class, () -> service.submit(
                valid().attach(Attachment.ofFile("exact.pdf", "application/pdf", exact)).build()));
        assertEquals("attachments", e.field(), "the attachment itself fits; the encoded message does not");
    }
}
