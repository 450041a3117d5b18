package notification.core.internal;

import java.time.Duration;
import java.time.Instant;

/**
 * When to try again after a transient failure: the minimum delay doubling with every failure, capped at the maximum,
 * until the lifetime runs out.
 *
 * @param minimum delay after the first failure
 * @param maximum the largest delay
 * @param lifetime how long after submission (or a manual retry) failures are retried
 */
record RetrySchedule(Duration minimum, Duration maximum, Duration lifetime) {

    static RetrySchedule of(CoreSettings s) {
        return new RetrySchedule(s.retryMinimum(), s.retryMaximum(), s.maximumLifetime());
    }

    /**
     * Returns the delay before the next attempt.
     *
     * @param failures the transient failures so far, including the one just seen (at least 1)
     * @param retryAfter the delay the mail system asked for, or null
     * @return the delay
     */
    Duration delay(int failures, Duration retryAfter) {
        if (retryAfter != null && !retryAfter.isNegative() && !retryAfter.isZero()) {
            return retryAfter;
        }
        int doublings = Math.max(0, failures - 1);
        if (doublings >= 40) {
            return maximum;
        }
        Duration d = minimum.multipliedBy(1L << doublings);
        return d.compareTo(maximum) > 0 ? maximum : d;
    }

    /**
     * Tells whether an entry's lifetime has run out.
     *
     * @param lifetimeStart when it was submitted or last retried by hand
     * @param now the current time
     * @return true when no further attempt should be made
     */
    boolean expired(Instant lifetimeStart, Instant now) {
        return !now.isBefore(lifetimeStart.plus(lifetime));
    }
}
