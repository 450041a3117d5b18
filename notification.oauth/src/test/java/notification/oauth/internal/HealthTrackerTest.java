package notification.oauth.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import notification.api.transport.TransportHealth.State;
import org.junit.jupiter.api.Test;

/** After a refusal of the transport's set-up, mail is held back for 60 s, doubling up to 15 minutes. */
class HealthTrackerTest {

    final MutableClock clock = new MutableClock();
    final HealthTracker health = new HealthTracker("scanner@contoso.example", clock,
            new RecipientBudget(10_000, clock));

    @Test
    void theHoldDoublesUpToFifteenMinutesAndEndsOnDelivery() {
        long[] expectedSeconds = {60, 120, 240, 480, 900, 900};
        for (long seconds : expectedSeconds) {
            health.refused("SMTP AUTH is disabled");
            Instant until = health.heldUntil();
            assertEquals(Duration.ofSeconds(seconds), Duration.between(clock.instant(), until));
            assertEquals("SMTP AUTH is disabled", health.held().orElseThrow());
            assertEquals(State.FAILING, health.health().state());
            assertTrue(health.health().message().contains("SMTP AUTH is disabled"));
            assertEquals("SMTP AUTH is disabled", health.health().lastError());
            clock.advance(Duration.ofSeconds(seconds - 1));
            assertTrue(health.held().isPresent(), "still held one second before the end");
            clock.advance(Duration.ofSeconds(1));
            assertTrue(health.held().isEmpty(), "released after " + seconds + " s");
        }
        health.delivered();
        assertEquals(State.OK, health.health().state());
        health.refused("again");
        assertEquals(Duration.ofSeconds(60), Duration.between(clock.instant(), health.heldUntil()));
    }

    @Test
    void aRefusalSeenWhileHoldingDoesNotLengthenTheHold() {
        health.refused("first connection refused");
        health.refused("second connection refused");
        assertEquals(Duration.ofSeconds(60), Duration.between(clock.instant(), health.heldUntil()));
        clock.advance(Duration.ofSeconds(60));
        health.refused("after the hold");
        assertEquals(Duration.ofSeconds(120), Duration.between(clock.instant(), health.heldUntil()));
        health.clearHold();
        assertTrue(health.held().isEmpty());
    }

    @Test
    void theQuotaHoldsForADayFromTheFirstRefusalAndADeliveryOnAParallelConnectionDoesNotEndIt() {
        String first = health.quotaExceeded("554 5.2.0 SubmissionQuotaExceeded");
        assertEquals(Duration.ofHours(24), Duration.between(clock.instant(), health.heldUntil()));
        assertTrue(first.contains("held, not failed, until " + health.heldUntil()), first);
        assertEquals(State.FAILING, health.health().state());
        clock.advance(Duration.ofHours(1));
        assertEquals(first, health.quotaExceeded("554 5.2.0 SubmissionQuotaExceeded"), "not lengthened");
        health.delivered();
        assertEquals(first, health.held().orElseThrow());
        clock.advance(Duration.ofHours(23));
        assertTrue(health.held().isEmpty());
        health.delivered();
        assertEquals(State.OK, health.health().state());
    }
}
