package notification.core.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;
import notification.api.Person;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A stored message as a transport gets it: the From line, then the bytes kept at submit, as a stream or as MIME. */
class StoredOutgoingMessageTest {
    private static final Person RELAY = new Person("Relay", "relay@example.com");
    private static final byte[] FROM = FromHeader.line(RELAY, "Relay");
    @TempDir
    Path dir;
    private final OutboxStoreContract.TestClock clock = new OutboxStoreContract.TestClock();
    private final MailClassLoader mail = new MailClassLoader(() -> null);
    private Outbox outbox;
    private Dispatch dispatch;

    @AfterEach
    void close() {
        if (outbox != null) {
            outbox.close();
        }
    }

    private Outbox open() throws IOException {
        outbox = new Outbox(dir.resolve("outbox"), clock, 64L << 20);
        return outbox;
    }

    private static byte[] message(String id, int bodyBytes) {
        char[] body = new char[bodyBytes];
        Arrays.fill(body, 'x');
        String text = "Subject: hello " + id + "\r\nMessage-ID: <" + id + "@test>\r\nMIME-Version: 1.0\r\n"
                + "Content-Type: text/plain; charset=us-ascii\r\n\r\n" + new String(body) + "\r\n";
        return text.getBytes(StandardCharsets.US_ASCII);
    }

    private void submit(String id, byte[] message) throws IOException {
        StoredEntry e = new StoredEntry(id, "<" + id + "@test>", null, "hello " + id, List.of("a@example.com"), null,
                null, clock.instant());
        SpillBuffer body = outbox.newBody(id);
        body.write(message);
        outbox.submit(e, body);
    }

    private StoredOutgoingMessage claimNext() {
        dispatch = outbox.claim(outbox.peekDue());
        assertNotNull(dispatch);
        return new StoredOutgoingMessage(outbox, dispatch, FROM, RELAY.address(), mail);
    }

    private static void assertSameMessage(String id, byte[] stored, MimeMessage m) throws Exception {
        assertEquals("hello " + id, m.getSubject());
        assertEquals("Relay <relay@example.com>", m.getHeader("From", ","));
        assertEquals("<" + id + "@test>", m.getMessageID());
        String text = new String(stored, StandardCharsets.US_ASCII);
        assertEquals(text.substring(text.indexOf("\r\n\r\n") + 4), m.getContent().toString().replace("\n", "\r\n")
                .replace("\r\r\n", "\r\n"));
    }

    @Test
    void aMessageStillHeldInMemoryBecomesTheStoredMimeMessageWithTheTransportsFrom() throws Exception {
        open();
        byte[] stored = message("entry-0001", 100);
        submit("entry-0001", stored);
        StoredOutgoingMessage m = claimNext();
        assertNotNull(dispatch.held(), "first attempt: still in memory");
        assertSameMessage("entry-0001", stored, m.toMimeMessage(Session.getInstance(new Properties())));
    }

    @Test
    void aMessageReadBackFromTheJournalAfterARestartBecomesTheStoredMimeMessage() throws Exception {
        open();
        byte[] stored = message("entry-0001", 100);
        submit("entry-0001", stored);
        outbox.close();
        open();
        StoredOutgoingMessage m = claimNext();
        assertNull(dispatch.held(), "after a restart the message is read from the journal");
        assertSameMessage("entry-0001", stored, m.toMimeMessage(Session.getInstance(new Properties())));

        ByteArrayOutputStream out = new ByteArrayOutputStream();
        m.writeTo(out);
        assertArrayEquals(concat(FROM, stored), out.toByteArray());
    }

    @Test
    void aLargeMessageInAFileOfItsOwnBecomesTheStoredMimeMessage() throws Exception {
        open();
        byte[] stored = message("entry-0001", Outbox.INLINE_LIMIT + 1000);
        submit("entry-0001", stored);
        StoredOutgoingMessage m = claimNext();
        assertNull(dispatch.held());
        assertSameMessage("entry-0001", stored, m.toMimeMessage(Session.getInstance(new Properties())));
    }

    @Test
    void aLargeMessageIsCopiedToTheTransportInBlocksOfManyKilobytes() throws Exception {
        open();
        byte[] stored = message("entry-0001", 5 * 65536);
        submit("entry-0001", stored);
        StoredOutgoingMessage m = claimNext();
        ByteArrayOutputStream copy = new ByteArrayOutputStream();
        int[] writes = {0};
        m.writeTo(new OutputStream() {
            @Override
            public void write(int b) {
                copy.write(b);
                writes[0]++;
            }

            @Override
            public void write(byte[] b, int off, int len) {
                copy.write(b, off, len);
                writes[0]++;
            }
        });
        assertArrayEquals(concat(FROM, stored), copy.toByteArray());
        assertTrue(writes[0] <= 1 + 2 * (stored.length / 65536 + 1), writes[0] + " writes for " + stored.length
                + " bytes: a socket write per few hundred bytes would slow every large message");
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] c = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, c, a.length, b.length);
        return c;
    }
}
