package notification.oauth.internal;

import static notification.oauth.internal.GoogleCloudFixture.MAILBOX;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Map;
import notification.api.transport.DeliveryResult;
import notification.api.transport.DeliveryResult.Status;
import org.junit.jupiter.api.Test;

/** The mailbox's daily sending limit is counted here, so mail is held before Google refuses it, and warned about. */
class GoogleDailyLimitTest extends FakeGoogleTest {

    final MutableClock clock = new MutableClock();

    @Test
    void atTheDailyLimitMailIsHeldUntilTheOldestSendIsADayOld() throws Exception {
        Map<String, Object> c = cloud.configuration("api");
        c.put("messagesPerDay", 20);
        GoogleMailTransport transport = cloud.transport(c, clock);
        cloud.authorize(transport, MAILBOX);
        for (int i = 0; i < 19; i++) {
            assertEquals(Status.SENT, transport.deliver(scan("scan " + i)).status());
            clock.advance(Duration.ofMinutes(10));
        }
        assertTrue(transport.health().warnings().contains("Daily sending limit nearly used up: 19 of 20 messages per "
                + "day sent from here in the last 24 h, 1 left."), transport.health().warnings().toString());
        assertEquals(Status.SENT, transport.deliver(scan("the twentieth")).status());

        DeliveryResult held = transport.deliver(scan("the twenty-first"));

        assertEquals(Status.UNAVAILABLE, held.status());
        assertTrue(held.reply().startsWith("Daily sending limit reached: 20 of 20 messages per day"), held.reply());
        assertTrue(held.reply().contains("held, not failed, until 2026-11-27T10:00:00Z"), held.reply());
        assertEquals(20, cloud.google.gmail().messages().size());

        clock.advance(Duration.ofHours(20).plusMinutes(51));
        assertEquals(Status.SENT, transport.deliver(scan("a day after the first")).status());
    }

    @Test
    void workspaceAndConsumerPresetsFollowTheSignedInAccountUnlessConfigured() throws Exception {
        GoogleMailTransport unsigned = cloud.transport("api");
        assertEquals(500, unsigned.accountLimits().messagesPerDay());
        assertEquals(0, unsigned.accountLimits().recipientsPerDay(), "none published for consumer Gmail");
        cloud.authorize(unsigned, MAILBOX);
        assertEquals(2000, unsigned.accountLimits().messagesPerDay());
        assertEquals(10_000, unsigned.accountLimits().recipientsPerDay());

        Map<String, Object> c = cloud.configuration("api");
        c.put("recipientsPerMessage", 50);
        c.put("messagesPerDay", 1500);
        c.put("recipientsPerDay", 4000);
        GoogleMailTransport configured = cloud.transport(c, clock);
        assertEquals(new GoogleAccountLimits(1500, 50, 4000, true), configured.accountLimits());
    }
}
