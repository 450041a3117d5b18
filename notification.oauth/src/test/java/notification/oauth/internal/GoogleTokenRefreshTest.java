package notification.oauth.internal;

import static notification.oauth.internal.GoogleCloudFixture.MAILBOX;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import notification.api.transport.DeliveryResult;
import notification.api.transport.DeliveryResult.Status;
import notification.api.transport.TransportHealth.State;
import org.junit.jupiter.api.Test;

/** Access tokens are refreshed when they expire, without a restart; a rotated refresh token is kept at once. */
class GoogleTokenRefreshTest extends FakeGoogleTest {

    final MutableClock clock = new MutableClock();

    @Test
    void anExpiredAccessTokenIsRefreshedAndMailKeepsGoing() throws Exception {
        GoogleMailTransport transport = cloud.transport(cloud.configuration("api"), clock);
        cloud.authorize(transport, MAILBOX);
        assertEquals(Status.SENT, transport.deliver(scan("first")).status());
        assertEquals(0, cloud.google.tokenRequests("refresh_token"));

        clock.advance(Duration.ofMinutes(56));
        DeliveryResult later = transport.deliver(scan("an hour later"));

        assertEquals(Status.SENT, later.status(), later.reply());
        assertEquals(1, cloud.google.tokenRequests("refresh_token"));
        assertEquals(2, cloud.google.gmail().messages().size());
    }

    @Test
    void aRotatedRefreshTokenIsPersistedSoTheNextRefreshAndARestartUseIt() throws Exception {
        cloud.google.setRotateRefreshTokens(true);
        GoogleMailTransport transport = cloud.transport(cloud.configuration("api"), clock);
        cloud.authorize(transport, MAILBOX);

        clock.advance(Duration.ofHours(2));
        assertEquals(Status.SENT, transport.deliver(scan("after first rotation")).status());
        clock.advance(Duration.ofHours(2));
        GoogleMailTransport restarted = cloud.transport(cloud.configuration("api"), clock);
        DeliveryResult result = restarted.deliver(scan("after restart and second rotation"));

        assertEquals(Status.SENT, result.status(), result.reply());
        assertEquals(2, cloud.google.tokenRequests("refresh_token"));
    }

    @Test
    void aRefreshTokenEndedByGoogleAsksForAuthorizationNamingTheTestingStatus() throws Exception {
        GoogleMailTransport transport = cloud.transport(cloud.configuration("api"), clock);
        cloud.authorize(transport, MAILBOX);
        cloud.google.expireRefreshTokens();
        clock.advance(Duration.ofHours(2));

        DeliveryResult result = transport.deliver(scan("a week later"));

        assertEquals(Status.UNAVAILABLE, result.status());
        assertEquals(State.AUTHORIZATION_REQUIRED, transport.health().state());
        assertTrue(transport.health().message().contains("after 7 days"), transport.health().message());
        assertTrue(transport.health().message().contains("\"Testing\""), transport.health().message());
        GoogleCloudFixture.assertNoSecret(transport.health().message(), result.reply());

        cloud.authorize(transport, MAILBOX);
        assertEquals(Status.SENT, transport.deliver(scan("authorized again")).status());
    }
}
