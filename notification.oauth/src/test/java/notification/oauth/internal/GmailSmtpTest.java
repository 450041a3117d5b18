package notification.oauth.internal;

import static notification.oauth.internal.GoogleCloudFixture.MAILBOX;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import notification.api.transport.DeliveryResult;
import notification.api.transport.DeliveryResult.Status;
import notification.api.transport.TransportHealth.State;
import notification.testkit.FakeExchangeSmtpServer;
import notification.testkit.StoredTestMessage;
import org.junit.jupiter.api.Test;

/** SMTP with XOAUTH2 through the SMTP engine against a fake smtp.gmail.com (STARTTLS, Gmail's replies). */
class GmailSmtpTest extends FakeGoogleTest {

    @Test
    void aMessageIsDeliveredOverStartTlsWithXoauth2AsTheMailbox() throws Exception {
        GoogleMailTransport transport = authorizedTransport("smtp");
        StoredTestMessage message = scan("Scan over XOAUTH2");

        DeliveryResult result = transport.deliver(message);

        assertEquals(Status.SENT, result.status(), result.reply());
        FakeExchangeSmtpServer.ReceivedMessage received = cloud.smtp.messages().get(0);
        assertEquals(MAILBOX, received.authenticatedUser());
        assertEquals(MAILBOX, received.envelopeFrom());
        assertEquals(List.of("a@example.org"), received.recipients());
        assertArrayEquals(message.bytes(), received.content());
    }

    @Test
    void connectionsAreReusedAndOneTokenServesThem() throws Exception {
        GoogleMailTransport transport = authorizedTransport("smtp");

        for (int i = 0; i < 5; i++) {
            assertEquals(Status.SENT, transport.deliver(scan("reuse " + i)).status());
        }

        assertEquals(1, cloud.smtp.connectionsOpened());
        assertEquals(1, cloud.smtp.successfulLogins());
        assertEquals(0, cloud.google.tokenRequests("refresh_token"));
    }

    @Test
    void aRevokedTokenIsReplacedOnceAndTheMessageSent() throws Exception {
        GoogleMailTransport transport = authorizedTransport("smtp");
        cloud.google.issuedTokens().revokeAll();

        DeliveryResult result = transport.deliver(scan("after revocation"));

        assertEquals(Status.SENT, result.status(), result.reply());
        assertEquals(1, cloud.google.tokenRequests("refresh_token"));
    }

    @Test
    void testConnectionSignsInWithoutSending() throws Exception {
        GoogleMailTransport transport = authorizedTransport("smtp");

        notification.api.transport.TransportHealth checked = transport.testConnection();
        assertEquals(State.OK, checked.state(), checked.message());
        assertTrue(cloud.smtp.messages().isEmpty());
        assertEquals(1, cloud.smtp.successfulLogins());
    }
}
