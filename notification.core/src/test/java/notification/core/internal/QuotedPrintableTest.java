package notification.core.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.mail.internet.MimeUtility;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The hand-written quoted-printable encoder reads back exactly through Angus Mail's decoder, in lines of at most 76
 * characters, with nothing but printable ASCII on the wire.
 */
class QuotedPrintableTest {

    @Test
    void trailingWhiteSpaceEqualsSignsAndNonAsciiAreEncodedAndLongLinesAreSoftBroken() throws Exception {
        String encoded = encode("a = b \nc\t\n" + "x".repeat(100) + "\nü");
        assertEquals("a =3D b=20\r\nc=09\r\n" + "x".repeat(75) + "=\r\n" + "x".repeat(25) + "\r\n=C3=BC", encoded);
    }

    @Test
    void aLineOfExactlySeventySixCharactersIsBrokenOnceSoNoneExceedsTheLimit() throws Exception {
        String encoded = encode("y".repeat(76));
        assertEquals("y".repeat(75) + "=\r\ny", encoded);
    }

    @Test
    void tenThousandRandomTextsReadBackExactlyThroughAngusMailInLinesOfAtMostSeventySix() throws Exception {
        Random random = new Random(2231);
        for (int n = 0; n < 10_000; n++) {
            String text = randomText(random);
            String encoded = encode(text);
            for (String line : encoded.split("\r\n", -1)) {
                assertTrue(line.length() <= 76, "line of " + line.length() + " in text " + n);
                assertTrue(line.chars().allMatch(c -> c >= 32 && c < 127 || c == '\t'), "non-ASCII in text " + n);
            }
            byte[] decoded = MimeUtility.decode(new ByteArrayInputStream(encoded.getBytes(StandardCharsets.US_ASCII)),
                    "quoted-printable").readAllBytes();
            assertEquals(text.replace("\n", "\r\n"), new String(decoded, StandardCharsets.UTF_8), "text " + n);
        }
    }

    static String randomText(Random random) {
        int length = random.nextInt(400);
        StringBuilder text = new StringBuilder();
        String[] pieces = {" ", "\t", "=", "\n", "é", "中", "\uD83D\uDCC4", "\u202E", "e\u0301", ".", "a", "Z", "~"};
        for (int i = 0; i < length; i++) {
            text.append(random.nextInt(3) == 0 ? pieces[random.nextInt(pieces.length)]
                    : String.valueOf((char) (33 + random.nextInt(94))));
        }
        return text.toString();
    }

    static String encode(String text) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        QuotedPrintable.write(text, out);
        return out.toString(StandardCharsets.US_ASCII);
    }
}
