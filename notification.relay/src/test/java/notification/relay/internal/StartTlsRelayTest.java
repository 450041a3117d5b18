package notification.relay.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import notification.api.transport.DeliveryResult;
import notification.api.transport.DeliveryResult.Status;
import notification.api.transport.TransportHealth.State;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import notification.testkit.StoredTestMessage;

/** The relay against a real SMTP server that requires STARTTLS: reuse, idle close, recovery, per-recipient replies. */
class StartTlsRelayTest {
    private RecordingSmtpServer server;
    private SmtpRelayTransport transport;

    @BeforeEach
    void start() throws Exception {
        server = new RecordingSmtpServer(0);
    }

    @AfterEach
    void stop() {
        if (transport != null) {
            transport.close();
        }
        server.close();
    }

    private TestConfig startTls(int port) {
        return TestConfig.relay("127.0.0.1", port).with("security", "starttls")
                .with("trustStore", TestCertificates.TRUST_STORE.toString())
                .with("trustStorePassword", TestCertificates.PASSWORD);
    }

    @Test
    void startTlsDeliveryWithEnvelope() {
        transport = new SmtpRelayTransport("office", startTls(server.port()).build());
        StoredTestMessage message = StoredTestMessage.to("jane@example.com", "john@example.com");

        DeliveryResult result = transport.deliver(message);

        assertEquals(Status.SENT, result.status(), result.reply());
        assertEquals(1, server.received().size());
        RecordingSmtpServer.Received received = server.received().get(0);
        assertEquals("scanner@example.com", received.from());
        assertEquals(List.of("jane@example.com", "john@example.com"), received.recipients());
        assertTrue(received.content().contains("Message-ID: " + message.messageId()), received.content());
        assertEquals(State.OK, transport.testConnection().state());
    }

    @Test
    void connectionsAreReusedAcrossMessages() {
        transport = new SmtpRelayTransport("office", startTls(server.port()).with("maxConnections", 2).build());

        for (int i = 0; i < 20; i++) {
            assertEquals(Status.SENT, transport.deliver(StoredTestMessage.to("jane@example.com")).status());
        }

        assertEquals(20, server.received().size());
        assertEquals(1, server.connectionsUsed());
        assertEquals(1, transport.engine().connectionsOpened());
    }

    @Test
    void idleConnectionsAreClosedAndReplaced() throws Exception {
        transport = new SmtpRelayTransport("office", startTls(server.port()).build(), Duration.ofMillis(200));
        assertEquals(Status.SENT, transport.deliver(StoredTestMessage.to("jane@example.com")).status());
        assertEquals(1, transport.engine().idleConnections());

        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (transport.engine().idleConnections() > 0 && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }

        assertEquals(0, transport.engine().idleConnections());
        assertEquals(Status.SENT, transport.deliver(StoredTestMessage.to("jane@example.com")).status());
        assertEquals(2, server.connectionsUsed());
    }

    @Test
    void aLostServerIsReconnectedWhenItReturns() throws Exception {
        int port = server.port();
        transport = new SmtpRelayTransport("office", startTls(port).build());
        assertEquals(Status.SENT, transport.deliver(StoredTestMessage.to("jane@example.com")).status());

        server.close();
        DeliveryResult whileDown = transport.deliver(StoredTestMessage.to("jane@example.com"));
        assertEquals(Status.TRANSIENT, whileDown.status(), whileDown.reply());
        assertEquals(State.FAILING, transport.health().state());

        server = new RecordingSmtpServer(port);
        DeliveryResult afterwards = transport.deliver(StoredTestMessage.to("jane@example.com"));
        assertEquals(Status.SENT, afterwards.status(), afterwards.reply());
        assertEquals(State.OK, transport.health().state());
        assertEquals(1, server.received().size());
    }

    @Test
    void repliesAreReportedPerRecipient() {
        transport = new SmtpRelayTransport("office", startTls(server.port()).build());

        DeliveryResult result = transport.deliver(
                StoredTestMessage.to("ok@example.com", "refused@example.com", "greylisted@example.com"));

        assertEquals(Status.TRANSIENT, result.status(), result.reply());
        assertEquals(Status.SENT, result.statusOf("ok@example.com"));
        assertEquals(Status.PERMANENT, result.statusOf("refused@example.com"));
        assertEquals(Status.TRANSIENT, result.statusOf("greylisted@example.com"));
        DeliveryResult.RecipientResult refused = result.recipientResults().get(1);
        assertTrue(refused.reply().contains("550") && refused.reply().contains("no such user"), refused.reply());
        assertEquals(List.of("ok@example.com"), server.received().get(0).recipients());
        assertEquals(State.OK, transport.health().state(), "a refused recipient says nothing about the server");
    }

    @Test
    void everyRecipientRefusedSendsNothing() {
        transport = new SmtpRelayTransport("office", startTls(server.port()).build());

        DeliveryResult result = transport.deliver(StoredTestMessage.to("refused@example.com"));

        assertEquals(Status.PERMANENT, result.status(), result.reply());
        assertEquals(0, server.received().size());
        assertEquals(Status.SENT, transport.deliver(StoredTestMessage.to("jane@example.com")).status(),
                "the connection stays usable after a refusal");
    }

    @Test
    void reconfigurationAppliesToTheNextMessage() throws Exception {
        transport = new SmtpRelayTransport("office", TestConfig.relay("", 0).build());
        assertEquals(State.NOT_CONFIGURED, transport.health().state());
        assertEquals(Status.UNAVAILABLE, transport.deliver(StoredTestMessage.to("jane@example.com")).status());

        transport.reconfigure("office", startTls(server.port()).with("from", "printer@example.com").build());

        assertEquals(Status.SENT, transport.deliver(StoredTestMessage.to("jane@example.com")).status());
        assertEquals("printer@example.com", transport.sender().address());
        try (RecordingSmtpServer other = new RecordingSmtpServer(0)) {
            transport.reconfigure("office", startTls(other.port()).build());
            assertEquals(Status.SENT, transport.deliver(StoredTestMessage.to("jane@example.com")).status());
            assertEquals(1, other.received().size());
            assertEquals(1, server.received().size());
        }
    }
}
