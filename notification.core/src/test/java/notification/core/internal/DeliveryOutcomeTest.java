package notification.core.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import notification.api.DeliveryState;
import notification.api.transport.DeliveryResult;
import notification.api.transport.DeliveryResult.RecipientResult;
import notification.api.transport.DeliveryResult.Status;
import org.junit.jupiter.api.Test;

/** What a transport's answer means for an entry, and which reply is kept for each refused recipient. */
class DeliveryOutcomeTest {
    private static final Instant NOW = Instant.parse("2026-12-01T08:00:00Z");
    private static final RetrySchedule SCHEDULE = new RetrySchedule(Duration.ofMinutes(5), Duration.ofHours(1),
            Duration.ofDays(2));

    private static StoredEntry entry(String... recipients) {
        return new StoredEntry("entry-0001", "<entry-0001@test>", null, "s", List.of(recipients), null, null, NOW);
    }

    private static DeliveryOutcome outcome(List<RecipientResult> results, String reply) {
        return DeliveryOutcome.of(entry("a@example.com", "b@example.com"), DeliveryResult.perRecipient(results, reply),
                SCHEDULE, NOW);
    }

    @Test
    void aRefusedRecipientKeepsItsOwnReply() {
        DeliveryOutcome o = outcome(List.of(new RecipientResult("A@example.com", Status.PERMANENT, "550 5.1.1 unknown"),
                new RecipientResult("b@example.com", Status.SENT, "250 ok")), "550 some refused");
        assertEquals(DeliveryState.FAILED, o.state());
        assertEquals(List.of("a@example.com"), o.failed());
        assertEquals("a@example.com: 550 5.1.1 unknown", o.error());
    }

    @Test
    void aRefusedRecipientWithoutAReplyOfItsOwnGetsTheOverallReply() {
        DeliveryOutcome o = outcome(List.of(new RecipientResult("a@example.com", Status.PERMANENT, null),
                new RecipientResult("b@example.com", Status.SENT, "250 ok")), "554 5.7.1 rejected");
        assertEquals("a@example.com: 554 5.7.1 rejected", o.error());
    }

    @Test
    void aRefusedRecipientWithoutAnyReplyIsSaidToBeRefused() {
        DeliveryOutcome o = outcome(List.of(new RecipientResult("a@example.com", Status.PERMANENT, null),
                new RecipientResult("b@example.com", Status.SENT, null)), null);
        assertEquals("a@example.com: refused", o.error());
    }

    @Test
    void whileOthersWaitForARetryTheRefusalsAreListedAfterTheReply() {
        DeliveryOutcome o = outcome(List.of(new RecipientResult("a@example.com", Status.PERMANENT, null),
                new RecipientResult("b@example.com", Status.TRANSIENT, "451 later")), "451 try again");
        assertEquals(DeliveryState.DEFERRED, o.state());
        assertEquals(List.of("b@example.com"), o.pending());
        assertEquals("451 try again; refused: a@example.com: 451 try again", o.error());
        assertEquals(NOW.plus(Duration.ofMinutes(5)), o.nextAttemptAt());
    }
}
