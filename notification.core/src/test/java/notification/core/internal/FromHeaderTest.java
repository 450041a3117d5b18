package notification.core.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.mail.Session;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.Properties;
import notification.api.Person;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The From line and checked addresses, which the core encodes itself: names with specials or beyond ASCII read back
 * unchanged, and a checked address prints as Jakarta Mail would.
 */
class FromHeaderTest {

    @ParameterizedTest
    @ValueSource(strings = {"John Doe", "Doe, John", "O'Neil \"Jack\" (Scanning)", "Zoë Ægir via Scanner (zoe@example.com)",
            "Jürgen Groß-Kleinschmidt von und zu Hohenlohe-Langenburg, Abteilung Drucken und Scannen, Raum 101"})
    void displayNamesReadBackUnchangedInShortAsciiLines(String name) throws Exception {
        byte[] line = FromHeader.line(new Person(null, "scanner@example.com"), name);
        String raw = new String(line, StandardCharsets.UTF_8);
        assertTrue(raw.chars().allMatch(c -> c < 128), raw);
        for (String l : raw.split("\r\n")) {
            assertTrue(l.length() <= 998, "line of " + l.length());
        }
        MimeMessage m = new MimeMessage(Session.getInstance(new Properties()),
                new ByteArrayInputStream((raw + "\r\nbody").getBytes(StandardCharsets.US_ASCII)));
        InternetAddress from = (InternetAddress) m.getFrom()[0];
        assertEquals(name, from.getPersonal());
        assertEquals("scanner@example.com", from.getAddress());
    }

    @ParameterizedTest
    @ValueSource(strings = {"jane@example.com", "Jane Roe <jane@example.com>", "\"Roe, Jane\" <jane@example.com>",
            "Jürgen Groß <j@example.com>"})
    void checkedAddressesPrintAsJakartaMailWould(String value) throws Exception {
        InternetAddress checked = NotificationValidator.address("to[0]", value);
        InternetAddress parsed = new InternetAddress(value, true);
        assertEquals(parsed.getAddress(), checked.getAddress());
        assertEquals(parsed.getPersonal(), checked.getPersonal());
        assertEquals(new InternetAddress(parsed.getAddress(), parsed.getPersonal(), "UTF-8").toString(),
                checked.toString());
    }

    @Test
    void theOnBehalfNameGoesThroughThePatternOrElseTheTransportsName() {
        Person scanner = new Person("Scanner", "scanner@example.com");
        assertEquals("Jane Roe via Scanner (jane@example.com)", FromHeader.displayName(scanner, "Jane Roe",
                "jane@example.com", "{name} via Scanner ({address})"));
        assertEquals("jane@example.com via Scanner", FromHeader.displayName(scanner, " ", "jane@example.com",
                "{name} via Scanner"), "a blank name is replaced by the address");
        assertEquals("jane@example.com", FromHeader.displayName(scanner, null, "jane@example.com", "{name}"));
        assertEquals("Scanner", FromHeader.displayName(scanner, "Jane Roe", null, "{name}"));
        assertNull(FromHeader.displayName(new Person(null, "scanner@example.com"), null, null, "{name}"));
    }

    @Test
    void lineBreaksAndNulInADisplayNameBecomeSpacesAndANameOfNothingIsNone() {
        Person scanner = new Person("Scanner", "scanner@example.com");
        assertEquals("Jane  Roe X", FromHeader.displayName(scanner, "\r\nJane\r\nRoe\u0000X\n", "j@example.com",
                "{name}"));
        assertNull(FromHeader.displayName(new Person(" \r\n ", "scanner@example.com"), null, null, "{name}"));
    }

    @Test
    void theLineIsTheEncodedFieldWithItsLineEnd() {
        assertEquals("From: Scanner <scanner@example.com>\r\n", new String(FromHeader.line(
                new Person("x", " scanner@example.com "), "Scanner"), StandardCharsets.UTF_8));
        assertEquals("From: scanner@example.com\r\n", new String(FromHeader.line(
                new Person("x", "scanner@example.com"), null), StandardCharsets.UTF_8));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "  ", "a@example.com\r\nBcc: x@example.com", "a@example.com\nBcc: x@example.com",
            "a@example.com\u0000"})
    void anUnusableSenderAddressIsRefused(String address) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> FromHeader.line(new Person("x", address), "Scanner"));
        assertEquals("the transport's sender address is missing or invalid", e.getMessage());
    }

    @Test
    void aMissingSenderIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> FromHeader.line(null, "Scanner"));
    }
}
