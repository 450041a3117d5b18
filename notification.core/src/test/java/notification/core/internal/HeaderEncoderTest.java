package notification.core.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeUtility;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.Test;
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

    @Test
    void addressesAreSeparatedByCommasAndNamesQuotedOnlyWhenNeeded() {
        assertEquals("To: Jane Roe <a@example.com>, \"Doe,Jane\" <b@example.com>, c@example.com,"
                + " \" lead\" <d@example.com>, \"a  b\" <e@example.com>, \"tail \" <f@example.com>",
                MimeUtility.unfold(HeaderEncoder.addresses("To", Arrays.asList("Jane Roe", "Doe,Jane", "  ", " lead",
                        "a  b", "tail "), List.of("a@example.com", "b@example.com", "c@example.com", "d@example.com",
                        "e@example.com", "f@example.com"))));
        assertEquals("From: !Hi! <a@example.com>",
                HeaderEncoder.addresses("From", List.of("!Hi!"), List.of("a@example.com")));
        assertEquals("From: O'Neil_#1~ <a@example.com>",
                HeaderEncoder.addresses("From", List.of("O'Neil_#1~"), List.of("a@example.com")));
        assertEquals("Cc: a@example.com", HeaderEncoder.addresses("Cc", Arrays.asList((String) null),
                List.of("a@example.com")));
    }

    @ParameterizedTest
    @ValueSource(strings = {"!", "#", "$", "%", "&", "'", "*", "+", "-", "/", "=", "?", "^", "_", "`", "{", "|", "}",
        "~"})
    void everyAtextSpecialStaysInAnUnquotedName(String special) {
        assertEquals("From: a" + special + "b <a@example.com>",
                HeaderEncoder.addresses("From", List.of("a" + special + "b"), List.of("a@example.com")));
    }

    @Test
    void aLineEndingExactlyAtColumn76StaysWholeAndOneCharacterMoreFolds() {
        String fits = "x".repeat(30) + " " + "y".repeat(36);
        assertEquals("Subject: " + fits, HeaderEncoder.text("Subject", fits));
        String over = fits + "y";
        assertEquals("Subject: " + "x".repeat(30) + "\r\n " + "y".repeat(37), HeaderEncoder.text("Subject", over));
    }

    @Test
    void aQuotedNameEscapesQuotesAndBackslashes() {
        assertEquals("From: \"say \\\"hi\\\" a\\\\b\" <a@example.com>",
                HeaderEncoder.addresses("From", List.of("say \"hi\" a\\b"), List.of("a@example.com")));
    }

    @Test
    void asciiNamesUpTo60CharactersAreQuotedLongerOnesEncoded() {
        String sixty = "Doe, " + "j".repeat(55);
        assertEquals("From: \"" + sixty + "\"\r\n <a@example.com>",
                HeaderEncoder.addresses("From", List.of(sixty), List.of("a@example.com")));
        String longer = sixty + "x";
        String field = HeaderEncoder.addresses("From", List.of(longer), List.of("a@example.com"));
        assertTrue(field.startsWith("From: =?UTF-8?B?"), field);
    }

    @Test
    void wordsUpTo900CharactersStayPlainLongerOnesAreEncoded() {
        String plain = "x".repeat(900);
        assertEquals("Subject:\r\n " + plain, HeaderEncoder.text("Subject", plain));
        assertTrue(HeaderEncoder.text("Subject", plain + "x").startsWith("Subject: =?UTF-8?B?"));
        assertEquals("From:\r\n " + plain + "\r\n <a@example.com>",
                HeaderEncoder.addresses("From", List.of(plain), List.of("a@example.com")));
        assertTrue(HeaderEncoder.addresses("From", List.of(plain + "x"), List.of("a@example.com"))
                .startsWith("From: =?UTF-8?B?"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"tab\there", "del\u007fhere", "=?UTF-8?B?eA==?=", "caf\u00e9"})
    void textThatWouldNotReadBackPlainIsEncoded(String text) throws Exception {
        String field = HeaderEncoder.text("Subject", text);
        assertTrue(field.startsWith("Subject: =?UTF-8?B?"), field);
        assertEquals(text, parse(field + "\r\n\r\nx").getSubject());
    }

    @Test
    void printableAsciiFromSpaceToTildeStaysPlain() {
        assertEquals("Subject: ~ !x~", HeaderEncoder.text("Subject", "~ !x~"));
        assertEquals("Subject:", HeaderEncoder.text("Subject", ""));
    }

    @Test
    void encodedWordsFillTheFirstLineThenFoldEvery45Bytes() throws Exception {
        String text = "\u007f" + "x".repeat(200);
        String field = HeaderEncoder.text("Subject", text);
        assertEquals(List.of(73, 73, 73, 73, 49), Arrays.stream(field.split("\r\n")).map(String::length).toList(),
                field);
        assertEquals(text, parse(field + "\r\n\r\nx").getSubject());
    }

    @Test
    void aHeaderNameLeavingNoRoomPutsTheFirstWordOnTheNextLine() throws Exception {
        String name = "X-" + "N".repeat(66);
        String field = HeaderEncoder.text(name, "\u00e9t\u00e9");
        assertEquals(name + ":\r\n =?UTF-8?B?w6l0w6k=?=", field);
    }

    @ParameterizedTest
    @ValueSource(strings = {"\u00e9", "\u0905", "\u65e5", "\ud83d\ude00"})
    void everyEncodedWordHoldsWholeCharacters(String character) throws Exception {
        for (int lead = 0; lead < 4; lead++) {
            String text = "a".repeat(lead) + character.repeat(40);
            String field = HeaderEncoder.text("Subject", text);
            StringBuilder decoded = new StringBuilder();
            for (String word : MimeUtility.unfold(field).substring("Subject: ".length()).split(" ")) {
                String one = MimeUtility.decodeWord(word);
                assertTrue(one.indexOf('\ufffd') < 0, "a character split between words: " + word);
                decoded.append(one);
            }
            assertEquals(text, decoded.toString());
            for (String line : field.split("\r\n")) {
                assertTrue(line.length() <= 76, line);
            }
        }
    }

    private static MimeMessage parse(String raw) throws Exception {
        return new MimeMessage(Session.getInstance(new Properties()),
                new ByteArrayInputStream(raw.getBytes(StandardCharsets.UTF_8)));
    }
}
