package notification.relay.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.icegreen.greenmail.configuration.GreenMailConfiguration;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import com.icegreen.greenmail.util.ServerSetupTest;
import jakarta.mail.internet.MimeMessage;
import notification.api.transport.DeliveryResult;
import notification.api.transport.DeliveryResult.Status;
import notification.api.transport.TransportHealth;
import notification.api.transport.TransportHealth.State;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import notification.testkit.StoredTestMessage;

/** The relay against a real SMTP server (GreenMail): plain, implicit TLS, authentication, unreachable server. */
class GreenMailRelayTest {
    private static final String PASSWORD = "s3cret-Pa55";

    private GreenMail greenMail;
    private SmtpRelayTransport transport;

    @BeforeEach
    void startServer() {
        String keystore = TestCertificates.SERVER_KEYSTORE.toString();
        assertNotNull(keystore);
        greenMail = new GreenMail(new ServerSetup[] {ServerSetupTest.SMTP.dynamicPort(),
            ServerSetupTest.SMTPS.dynamicPort()})
                .withConfiguration(GreenMailConfiguration.aConfig().withUser("scanner@example.com", "scanner",
                        PASSWORD));
        greenMail.start();
    }

    @AfterEach
    void stop() {
        if (transport != null) {
            transport.close();
        }
        greenMail.stop();
    }

    private int smtpPort() {
        return greenMail.getSmtp().getPort();
    }

    private TestConfig implicitTls() {
        return TestConfig.relay("127.0.0.1", greenMail.getSmtps().getPort()).with("security", "tls")
                .with("trustStore", TestCertificates.TRUST_STORE.toString())
                .with("trustStorePassword", TestCertificates.PASSWORD);
    }

    @Test
    void plainDeliveryKeepsMessageIdAndEnvelopeSender() throws Exception {
        transport = new SmtpRelayTransport("plain", TestConfig.relay("127.0.0.1", smtpPort()).build());
        StoredTestMessage message = StoredTestMessage.to("jane@example.com");

        DeliveryResult result = transport.deliver(message);

        assertEquals(Status.SENT, result.status(), result.reply());
        assertTrue(result.reply().startsWith("250"), result.reply());
        MimeMessage[] received = greenMail.getReceivedMessages();
        assertEquals(1, received.length);
        assertEquals(message.messageId(), received[0].getMessageID());
        assertEquals("<scanner@example.com>", received[0].getHeader("Return-Path", null));
        TransportHealth health = transport.health();
        assertEquals(State.OK, health.state(), health.message());
        assertNotNull(health.lastSuccess());
    }

    @Test
    void isNotYetTestedUntilAConnectionCheckOrADeliveryProvesIt() {
        transport = new SmtpRelayTransport("auth", implicitTls().with("username", "scanner")
                .with("password", PASSWORD).build());
        TransportHealth fresh = transport.health();
        assertEquals(State.OK, fresh.state());
        assertFalse(fresh.verified(), fresh.toString());
        assertTrue(fresh.message().startsWith("Configured: "), fresh.message());

        TransportHealth tested = transport.testConnection();
        assertTrue(tested.verified(), tested.toString());
        assertTrue(tested.message().startsWith("Ready"), tested.message());
        assertEquals(0, greenMail.getReceivedMessages().length, "a connection check sends nothing");

        transport.reconfigure("auth", implicitTls().with("username", "scanner").with("password", PASSWORD)
                .with("fromName", "Floor 2").build());
        assertFalse(transport.health().verified(), "a changed configuration has proved nothing yet");

        assertEquals(Status.SENT, transport.deliver(StoredTestMessage.to("jane@example.com")).status());
        assertTrue(transport.health().verified(), "a delivery proves it");
    }

    @Test
    void theBackgroundCheckProvesAWorkingRelayWithoutSendingAndReportsAWrongPassword() throws Exception {
        transport = new SmtpRelayTransport("auth", implicitTls().with("username", "scanner")
                .with("password", PASSWORD).build());
        transport.checkInBackground();
        TransportHealth proven = awaitHealth(h -> h.verified());
        assertEquals(State.OK, proven.state(), proven.message());
        assertEquals(0, greenMail.getReceivedMessages().length);

        transport.reconfigure("auth", implicitTls().with("username", "scanner").with("password", "wrong").build());
        transport.checkInBackground();
        TransportHealth refused = awaitHealth(h -> h.state() == State.FAILING);
        assertFalse(refused.verified(), refused.toString());
        assertTrue(refused.lastError().contains("refused the username or password"), refused.lastError());
    }

    private TransportHealth awaitHealth(java.util.function.Predicate<TransportHealth> condition) throws Exception {
        for (int i = 0; i < 300; i++) {
            TransportHealth h = transport.health();
            if (condition.test(h)) {
                return h;
            }
            Thread.sleep(50);
        }
        TransportHealth last = transport.health();
        assertTrue(condition.test(last), "the check did not finish: " + last);
        return last;
    }

    @Test
    void implicitTlsWithPrivateTrustStore() throws Exception {
        transport = new SmtpRelayTransport("tls", implicitTls().build());

        DeliveryResult result = transport.deliver(StoredTestMessage.to("jane@example.com"));

        assertEquals(Status.SENT, result.status(), result.reply());
        assertEquals(1, greenMail.getReceivedMessages().length);
    }

    @Test
    void implicitTlsWithUntrustedCertificateIsTransientAndNamesTrustStore() {
        transport = new SmtpRelayTransport("tls", TestConfig.relay("127.0.0.1", greenMail.getSmtps().getPort())
                .with("security", "tls").build());

        DeliveryResult result = transport.deliver(StoredTestMessage.to("jane@example.com"));

        assertEquals(Status.TRANSIENT, result.status(), result.reply());
        assertTrue(result.reply().contains("'trustStore'"), result.reply());
        assertEquals(State.FAILING, transport.health().state());
        assertEquals(0, greenMail.getReceivedMessages().length);
    }

    @Test
    void authenticationAccepted() throws Exception {
        transport = new SmtpRelayTransport("auth", implicitTls().with("username", "scanner")
                .with("password", PASSWORD).build());

        DeliveryResult result = transport.deliver(StoredTestMessage.to("jane@example.com"));

        assertEquals(Status.SENT, result.status(), result.reply());
        assertEquals(1, greenMail.getReceivedMessages().length);
        assertEquals(State.OK, transport.testConnection().state());
    }

    @Test
    void wrongPasswordIsPermanentWithClearReasonAndNoSecret() {
        String wrong = "wrong-Pa55word";
        transport = new SmtpRelayTransport("auth", implicitTls().with("username", "scanner")
                .with("password", wrong).build());

        DeliveryResult result = transport.deliver(StoredTestMessage.to("jane@example.com"));

        assertEquals(Status.PERMANENT, result.status(), result.reply());
        assertTrue(result.reply().contains("refused the username or password"), result.reply());
        assertTrue(result.reply().contains("535"), result.reply());
        assertFalse(result.reply().contains(wrong));
        TransportHealth health = transport.health();
        assertEquals(State.FAILING, health.state());
        assertFalse(health.toString().contains(wrong), health.toString());
        TransportHealth tested = transport.testConnection();
        assertEquals(State.FAILING, tested.state());
        assertTrue(tested.lastError().contains("refused the username or password"), tested.lastError());
        assertEquals(0, greenMail.getReceivedMessages().length);
    }

    @Test
    void unreachableServerIsTransient() {
        int closedPort = SmtpSink.freePort();
        transport = new SmtpRelayTransport("down", TestConfig.relay("127.0.0.1", closedPort).build());

        DeliveryResult result = transport.deliver(StoredTestMessage.to("jane@example.com"));

        assertEquals(Status.TRANSIENT, result.status(), result.reply());
        assertTrue(result.reply().startsWith("Could not connect to 127.0.0.1:" + closedPort), result.reply());
        TransportHealth health = transport.health();
        assertEquals(State.FAILING, health.state());
        assertEquals(result.reply(), health.lastError());
        assertNotNull(health.lastFailure());
        assertEquals(State.FAILING, transport.testConnection().state());
    }

    @Test
    void requiredStartTlsRefusesAServerWithoutIt() {
        transport = new SmtpRelayTransport("starttls", TestConfig.relay("127.0.0.1", smtpPort())
                .with("security", "starttls").build());

        DeliveryResult result = transport.deliver(StoredTestMessage.to("jane@example.com"));

        assertEquals(Status.TRANSIENT, result.status(), result.reply());
        assertTrue(result.reply().contains("STARTTLS"), result.reply());
        assertEquals(0, greenMail.getReceivedMessages().length);
    }
}
