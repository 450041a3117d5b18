package notification.relay.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import notification.api.transport.DeliveryResult;
import notification.api.transport.DeliveryResult.RecipientResult;
import notification.api.transport.DeliveryResult.Status;
import notification.api.transport.TransportHealth.State;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import notification.testkit.StoredTestMessage;

/**
 * Faults injected by Postfix's smtp-sink: 4xx, 5xx, 421 with hang-up, hang-up after the data, a slow server; with
 * PIPELINING offered (smtp-sink's default) and without it ({@code -p}).
 */
class SmtpSinkFaultTest {
    private SmtpRelayTransport transport;

    @AfterEach
    void closeTransport() {
        if (transport != null) {
            transport.close();
        }
    }

    private SmtpRelayTransport relayTo(SmtpSink sink, int readTimeoutMs) {
        transport = new SmtpRelayTransport("sink", TestConfig.relay("127.0.0.1", sink.port())
                .with("readTimeout", readTimeoutMs).with("maxConnections", 1).build());
        return transport;
    }

    @ParameterizedTest(name = "smtp-sink {0} {1}, pipelining {4} -> {2}")
    @CsvSource({
        "-r, RCPT, TRANSIENT, 450, on",
        "-r, RCPT, TRANSIENT, 450, off",
        "-r, MAIL, TRANSIENT, 450, on",
        "-r, DATA, TRANSIENT, 450, on",
        "-r, ., TRANSIENT, 450, on",
        "-r, ., TRANSIENT, 450, off",
        "-f, RCPT, PERMANENT, 500, on",
        "-f, RCPT, PERMANENT, 500, off",
        "-f, MAIL, PERMANENT, 500, on",
        "-f, MAIL, PERMANENT, 500, off",
        "-f, DATA, PERMANENT, 500, on",
        "-f, DATA, PERMANENT, 500, off",
        "-f, ., PERMANENT, 500, on",
        "-Q, RCPT, TRANSIENT, 421, on",
        "-Q, RCPT, TRANSIENT, 421, off",
        "-Q, ., TRANSIENT, 421, on"})
    void replyIsClassified(String option, String command, Status expected, String code, String pipelining)
            throws Exception {
        String[] options = pipelining.equals("on") ? new String[] {option, command}
                : new String[] {option, command, "-p"};
        try (SmtpSink sink = SmtpSink.start(options)) {
            SmtpRelayTransport relay = relayTo(sink, 5_000);

            // after 421 smtp-sink hangs up: a second recipient would meet the closed connection instead
            DeliveryResult first = relay.deliver(option.equals("-Q") ? StoredTestMessage.to("jane@example.com")
                    : StoredTestMessage.to("jane@example.com", "john@example.com"));
            DeliveryResult second = relay.deliver(StoredTestMessage.to("jane@example.com"));

            assertEquals(expected, first.status(), first.reply());
            assertTrue(first.reply().contains(code) || hungUp(option, first), first.reply());
            assertEquals(first.status(), second.status(), "the next message meets the same fault: " + second.reply());
            assertTrue(second.reply().contains(code) || hungUp(option, second), second.reply());
            assertEquals(0, relay.engine().busyConnections());
            if (command.equals("RCPT")) {
                assertFalse(sink.dump().contains("Subject: Scan"), "no data after a refused recipient: " + sink.dump());
                if (!option.equals("-Q")) {
                    assertEquals(List.of("jane@example.com", "john@example.com"),
                            first.recipientResults().stream().map(RecipientResult::address).toList());
                    for (RecipientResult r : first.recipientResults()) {
                        assertEquals(expected, r.status(), r.toString());
                        assertTrue(r.reply().contains(code), r.toString());
                    }
                }
            }
            if (!option.equals("-Q")) {
                assertEquals(1, relay.engine().connectionsOpened(), "the replies stayed in step on one connection");
            }
        }
    }

    @ParameterizedTest(name = "pipelining {0}")
    @CsvSource({"on", "off"})
    void messagesToSeveralRecipientsGoThroughInBothModes(String pipelining) throws Exception {
        try (SmtpSink sink = pipelining.equals("on") ? SmtpSink.start() : SmtpSink.start("-p")) {
            SmtpRelayTransport relay = relayTo(sink, 5_000);
            for (int i = 0; i < 10; i++) {
                DeliveryResult result = relay.deliver(StoredTestMessage.to("jane@example.com", "john@example.com"));
                assertEquals(Status.SENT, result.status(), result.reply());
            }
            String dump = sink.dump();
            assertEquals(10, dump.split("X-Mail-Args:", -1).length - 1, dump);
            assertEquals(10, dump.split("X-Rcpt-Args: <john@example.com>", -1).length - 1, dump);
            assertEquals(1, relay.engine().connectionsOpened());
        }
    }

    /** After "421" smtp-sink hangs up at once; the reset connection may swallow the reply code before it is read. */
    private static boolean hungUp(String option, DeliveryResult result) {
        return option.equals("-Q") && result.reply().contains("was dropped");
    }

    @Test
    void hangUpAfterDataIsTransientAndTheRetryCarriesTheSameMessageId() throws Exception {
        StoredTestMessage message = StoredTestMessage.to("jane@example.com");
        try (SmtpSink hangsUp = SmtpSink.start("-q", ".")) {
            DeliveryResult first = relayTo(hangsUp, 5_000).deliver(message);
            assertEquals(Status.TRANSIENT, first.status(), first.reply());
            assertTrue(first.reply().contains("closed the connection") || first.reply().contains("was dropped"),
                    first.reply());
            assertEquals(State.FAILING, transport.health().state());
            transport.close();
        }
        try (SmtpSink works = SmtpSink.start()) {
            DeliveryResult retry = relayTo(works, 5_000).deliver(message.retry());
            assertEquals(Status.SENT, retry.status(), retry.reply());
            assertTrue(works.dump().contains("Message-ID: " + message.messageId()), works.dump());
            assertEquals(State.OK, transport.health().state());
        }
    }

    @Test
    void aServerSlowerThanTheReadTimeoutIsAbortedAndTheConnectionFreed() throws Exception {
        int readTimeoutMs = 1_000;
        try (SmtpSink slow = SmtpSink.start("-w", "5")) {
            SmtpRelayTransport relay = relayTo(slow, readTimeoutMs);

            long start = System.nanoTime();
            DeliveryResult result = relay.deliver(StoredTestMessage.to("jane@example.com"));
            Duration took = Duration.ofNanos(System.nanoTime() - start);

            assertEquals(Status.TRANSIENT, result.status(), result.reply());
            assertTrue(result.reply().contains("within 1000 ms"), result.reply());
            assertTrue(took.toMillis() < 2L * readTimeoutMs, "aborted after " + took);
            assertEquals(0, relay.engine().busyConnections(), "the only connection slot is free again");
            DeliveryResult next = relay.deliver(StoredTestMessage.to("jane@example.com"));
            assertTrue(next.reply().contains("within 1000 ms"), "a new attempt got a connection: " + next.reply());
        }
    }

    @Test
    void aHealthySinkReceivesEveryMessageOverOneConnection() throws Exception {
        try (SmtpSink sink = SmtpSink.start()) {
            SmtpRelayTransport relay = relayTo(sink, 5_000);
            for (int i = 0; i < 50; i++) {
                assertEquals(Status.SENT, relay.deliver(StoredTestMessage.to("jane@example.com")).status());
            }
            String dump = sink.dump();
            assertEquals(50, dump.split("X-Mail-Args:", -1).length - 1, dump);
            assertEquals(1, relay.engine().connectionsOpened());
        }
    }
}
