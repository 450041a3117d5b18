package notification.core.internal;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import notification.api.transport.TransportLimits;

/** Counts what a transport started in the last minute and recipients in the last 24 hours, to honour its limits. */
final class RateWindow {
    private static final Duration MINUTE = Duration.ofMinutes(1);
    private static final Duration DAY = Duration.ofDays(1);

    private final ArrayDeque<Instant> starts = new ArrayDeque<>();
    private final ArrayDeque<Instant> recipientTimes = new ArrayDeque<>();
    private final ArrayDeque<Integer> recipientCounts = new ArrayDeque<>();
    private long recipientsToday;

    /**
     * Returns when a message with this many recipients may start.
     *
     * @param now the current time
     * @param limits the transport's limits
     * @param recipients the message's recipients
     * @return {@code now} if it may start at once, else the earliest time it may
     */
    synchronized Instant nextAllowed(Instant now, TransportLimits limits, int recipients) {
        purge(now);
        Instant allowed = now;
        if (limits.messagesPerMinute() > 0 && starts.size() >= limits.messagesPerMinute()) {
            allowed = later(allowed, starts.peekFirst().plus(MINUTE));
        }
        if (limits.recipientsPerDay() > 0 && recipientsToday > 0
                && recipientsToday + recipients > limits.recipientsPerDay()) {
            allowed = later(allowed, recipientTimes.peekFirst().plus(DAY));
        }
        return allowed;
    }

    synchronized void record(Instant now, int recipients) {
        starts.addLast(now);
        recipientTimes.addLast(now);
        recipientCounts.addLast(recipients);
        recipientsToday += recipients;
    }

    private void purge(Instant now) {
        while (!starts.isEmpty() && !starts.peekFirst().plus(MINUTE).isAfter(now)) {
            starts.removeFirst();
        }
        while (!recipientTimes.isEmpty() && !recipientTimes.peekFirst().plus(DAY).isAfter(now)) {
            recipientTimes.removeFirst();
            recipientsToday -= recipientCounts.removeFirst();
        }
    }

    private static Instant later(Instant a, Instant b) {
        return a.isAfter(b) ? a : b;
    }
}
