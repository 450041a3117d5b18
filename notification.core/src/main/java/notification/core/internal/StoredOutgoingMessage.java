package notification.core.internal;

import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeUtility;
import jakarta.mail.util.SharedByteArrayInputStream;
import jakarta.mail.util.SharedFileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import notification.api.transport.OutgoingMessage;

/**
 * A stored message handed to a transport: the From line for that transport followed by the bytes fixed at submit
 * time, streamed from the outbox.
 */
final class StoredOutgoingMessage implements OutgoingMessage {
    private final OutboxStore outbox;
    private final Dispatch dispatch;
    private final byte[] fromLine;
    private final String envelopeFrom;
    private final MailClassLoader mail;
    private volatile IOException storeFailure;

    StoredOutgoingMessage(OutboxStore outbox, Dispatch dispatch, byte[] fromLine, String envelopeFrom, MailClassLoader mail) {
        this.outbox = outbox;
        this.dispatch = dispatch;
        this.fromLine = fromLine;
        this.envelopeFrom = envelopeFrom == null ? null : MailAddresses.onTheWire(envelopeFrom.strip());
        this.mail = mail;
    }

    @Override
    public String notificationId() {
        return dispatch.id();
    }

    @Override
    public String messageId() {
        return dispatch.entry().messageId;
    }

    @Override
    public String envelopeFrom() {
        return envelopeFrom;
    }

    @Override
    public List<String> recipients() {
        return dispatch.recipients();
    }

    /** Every recipient counts, delivered or not: their addresses are in the headers this message carries. */
    @Override
    public boolean requiresSmtpUtf8() {
        StoredEntry e = dispatch.entry();
        return MailAddresses.hasNonAscii(envelopeFrom) || MailAddresses.hasNonAscii(e.onBehalfAddress)
                || e.recipients.stream().anyMatch(MailAddresses::hasNonAscii);
    }

    @Override
    public int attempt() {
        return dispatch.attempt();
    }

    @Override
    public long size() {
        return fromLine.length + dispatch.entry().size;
    }

    /** The failure to read the stored message, if one happened: the entry is damaged, not the transport. */
    IOException storeFailure() {
        return storeFailure;
    }

    @Override
    public void writeTo(OutputStream out) throws IOException {
        ByteBuffer held = dispatch.held();
        if (held != null) {
            out.write(fromLine);
            out.write(held.array(), held.arrayOffset(), held.capacity());
            return;
        }
        try (InputStream in = openStored()) {
            out.write(fromLine);
            BodyLocation body = dispatch.body();
            byte[] buffer = new byte[(int) Math.min(1 << 16, Math.max(512, body == null ? 0 : body.length()))];
            while (true) {
                int n = readStored(in, buffer);
                if (n < 0) {
                    break;
                }
                out.write(buffer, 0, n);
            }
        }
    }

    @Override
    public MimeMessage toMimeMessage(Session session) throws MessagingException {
        try {
            return mail.call(() -> {
                BodyLocation body = dispatch.body();
                InputStream in;
                ByteBuffer held = dispatch.held();
                if (held != null) {
                    in = new SharedByteArrayInputStream(held.array(), held.arrayOffset(), held.capacity());
                } else if (body != null && body.separateFile()) {
                    in = new SharedFileInputStream(body.file().toFile());
                } else {
                    try (InputStream stored = openStored()) {
                        in = new SharedByteArrayInputStream(stored.readAllBytes());
                    }
                }
                MimeMessage m = new KeepIdMimeMessage(session, in, mail);
                String value = new String(fromLine, 5, fromLine.length - 7, StandardCharsets.UTF_8);
                m.setHeader("From", MimeUtility.unfold(value).strip());
                return m;
            });
        } catch (MessagingException e) {
            throw e;
        } catch (Exception e) {
            throw new MessagingException("cannot read the stored message " + dispatch.id() + ": " + e.getMessage(), e);
        }
    }

    private InputStream openStored() throws IOException {
        try {
            return outbox.open(dispatch);
        } catch (IOException e) {
            storeFailure = e;
            throw e;
        }
    }

    private int readStored(InputStream in, byte[] buffer) throws IOException {
        try {
            return in.read(buffer);
        } catch (IOException e) {
            storeFailure = e;
            throw e;
        }
    }
}
