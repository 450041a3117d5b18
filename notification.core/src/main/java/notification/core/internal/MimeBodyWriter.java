package notification.core.internal;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import notification.api.Attachment;

/**
 * Writes MIME entities: text parts (7bit when plain ASCII, quoted-printable otherwise), multiparts with fresh
 * boundaries, and attachments base64-encoded while streaming from their source.
 */
final class MimeBodyWriter {
    private static final byte[] CRLF = {'\r', '\n'};
    private final SecureRandom random = new SecureRandom();

    String boundary() {
        byte[] b = new byte[12];
        random.nextBytes(b);
        return "=_notification_" + HexFormat.of().formatHex(b);
    }

    /** Writes the Content-Type and Content-Transfer-Encoding headers, a blank line and the text. */
    void text(OutputStream out, String text, String subtype) throws IOException {
        String normalized = text.indexOf('\r') < 0 ? text : text.replace("\r\n", "\n").replace('\r', '\n');
        boolean sevenBit = isShortLinedAscii(normalized);
        header(out, "Content-Type: text/" + subtype + "; charset=" + (sevenBit ? "us-ascii" : "UTF-8"));
        header(out, "Content-Transfer-Encoding: " + (sevenBit ? "7bit" : "quoted-printable"));
        out.write(CRLF);
        if (sevenBit) {
            out.write((normalized.indexOf('\n') < 0 ? normalized : normalized.replace("\n", "\r\n"))
                    .getBytes(StandardCharsets.US_ASCII));
        } else {
            QuotedPrintable.write(normalized, out);
        }
        out.write(CRLF);
    }

    /** Whether LF-separated text is printable ASCII (tabs allowed) in lines of at most 998 characters. */
    private static boolean isShortLinedAscii(String text) {
        int lineLength = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\n') {
                lineLength = 0;
                continue;
            }
            if ((c < 0x20 || c > 0x7e) && c != '\t' || ++lineLength > 998) {
                return false;
            }
        }
        return true;
    }

    /** Writes an attachment part: its headers, a blank line and the base64 content. */
    void attachment(OutputStream out, Attachment a) throws IOException {
        header(out, FileNameParameters.contentType(a.mediaType(), a.fileName()));
        header(out, FileNameParameters.disposition(a.fileName()));
        header(out, "Content-Transfer-Encoding: base64");
        out.write(CRLF);
        OutputStream base64 = Base64.getMimeEncoder(76, CRLF).wrap(new FilterOutputStream(out) {
            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                out.write(b, off, len);
            }

            @Override
            public void close() throws IOException {
                flush();
            }
        });
        try (InputStream in = a.open()) {
            in.transferTo(base64);
        }
        base64.close();
        out.write(CRLF);
    }

    /** Writes a header field and its CRLF; UTF-8 appears only in addresses beyond ASCII (RFC 6532). */
    static void header(OutputStream out, String line) throws IOException {
        out.write(line.getBytes(StandardCharsets.UTF_8));
        out.write(CRLF);
    }

    static void line(OutputStream out, String line) throws IOException {
        header(out, line);
    }
}
