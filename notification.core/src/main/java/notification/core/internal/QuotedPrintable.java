package notification.core.internal;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/** Encodes UTF-8 text as quoted-printable (RFC 2045): readable where ASCII, lines at most 76 characters. */
final class QuotedPrintable {
    private static final byte[] HEX = "0123456789ABCDEF".getBytes(StandardCharsets.US_ASCII);

    private QuotedPrintable() {
    }

    /**
     * Writes text with LF line ends as quoted-printable with CRLF line ends.
     *
     * @param text the text
     * @param out the stream
     * @throws IOException if the stream fails
     */
    static void write(String text, OutputStream out) throws IOException {
        String[] lines = text.split("\n", -1);
        ByteArrayOutputStream buffer = new ByteArrayOutputStream(text.length() + text.length() / 4);
        for (int l = 0; l < lines.length; l++) {
            byte[] bytes = lines[l].getBytes(StandardCharsets.UTF_8);
            int column = 0;
            for (int i = 0; i < bytes.length; i++) {
                int b = bytes[i] & 0xff;
                boolean last = i == bytes.length - 1;
                boolean literal = (b >= 33 && b <= 126 && b != '=') || ((b == ' ' || b == '\t') && !last);
                int width = literal ? 1 : 3;
                if (column + width > 75) {
                    buffer.write('=');
                    buffer.write('\r');
                    buffer.write('\n');
                    column = 0;
                }
                if (literal) {
                    buffer.write(b);
                } else {
                    buffer.write('=');
                    buffer.write(HEX[b >> 4]);
                    buffer.write(HEX[b & 0xf]);
                }
                column += width;
            }
            if (l < lines.length - 1) {
                buffer.write('\r');
                buffer.write('\n');
            }
        }
        buffer.writeTo(out);
    }
}
