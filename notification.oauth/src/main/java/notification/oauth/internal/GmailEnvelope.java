package notification.oauth.internal;

import jakarta.mail.MessagingException;
import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.InternetHeaders;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import notification.api.transport.OutgoingMessage;

/**
 * The Gmail API sends to the addresses in a message's To, Cc and Bcc headers, not to an envelope: envelope recipients
 * missing from those headers are added as a {@code Bcc} header in front of the message (Gmail removes it before
 * delivery). Only the header block is read to find them.
 */
final class GmailEnvelope {

    private static final String[] ADDRESS_HEADERS = {"To", "Cc", "Bcc"};

    private GmailEnvelope() {
    }

    /**
     * Builds the header to put in front of the message.
     *
     * @param message the message
     * @return {@code Bcc: ...} with CRLF, or no bytes when every recipient is in the headers
     * @throws IOException if the message cannot be read
     */
    static byte[] bccPrefix(OutgoingMessage message) throws IOException {
        Set<String> listed = new HashSet<>();
        try {
            InternetHeaders headers = new InternetHeaders(new ByteArrayInputStream(headerBlock(message)));
            for (String name : ADDRESS_HEADERS) {
                String[] values = headers.getHeader(name);
                for (String value : values == null ? new String[0] : values) {
                    for (InternetAddress a : InternetAddress.parseHeader(value, false)) {
                        listed.add(String.valueOf(a.getAddress()).toLowerCase(Locale.ROOT));
                    }
                }
            }
        } catch (AddressException e) {
            // an address header Gmail would not read either: every recipient goes in Bcc
            listed.clear();
        } catch (MessagingException e) {
            throw new IOException("the message's headers cannot be read: " + e.getMessage(), e);
        }
        List<String> missing = new ArrayList<>();
        for (String r : message.recipients()) {
            if (!listed.contains(r.toLowerCase(Locale.ROOT))) {
                missing.add(r);
            }
        }
        return missing.isEmpty() ? new byte[0]
                : ("Bcc: " + String.join(",\r\n ", missing) + "\r\n").getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] headerBlock(OutgoingMessage message) throws IOException {
        HeaderCapture capture = new HeaderCapture();
        try {
            message.writeTo(capture);
        } catch (IOException e) {
            if (!capture.complete) {
                throw e;
            }
            // the headers are in; the body is not read
        }
        return capture.bytes.toByteArray();
    }

    /** Keeps the bytes up to the blank line that ends the headers, then stops the writer. */
    private static final class HeaderCapture extends OutputStream {
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        private int last4;
        private boolean complete;

        @Override
        public void write(int b) throws IOException {
            bytes.write(b);
            last4 = (last4 << 8) | (b & 0xff);
            if (last4 == 0x0d0a0d0a || (last4 & 0xffff) == 0x0a0a) {
                complete = true;
                throw new Complete();
            }
        }

        /** Thrown to stop the writer once the headers are complete. */
        private static final class Complete extends IOException {
            private static final long serialVersionUID = 1L;

            Complete() {
                super("headers complete", null);
            }
        }
    }
}
