package notification.relay.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import notification.api.transport.DeliveryResult;
import notification.api.transport.DeliveryResult.RecipientResult;
import notification.api.transport.DeliveryResult.Status;
import notification.testkit.StoredTestMessage;
import org.junit.jupiter.api.Test;

/** RFC 2920: with PIPELINING offered the envelope and DATA go out in one write; the replies stay per recipient. */
class PipeliningTest {

    private static SmtpRelayTransport relayTo(PipeliningSmtpServer server) {
        return new SmtpRelayTransport("pipe", TestConfig.relay("127.0.0.1", server.port())
                .with("readTimeout", 5_000).with("maxConnections", 1).build());
    }

    @Test
    void offeredPipeliningSendsTheEnvelopeInOneBatch() throws Exception {
        try (PipeliningSmtpServer server = new PipeliningSmtpServer(true, "554 5.5.1 No valid recipients");
                SmtpRelayTransport relay = relayTo(server)) {
            DeliveryResult first = relay.deliver(StoredTestMessage.to("jane@example.com", "refused@example.com"));
            DeliveryResult second = relay.deliver(StoredTestMessage.to("john@example.com"));

            assertEquals(List.of(true, true), server.batched());
            assertEquals(Status.SENT, first.statusOf("jane@example.com"), first.toString());
            assertEquals(Status.PERMANENT, first.statusOf("refused@example.com"), first.toString());
            assertEquals(Status.SENT, second.status(), second.reply());
            assertEquals("250 2.0.0 Ok: queued", second.reply());
            assertEquals(2, server.messages().size());
            assertEquals(1, relay.engine().connectionsOpened());
        }
    }

    @Test
    void afterStartTlsTheBatchGoesOverTheTlsSocket() throws Exception {
        try (PipeliningSmtpServer server = new PipeliningSmtpServer(true, "554 5.5.1 No valid recipients");
                SmtpRelayTransport relay = new SmtpRelayTransport("pipe", TestConfig.relay("127.0.0.1", server.port())
                        .with("security", "starttls").with("trustStore", TestCertificates.TRUST_STORE.toString())
                        .with("trustStorePassword", TestCertificates.PASSWORD).with("readTimeout", 5_000).build())) {
            DeliveryResult first = relay.deliver(StoredTestMessage.to("jane@example.com", "refused@example.com"));
            DeliveryResult second = relay.deliver(StoredTestMessage.to("john@example.com"));

            assertTrue(server.tlsStarted());
            assertEquals(List.of(true, true), server.batched());
            assertEquals(Status.SENT, first.statusOf("jane@example.com"), first.toString());
            assertEquals(Status.PERMANENT, first.statusOf("refused@example.com"), first.toString());
            assertEquals(Status.SENT, second.status(), second.reply());
            assertEquals(2, server.messages().size());
        }
    }

    @Test
    void withoutPipeliningEachCommandWaitsForItsReply() throws Exception {
        try (PipeliningSmtpServer server = new PipeliningSmtpServer(false, "554 5.5.1 No valid recipients");
                SmtpRelayTransport relay = relayTo(server)) {
            DeliveryResult first = relay.deliver(StoredTestMessage.to("jane@example.com", "john@example.com"));
            DeliveryResult second = relay.deliver(StoredTestMessage.to("john@example.com"));

            assertEquals(List.of(false, false), server.batched());
            assertEquals(Status.SENT, first.status(), first.reply());
            assertEquals(Status.SENT, second.status(), second.reply());
            assertEquals(2, server.messages().size());
        }
    }

    @Test
    void everyRecipientRefusedAndDataRefusedReportsTheRecipients() throws Exception {
        try (PipeliningSmtpServer server = new PipeliningSmtpServer(true, "554 5.5.1 No valid recipients");
                SmtpRelayTransport relay = relayTo(server)) {
            DeliveryResult refused = relay.deliver(StoredTestMessage.to("refused@example.com", "refused2@example.com"));
            DeliveryResult next = relay.deliver(StoredTestMessage.to("jane@example.com"));

            assertRecipientsRefused(refused);
            assertEquals(1, server.messages().size(), "only the next message has data");
            assertEquals(Status.SENT, next.status(), next.reply());
            assertEquals(1, relay.engine().connectionsOpened());
        }
    }

    @Test
    void aServerThatWronglyAcceptsDataWithoutRecipientsGetsOnlyTheEnd() throws Exception {
        try (PipeliningSmtpServer server = new PipeliningSmtpServer(true, "354 go ahead anyway");
                SmtpRelayTransport relay = relayTo(server)) {
            DeliveryResult refused = relay.deliver(StoredTestMessage.to("refused@example.com", "refused2@example.com"));
            DeliveryResult next = relay.deliver(StoredTestMessage.to("jane@example.com"));

            assertRecipientsRefused(refused);
            assertEquals(List.of(), server.messages().get(0), "no message content without a recipient");
            assertEquals(Status.SENT, next.status(), next.reply());
            assertTrue(server.messages().get(1).stream().anyMatch(l -> l.startsWith("Subject: Scan")),
                    server.messages().toString());
            assertEquals(1, relay.engine().connectionsOpened());
        }
    }

    private static void assertRecipientsRefused(DeliveryResult result) {
        assertEquals(Status.PERMANENT, result.status(), result.reply());
        assertEquals(List.of("refused@example.com", "refused2@example.com"),
                result.recipientResults().stream().map(RecipientResult::address).toList());
        for (RecipientResult r : result.recipientResults()) {
            assertEquals(Status.PERMANENT, r.status(), r.toString());
            assertTrue(r.reply().contains("550"), r.toString());
        }
    }
}
