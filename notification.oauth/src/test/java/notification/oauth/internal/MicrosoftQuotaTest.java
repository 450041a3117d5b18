package notification.oauth.internal;

import static notification.oauth.internal.MicrosoftCloudFixture.MAILBOX;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Map;
import java.util.stream.IntStream;
import notification.api.transport.DeliveryResult;
import notification.api.transport.DeliveryResult.Status;
import notification.api.transport.TransportHealth;
import notification.api.transport.TransportHealth.State;
import notification.testkit.StoredTestMessage;
import org.junit.jupiter.api.Test;

/** Exchange's daily sending quota: the day's budget is shown, and a refusal holds mail for a day instead of failing it. */
class MicrosoftQuotaTest extends FakeMicrosoftCloudTest {

    static final String QUOTA_REPLY = "554 5.2.0 STOREDRV.Submission.Exception:SubmissionQuotaExceededException; "
            + "Failed to process message due to a permanent exception with message Cannot submit message.";

    final MutableClock clock = new MutableClock();

    private MicrosoftMailTransport quotaLimitedTransport(String protocol) throws Exception {
        Map<String, Object> config = cloud.configuration(protocol);
        config.put("recipientsPerDay", 20);
        MicrosoftMailTransport transport = cloud.transport(config, clock);
        cloud.authorize(transport, MAILBOX);
        return transport;
    }

    private static StoredTestMessage toRecipients(int count) {
        return StoredTestMessage.text(MAILBOX, "scan", IntStream.range(0, count).mapToObj(i -> "r" + i + "@example.org")
                .toArray(String[]::new));
    }

    @Test
    void smtpWarnsBeforeTheQuotaRunsOutThenHoldsMailForADayWithoutConnecting() throws Exception {
        try (MicrosoftMailTransport transport = quotaLimitedTransport("smtp")) {
            assertEquals(Status.SENT, transport.deliver(toRecipients(17)).status());
            assertTrue(transport.health().warnings().isEmpty(), "3 of 20 left is not below 10 %");
            assertEquals(Status.SENT, transport.deliver(toRecipients(2)).status());
            assertTrue(transport.health().warnings().stream().anyMatch(w -> w.contains("19 of 20") && w.contains(
                    "1 left")), transport.health().warnings().toString());

            cloud.smtp.failNext("DATA", QUOTA_REPLY);
            DeliveryResult refused = transport.deliver(toRecipients(1));
            assertEquals(Status.UNAVAILABLE, refused.status(), "held, not failed: " + refused.reply());
            TransportHealth health = transport.health();
            assertEquals(State.FAILING, health.state());
            assertTrue(health.message().contains("daily sending quota") && health.message().contains("19 of 20")
                    && health.message().contains("until " + clock.instant().plus(Duration.ofHours(24))),
                    health.message());
            assertEquals(refused.reply(), health.lastError());

            int connections = cloud.smtp.connectionsOpened();
            int received = cloud.smtp.messages().size();
            clock.advance(Duration.ofHours(23));
            assertEquals(Status.UNAVAILABLE, transport.deliver(toRecipients(1)).status());
            assertEquals(connections, cloud.smtp.connectionsOpened(), "no connection while held");
            clock.advance(Duration.ofHours(1));
            assertEquals(Status.SENT, transport.deliver(toRecipients(1)).status(), "the quota has recovered");
            assertEquals(received + 1, cloud.smtp.messages().size());
            assertEquals(State.OK, transport.health().state());
            assertTrue(transport.health().warnings().isEmpty(), "yesterday's sends no longer count");
        }
    }

    @Test
    void testConnectionEndsTheQuotaHoldAtOnce() throws Exception {
        try (MicrosoftMailTransport transport = quotaLimitedTransport("smtp")) {
            cloud.smtp.failNext("DATA", QUOTA_REPLY);
            assertEquals(Status.UNAVAILABLE, transport.deliver(toRecipients(1)).status());
            assertEquals(Status.UNAVAILABLE, transport.deliver(toRecipients(1)).status());
            assertEquals(State.OK, transport.testConnection().state());
            assertEquals(Status.SENT, transport.deliver(toRecipients(1)).status());
        }
    }

    @Test
    void graphQuotaErrorHoldsMailForADay() throws Exception {
        try (MicrosoftMailTransport transport = quotaLimitedTransport("graph")) {
            cloud.graph.failNext(403, "ErrorSubmissionQuotaExceeded", "Cannot submit message: "
                    + "SubmissionQuotaExceededException.");
            cloud.graph.failNext(403, "ErrorSubmissionQuotaExceeded", "Cannot submit message: "
                    + "SubmissionQuotaExceededException.");
            DeliveryResult refused = transport.deliver(toRecipients(1));
            assertEquals(Status.UNAVAILABLE, refused.status(), refused.reply());
            assertTrue(refused.reply().contains("daily sending quota"), refused.reply());
            int requests = cloud.graph.requests();
            clock.advance(Duration.ofHours(2));
            assertEquals(Status.UNAVAILABLE, transport.deliver(toRecipients(1)).status(), "a 60 s hold would be over");
            assertEquals(requests, cloud.graph.requests(), "no request while held");
            assertEquals(State.FAILING, transport.health().state());
        }
    }
}
