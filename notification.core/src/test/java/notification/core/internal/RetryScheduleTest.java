package notification.core.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import notification.api.DeliveryState;
import notification.api.transport.DeliveryResult;
import notification.api.transport.DeliveryResult.RecipientResult;
import notification.api.transport.DeliveryResult.Status;
import org.junit.jupiter.api.Test;

/** Backoff, expiry and what a per-recipient answer means for an entry. */
class RetryScheduleTest {
    private final RetrySchedule schedule = new RetrySchedule(Duration.ofSeconds(300), Duration.ofSeconds(4000),
            Duration.ofDays(5));
    private final Instant t0 = Instant.parse("2026-01-01T00:00:00Z");

    @Test
    void delaysDoubleFromTheMinimumAndStopAtTheMaximum() {
        assertEquals(Duration.ofSeconds(300), schedule.delay(1, null));
        assertEquals(Duration.ofSeconds(600), schedule.delay(2, null));
        assertEquals(Duration.ofSeconds(1200), schedule.delay(3, null));
        assertEquals(Duration.ofSeconds(2400), schedule.delay(4, null));
        assertEquals(Duration.ofSeconds(4000), schedule.delay(5, null));
        assertEquals(Duration.ofSeconds(4000), schedule.delay(500, null));
    }

    @Test
    void honoursTheDelayTheMailSystemAskedFor() {
        assertEquals(Duration.ofSeconds(42), schedule.delay(3, Duration.ofSeconds(42)));
        StoredEntry e = entry("a@example.com");
        DeliveryOutcome o = DeliveryOutcome.of(e, DeliveryResult.transientFailure("429", Duration.ofSeconds(42)),
                schedule, t0);
        assertEquals(t0.plusSeconds(42), o.nextAttemptAt());
    }

    @Test
    void expiresOnceTheLifetimeIsOver() {
        assertFalse(schedule.expired(t0, t0.plus(Duration.ofDays(5)).minusSeconds(1)));
        assertTrue(schedule.expired(t0, t0.plus(Duration.ofDays(5))));
        StoredEntry e = entry("a@example.com");
        DeliveryOutcome o = DeliveryOutcome.of(e, DeliveryResult.transientFailure("421 busy"), schedule,
                t0.plus(Duration.ofDays(6)));
        assertEquals(DeliveryState.EXPIRED, o.state());
        assertTrue(o.error().contains("421 busy"), o.error());
    }

    @Test
    void backoffCountsFailuresSinceTheLastManualRetry() {
        StoredEntry e = entry("a@example.com");
        e.attempts = 7;
        e.attemptsAtRetry = 6;
        DeliveryOutcome o = DeliveryOutcome.of(e, DeliveryResult.transientFailure("421"), schedule, t0);
        assertEquals(t0.plusSeconds(600), o.nextAttemptAt());
    }

    @Test
    void onlyRecipientsThatFailedTransientlyAreRetried() {
        StoredEntry e = entry("a@example.com", "b@example.com", "c@example.com");
        DeliveryResult r = DeliveryResult.perRecipient(List.of(
                new RecipientResult("a@example.com", Status.SENT, "250"),
                new RecipientResult("b@example.com", Status.TRANSIENT, "452 mailbox full"),
                new RecipientResult("c@example.com", Status.PERMANENT, "550 no such user")), "mixed");
        DeliveryOutcome first = DeliveryOutcome.of(e, r, schedule, t0);
        assertEquals(DeliveryState.DEFERRED, first.state());
        assertEquals(List.of("b@example.com"), first.pending());
        assertEquals(List.of("c@example.com"), first.failed());
        assertTrue(first.error().contains("c@example.com: 550 no such user"), first.error());

        e.pending = first.pending();
        e.failed = new java.util.ArrayList<>(first.failed());
        e.lastError = first.error();
        e.attempts = 1;
        DeliveryOutcome second = DeliveryOutcome.of(e, DeliveryResult.sent("250"), schedule, t0.plusSeconds(300));
        assertEquals(DeliveryState.FAILED, second.state(), "a recipient was refused for good: not silently SENT");
        assertEquals(List.of(), second.pending());
        assertTrue(second.error().contains("550 no such user"), second.error());
    }

    @Test
    void aPermanentRefusalFailsTheEntryWithTheServersReply() {
        DeliveryOutcome o = DeliveryOutcome.of(entry("a@example.com"),
                DeliveryResult.permanentFailure("554 5.7.1 relay denied"), schedule, t0);
        assertEquals(DeliveryState.FAILED, o.state());
        assertTrue(o.error().contains("554 5.7.1 relay denied"));
    }

    private StoredEntry entry(String... recipients) {
        return new StoredEntry("entry-0001", "<m@test>", null, "s", List.of(recipients), null, null, t0);
    }
}
