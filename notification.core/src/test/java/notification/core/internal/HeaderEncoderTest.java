package notification.core.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeUtility;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Long and non-ASCII header values and bodies come out as lines a mail server accepts and read back unchanged. */
class HeaderEncoderTest {

    @ParameterizedTest
    @ValueSource(strings = {"short", "Scan für Jürgen", "日本語の件名 😀 with emoji", "word ", "  two  spaces  "})
    void textRoundTrips(String text) throws Exception {
        assertEquals(text, parse(HeaderEncoder.text("Subject", text) + "\r\n\r\nx").getSubject());
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3})
    void longSubjectsAreFoldedIntoShortLines(int kind) throws Exception {
        String subject = switch (kind) {
            case 1 -> "word ".repeat(199) + "end";
            case 2 -> "x".repeat(998);
            default -> "ü".repeat(998);
        };
        String value = HeaderEncoder.text("Subject", subject);
        for (String line : value.split("\r\n")) {
            assertTrue(line.length() <= 998, "line of " + line.length());
        }
        MimeMessage m = parse(value + "\r\n\r\nbody");
        assertEquals(subject, m.getSubject());
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3})
    void textBodiesRoundTrip(int kind) throws Exception {
        String body = switch (kind) {
            case 1 -> "plain ascii\nsecond line";
            case 2 -> "Grüße aus Köln = 100 %\n\ttab line ";
            default -> "ü".repeat(500);
        };
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        new MimeBodyWriter().text(out, body, "plain");
        String raw = out.toString(StandardCharsets.US_ASCII);
        for (String line : raw.split("\r\n")) {
            assertTrue(line.length() <= 998);
        }
        MimeMessage m = parse("Subject: x\r\nMIME-Version: 1.0\r\n" + raw);
        assertEquals(body.replace("\n", "\r\n"), ((String) m.getContent()).replaceAll("\r\n$", ""), raw);
    }

    @ParameterizedTest
    @ValueSource(ints = {997, 998, 999})
    void textBodiesWithLinesUpTo998CharactersStay7bit(int lineLength) throws Exception {
        String body = "\tfirst\r\n" + "y".repeat(lineLength) + "\rlast";
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        new MimeBodyWriter().text(out, body, "plain");
        String raw = out.toString(StandardCharsets.US_ASCII);
        assertEquals(lineLength <= 998, raw.contains("Content-Transfer-Encoding: 7bit"), raw.substring(0, 90));
        MimeMessage m = parse("Subject: x\r\nMIME-Version: 1.0\r\n" + raw);
        assertEquals("\tfirst\r\n" + "y".repeat(lineLength) + "\r\nlast",
                ((String) m.getContent()).replaceAll("\r\n$", ""));
    }

    @ParameterizedTest
    @ValueSource(ints = {60, 66, 67, 68, 75, 90})
    void subjectsAroundTheFoldingColumnKeepShortLines(int length) throws Exception {
        String subject = ("abcde ".repeat(20)).substring(0, length).strip();
        String value = HeaderEncoder.text("Subject", subject);
        for (String line : value.split("\r\n")) {
            assertTrue(line.length() <= 76, "line of " + line.length() + ": " + line);
        }
        assertEquals("Subject: " + subject, MimeUtility.unfold(value));
    }

    @ParameterizedTest
    @ValueSource(strings = {"John Doe", "Doe, John", "Doe,Jane", "O'Neil \"Jack\"", "Zoë", "a\\b", "x=?y?=z"})
    void displayNamesRoundTripAsOneAddress(String name) throws Exception {
        MimeMessage m = parse(HeaderEncoder.addresses("From", List.of(name), List.of("a@example.com")) + "\r\n\r\nx");
        assertEquals(1, m.getFrom().length, "one address, not split at the comma");
        assertEquals(name, ((jakarta.mail.internet.InternetAddress) m.getFrom()[0]).getPersonal());
    }

    private static MimeMessage parse(String raw) throws Exception {
        return new MimeMessage(Session.getInstance(new Properties()),
                new ByteArrayInputStream(raw.getBytes(StandardCharsets.UTF_8)));
    }
}
