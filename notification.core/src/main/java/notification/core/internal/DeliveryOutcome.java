package notification.core.internal;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import notification.api.DeliveryState;
import notification.api.transport.DeliveryResult;
import notification.api.transport.DeliveryResult.Status;

/**
 * What a delivery attempt means for an entry: sent, deferred (only the recipients that failed transiently are
 * retried), failed for good with the server's reply, or expired.
 *
 * @param state the new state
 * @param pending recipients still to deliver
 * @param failed recipients refused for good
 * @param nextAttemptAt when to try again, or null
 * @param error the reply or reason to keep, or null when sent
 */
record DeliveryOutcome(DeliveryState state, List<String> pending, List<String> failed, Instant nextAttemptAt,
        String error) {

    /**
     * Interprets a transport's result (never UNAVAILABLE, which leaves the entry as it was).
     *
     * @param e the entry being sent (read only)
     * @param r the result
     * @param schedule the retry schedule
     * @param now the current time
     * @return the outcome
     */
    static DeliveryOutcome of(StoredEntry e, DeliveryResult r, RetrySchedule schedule, Instant now) {
        List<String> pending = new ArrayList<>();
        List<String> failed = new ArrayList<>(e.failed);
        List<String> refusals = new ArrayList<>();
        for (String rcpt : e.pending) {
            Status s = r.statusOf(rcpt);
            if (s == Status.PERMANENT) {
                failed.add(rcpt);
                refusals.add(rcpt + ": " + replyFor(r, rcpt));
            } else if (s != Status.SENT) {
                pending.add(rcpt);
            }
        }
        String reply = r.reply() == null ? r.status().name() : r.reply();
        if (!pending.isEmpty()) {
            String why = refusals.isEmpty() ? reply : reply + "; refused: " + String.join("; ", refusals);
            if (schedule.expired(e.lifetimeStart, now)) {
                return new DeliveryOutcome(DeliveryState.EXPIRED, pending, failed, null,
                        "expired after retrying since " + e.lifetimeStart + "; last reply: " + why);
            }
            int failures = e.attempts + 1 - e.attemptsAtRetry;
            return new DeliveryOutcome(DeliveryState.DEFERRED, pending, failed,
                    now.plus(schedule.delay(failures, r.retryAfter())), why);
        }
        if (!failed.isEmpty()) {
            String why = refusals.isEmpty() ? e.lastError
                    : r.recipientResults().isEmpty() ? reply : String.join("; ", refusals);
            return new DeliveryOutcome(DeliveryState.FAILED, pending, failed, null, why);
        }
        return new DeliveryOutcome(DeliveryState.SENT, pending, failed, null, null);
    }

    private static String replyFor(DeliveryResult r, String rcpt) {
        for (DeliveryResult.RecipientResult rr : r.recipientResults()) {
            if (rr.address().equalsIgnoreCase(rcpt) && rr.reply() != null) {
                return rr.reply();
            }
        }
        return r.reply() == null ? "refused" : r.reply();
    }
}
