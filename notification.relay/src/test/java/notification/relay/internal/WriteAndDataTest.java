package notification.relay.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import notification.api.transport.DeliveryResult;
import notification.api.transport.DeliveryResult.Status;
import notification.testkit.StoredTestMessage;
import org.junit.jupiter.api.Test;

/** What goes over the wire in DATA: lines starting with a dot are stuffed, and a write that hangs is cut off. */
class WriteAndDataTest {

    @Test
    void aLineStartingWithADotIsStuffedAndTheMessageIdKept() throws Exception {
        String content = "Message-ID: <dots@test.example>\r\nSubject: Dots\r\n\r\nfirst\r\n.\r\n.hidden\r\n..two\r\nlast\r\n";
        try (RawSmtpServer server = new RawSmtpServer(false);
                SmtpRelayTransport relay = new SmtpRelayTransport("raw",
                        TestConfig.relay("127.0.0.1", server.port()).build())) {
            DeliveryResult result = relay.deliver(StoredTestMessage.of(content.getBytes(StandardCharsets.US_ASCII),
                    "scanner@example.com", List.of("jane@example.com")));

            assertEquals(Status.SENT, result.status(), result.reply());
            assertEquals("250 2.0.0 Ok: queued as RAW1", result.reply());
            assertEquals(List.of("Message-ID: <dots@test.example>", "Subject: Dots", "", "first", "..", "..hidden",
                    "...two", "last"), server.dataLines());
        }
    }

    @Test
    void aWriteToAServerThatStopsReadingIsCutOffAfterTheWriteTimeout() throws Exception {
        byte[] line = "a long line of the body of a big message, written until the server's buffers are full\r\n"
                .getBytes(StandardCharsets.US_ASCII);
        byte[] content = new byte[32 * 1024 * 1024];
        byte[] headers = "Message-ID: <big@test.example>\r\nSubject: Big\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(headers, 0, content, 0, headers.length);
        for (int i = headers.length; i < content.length; i += line.length) {
            System.arraycopy(line, 0, content, i, Math.min(line.length, content.length - i));
        }
        Arrays.fill(content, content.length - 2, content.length, (byte) '\n');
        content[content.length - 2] = '\r';
        // the read timeout is long: only the write timeout can end this delivery early
        try (RawSmtpServer server = new RawSmtpServer(true);
                SmtpRelayTransport relay = new SmtpRelayTransport("raw", TestConfig.relay("127.0.0.1", server.port())
                        .with("writeTimeout", 500).with("readTimeout", 120_000).with("maxConnections", 1).build())) {
            DeliveryResult result = assertTimeoutPreemptively(Duration.ofSeconds(60), () -> relay.deliver(
                    StoredTestMessage.of(content, "scanner@example.com", List.of("jane@example.com"))));

            assertEquals(Status.TRANSIENT, result.status(), result.reply());
            assertTrue(result.reply().contains("dropped"), result.reply());
            assertEquals(0, relay.engine().busyConnections(), "the connection slot is free again");
        }
    }
}
