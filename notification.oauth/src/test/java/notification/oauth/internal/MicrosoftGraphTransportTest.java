package notification.oauth.internal;

import static notification.oauth.internal.MicrosoftCloudFixture.MAILBOX;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;
import java.io.ByteArrayInputStream;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import notification.api.authorization.AuthorizationException;
import notification.api.transport.DeliveryResult;
import notification.api.transport.DeliveryResult.Status;
import notification.api.transport.TransportHealth.State;
import org.junit.jupiter.api.Test;
import notification.testkit.StoredTestMessage;

/** The Graph sendMail transport and app-only mode against the fakes, with real MSAL4J and java.net.http. */
class MicrosoftGraphTransportTest extends FakeMicrosoftCloudTest {


    @Test
    void sendsTheMimeMessageThroughGraphAfterAuthorization() throws Exception {
        MicrosoftMailTransport transport = cloud.transport("graph");
        assertEquals(4, transport.limits().maxConnections());
        cloud.authorize(transport, MAILBOX);
        StoredTestMessage message = scan("via Graph");
        DeliveryResult sent = transport.deliver(message);
        assertEquals(Status.SENT, sent.status(), sent.reply());
        assertEquals(1, cloud.graph.messages().size());
        assertEquals(MAILBOX, cloud.graph.messages().get(0).mailbox());
        MimeMessage received = new MimeMessage(Session.getInstance(new Properties()),
                new ByteArrayInputStream(cloud.graph.messages().get(0).content()));
        assertEquals("via Graph", received.getSubject());
        assertEquals(message.messageId(), received.getMessageID());
        transport.close();
    }

    @Test
    void throttlingHonoursRetryAfter() throws Exception {
        MicrosoftMailTransport transport = authorizedTransport("graph");
        cloud.graph.throttleNext(Duration.ofSeconds(7));
        DeliveryResult throttled = transport.deliver(scan("slow down"));
        assertEquals(Status.TRANSIENT, throttled.status());
        assertEquals(Duration.ofSeconds(7), throttled.retryAfter());
        assertTrue(throttled.reply().contains("429") && throttled.reply().contains("Retry-After"), throttled.reply());
        assertEquals(Status.SENT, transport.deliver(scan("slow down")).status());
        transport.close();
    }

    @Test
    void persistentAccessDeniedHoldsTheMessageExplainsThePermissionAndRetriesLater() throws Exception {
        MutableClock clock = new MutableClock();
        MicrosoftMailTransport transport = cloud.transport(cloud.configuration("graph"), clock);
        cloud.authorize(transport, MAILBOX);
        cloud.graph.failNext(403, "ErrorAccessDenied", "Access is denied. Check credentials and try again.");
        cloud.graph.failNext(403, "ErrorAccessDenied", "Access is denied. Check credentials and try again.");
        DeliveryResult denied = transport.deliver(scan("denied"));
        assertEquals(Status.UNAVAILABLE, denied.status(), "a permission problem must not fail the message");
        assertTrue(denied.reply().contains("Mail.Send"), denied.reply());
        assertEquals(2, cloud.graph.requests(), "asked once more with a fresh token");
        assertEquals(State.FAILING, transport.health().state());
        assertEquals(denied.reply(), transport.health().lastError());
        MicrosoftCloudFixture.assertNoSecret(denied.reply(), transport.health().toString());

        assertEquals(Status.UNAVAILABLE, transport.deliver(scan("denied"))
                .status());
        assertEquals(2, cloud.graph.requests(), "held back without a request");
        clock.advance(Duration.ofSeconds(60));
        assertEquals(Status.SENT, transport.deliver(scan("denied")).status());
        assertEquals(State.OK, transport.health().state());
        transport.close();
    }

    @Test
    void aRejectedTokenIsReplacedOnceAndOnlyAPersistentRejectionHoldsMail() throws Exception {
        MutableClock clock = new MutableClock();
        MicrosoftMailTransport transport = cloud.transport(cloud.configuration("graph"), clock);
        cloud.authorize(transport, MAILBOX);
        cloud.graph.failNext(401, "InvalidAuthenticationToken", "Access token has expired or is not yet valid.");
        assertEquals(Status.SENT, transport.deliver(scan("one")).status());

        cloud.graph.failNext(401, "InvalidAuthenticationToken", "Access token validation failure.");
        cloud.graph.failNext(401, "InvalidAuthenticationToken", "Access token validation failure.");
        DeliveryResult rejected = transport.deliver(scan("two"));
        assertEquals(Status.UNAVAILABLE, rejected.status());
        assertTrue(rejected.reply().contains("authorize again"), rejected.reply());
        assertEquals(State.FAILING, transport.health().state());
        assertEquals(State.OK, transport.testConnection().state(), "the connection test ends the hold");
        assertEquals(Status.SENT, transport.deliver(scan("two")).status());

        cloud.graph.failNext(403, "ErrorSendAsDenied", "The user account which was used to submit this request "
                + "does not have the right to send mail on behalf of the specified sending account.");
        cloud.graph.failNext(403, "ErrorSendAsDenied", "again");
        DeliveryResult sendAs = transport.deliver(scan("three"));
        assertEquals(Status.PERMANENT, sendAs.status(), "the message's From, not the set-up: " + sendAs.reply());
        assertEquals(List.of("one", "two"), cloud.graph.messages().stream().map(m -> subject(m.content())).toList());
        transport.close();
    }

    private static String subject(byte[] mime) {
        try {
            return new MimeMessage(Session.getInstance(new Properties()), new ByteArrayInputStream(mime)).getSubject();
        } catch (jakarta.mail.MessagingException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void neverMoreThanFourRequestsAtOnce() throws Exception {
        Map<String, Object> config = cloud.configuration("graph");
        MicrosoftMailTransport transport = cloud.transport(config, Clock.systemUTC());
        cloud.authorize(transport, MAILBOX);
        ExecutorService pool = Executors.newFixedThreadPool(10);
        List<Future<DeliveryResult>> results = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            results.add(pool.submit(() -> transport.deliver(scan("many"))));
        }
        for (Future<DeliveryResult> r : results) {
            assertEquals(Status.SENT, r.get().status());
        }
        pool.shutdown();
        assertTrue(cloud.graph.maxConcurrentRequests() <= 4, "requests: " + cloud.graph.maxConcurrentRequests());
        assertEquals(1, cloud.identity.tokenRequests(null), "one code redemption, then cached tokens only");
        transport.close();
    }

    @Test
    void appOnlyModeNeedsNoSignIn() throws Exception {
        for (String protocol : List.of("graph", "smtp")) {
            Map<String, Object> config = cloud.configuration(protocol);
            config.put("authMode", "app");
            config.put("name", "app-" + protocol);
            MicrosoftMailTransport transport = cloud.transport(config, Clock.systemUTC());
            assertEquals(State.OK, transport.health().state(), transport.health().message());
            AuthorizationException none = assertThrows(AuthorizationException.class,
                    () -> transport.authorization().begin("browser"));
            assertEquals(AuthorizationException.Reason.NOT_CONFIGURED, none.reason());
            for (int i = 0; i < 2; i++) {
                DeliveryResult sent = transport.deliver(StoredTestMessage.text(MAILBOX, "app " + protocol, "a@example.org"));
                assertEquals(Status.SENT, sent.status(), sent.reply());
            }
            transport.close();
        }
        assertEquals(2, cloud.graph.messages().size());
        assertEquals(2, cloud.smtp.messages().size());
        assertEquals(2, cloud.identity.tokenRequests("client_credentials"), "one token per transport");
    }
}
