package notification.core.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.function.IntFunction;
import java.util.stream.Stream;
import notification.api.Attachment;
import notification.api.InvalidNotificationException;
import notification.api.Notification;
import notification.api.Person;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every limit at submit, at its boundary: accepted at the limit, refused one above with the field named; and the
 * guards that only a precise message can tell apart from the parser's own refusal (CR, LF and NUL; DEL in names).
 */
class SubmitLimitsTest {
    @TempDir
    Path dir;

    private static final CoreSettings SETTINGS = CoreSettings.DEFAULTS;

    private static ValidNotification check(Notification n) {
        return new NotificationValidator(SETTINGS).validate(n, null);
    }

    private static Notification.Builder scan() {
        return Notification.builder().to("jane@example.com").text("x");
    }

    private static String local(int octets) {
        return "a".repeat(octets);
    }

    /** field, the largest value accepted, and the notification built from a length. */
    static Stream<Arguments> limits() {
        return Stream.of(
                Arguments.of("subject", 998, (IntFunction<Notification>) k -> scan().subject("s".repeat(k)).build()),
                Arguments.of("reference", 900, (IntFunction<Notification>) k -> scan().reference("r".repeat(k))
                        .build()),
                Arguments.of("onBehalfOf.name", 200, (IntFunction<Notification>) k -> scan()
                        .onBehalfOf(new Person("n".repeat(k), "john@example.com")).build()),
                Arguments.of("to[0]", 200, (IntFunction<Notification>) k -> Notification.builder()
                        .to("\"" + "n".repeat(k) + "\" <jane@example.com>").build()),
                Arguments.of("to[0]", 64, (IntFunction<Notification>) k -> Notification.builder()
                        .to(local(k) + "@example.com").build()),
                Arguments.of("to[0]", 254, (IntFunction<Notification>) k -> Notification.builder()
                        .to("jane@" + domainOf(k - 5)).build()),
                Arguments.of("headers[" + "X".repeat(77) + "]", 76, (IntFunction<Notification>) k -> scan()
                        .header("X".repeat(k), "v").build()),
                Arguments.of("headers[X-Job]", 900, (IntFunction<Notification>) k -> scan().header("X-Job",
                        "v".repeat(k)).build()),
                Arguments.of("attachments[0].fileName", 255, (IntFunction<Notification>) k -> scan().attach(
                        Attachment.ofBytes("f".repeat(k - 4) + ".pdf", "application/pdf", new byte[1])).build()),
                Arguments.of("attachments[0].mediaType", 200, (IntFunction<Notification>) k -> scan().attach(
                        Attachment.ofBytes("a.pdf", "application/pdf; x=" + "y".repeat(k - 19), new byte[1]))
                        .build()));
    }

    /** A domain of exactly this many characters, in labels of at most 63. */
    private static String domainOf(int length) {
        StringBuilder d = new StringBuilder();
        while (length - d.length() > 64) {
            d.append("d".repeat(62)).append('.');
        }
        return d.append("e".repeat(length - d.length() - 4)).append(".org").toString();
    }

    @ParameterizedTest(name = "{0} up to {1}")
    @MethodSource("limits")
    void everyLengthLimitAcceptsItsMaximumAndRefusesOneMore(String field, int max, IntFunction<Notification> at) {
        check(at.apply(max));
        InvalidNotificationException e = assertThrows(InvalidNotificationException.class,
                () -> check(at.apply(max + 1)));
        assertEquals(field, e.field(), e.getMessage());
    }

    @Test
    void moreRecipientsThanTheLimitAreRefused() {
        Notification.Builder b = Notification.builder();
        for (int i = 0; i < 500; i++) {
            (i % 3 == 0 ? b.to("r" + i + "@example.com") : i % 3 == 1 ? b.cc("r" + i + "@example.com")
                    : b.bcc("r" + i + "@example.com")).text("x");
        }
        check(b.build());
        InvalidNotificationException e = assertThrows(InvalidNotificationException.class,
                () -> check(b.bcc("one-more@example.com").build()));
        assertEquals("to", e.field());
        assertTrue(e.getMessage().contains("501 recipients") && e.getMessage().contains("maxRecipients"),
                e.getMessage());
    }

    @Test
    void moreExtraHeadersThanTheLimitAreRefused() {
        Notification.Builder b = scan();
        for (int i = 0; i < 50; i++) {
            b.header("X-H" + i, "v");
        }
        check(b.build());
        InvalidNotificationException e = assertThrows(InvalidNotificationException.class,
                () -> check(b.header("X-H50", "v").build()));
        assertEquals("headers", e.field());
        assertTrue(e.getMessage().contains("maxHeaders"), e.getMessage());
    }

    @Test
    void attachmentsAboveTheMessageSizeCeilingAreRefused() {
        NotificationValidator small = new NotificationValidator(SETTINGS.withLimits(500, 50, 1000, false));
        small.validate(scan().attach(Attachment.ofBytes("a.bin", "application/octet-stream", new byte[600]))
                .attach(Attachment.ofBytes("b.bin", "application/octet-stream", new byte[400])).build(), null);
        InvalidNotificationException e = assertThrows(InvalidNotificationException.class, () -> small.validate(
                scan().attach(Attachment.ofBytes("a.bin", "application/octet-stream", new byte[600]))
                        .attach(Attachment.ofBytes("b.bin", "application/octet-stream", new byte[401])).build(),
                null));
        assertEquals("attachments", e.field());
        assertTrue(e.getMessage().contains("maxMessageSize"), e.getMessage());
    }

    @Test
    void aMessageAboveTheCeilingOnceEncodedIsRefusedAndNothingQueued() throws Exception {
        CoreSettings settings = new CoreSettings(List.of("pickup"), Duration.ofSeconds(1), Duration.ofSeconds(2),
                Duration.ofDays(1), "{name}", 998).withLimits(500, 50, 2000, false);
        OutboxNotificationService service = new OutboxNotificationService(dir.resolve("outbox"), settings,
                Clock.systemUTC());
        try {
            InvalidNotificationException e = assertThrows(InvalidNotificationException.class, () -> service.submit(
                    scan().attach(Attachment.ofBytes("a.bin", "application/octet-stream", new byte[1800])).build()));
            assertEquals("attachments", e.field());
            assertTrue(e.getMessage().contains("once encoded") && e.getMessage().contains("maxMessageSize"),
                    e.getMessage());
            assertEquals(List.of(), service.list(Set.of(), 10));
        } finally {
            service.close();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"jane@example.com\u0000", "Jane\r <jane@example.com>", "jane@exa\nmple.com"})
    void lineBreaksAndNulInAddressesAreRefusedAsSuch(String address) {
        InvalidNotificationException e = assertThrows(InvalidNotificationException.class,
                () -> check(Notification.builder().to(address).build()));
        assertEquals("to[0]", e.field());
        assertTrue(e.getMessage().contains("must not contain"), e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"application/pdf\u0000", "application/pdf\r", "application/pdf;\n x=1"})
    void lineBreaksAndNulInMediaTypesAreRefusedAsSuch(String mediaType) {
        InvalidNotificationException e = assertThrows(InvalidNotificationException.class,
                () -> check(scan().attach(Attachment.ofBytes("a.pdf", mediaType, new byte[1])).build()));
        assertEquals("attachments[0].mediaType", e.field());
        assertTrue(e.getMessage().contains("must not contain"), e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"jane", "jane@", "@example.com", "jane@@example.com", "jane@exa mple.com",
            "jane doe@example.com", "jane@example..com", "Jane <jane@example.com"})
    void addressesTheStrictParserRefusesAreRefused(String address) {
        InvalidNotificationException e = assertThrows(InvalidNotificationException.class,
                () -> check(Notification.builder().to(address).build()));
        assertEquals("to[0]", e.field());
    }

    @ParameterizedTest
    @ValueSource(strings = {"X-Del\u007f", "\u007fX", "X Job", "X:Job", "X-Tab\t", "X-Ü"})
    void headerNamesOutsidePrintableAsciiAreRefused(String name) {
        InvalidNotificationException e = assertThrows(InvalidNotificationException.class,
                () -> check(scan().header(name, "v").build()));
        assertEquals("headers[" + name + "]", e.field());
        assertTrue(e.getMessage().contains("printable ASCII"), e.getMessage());
    }

    @Test
    void theLastPrintableCharacterIsAllowedInHeaderNames() {
        check(scan().header("X-~", "v").build());
    }
}
