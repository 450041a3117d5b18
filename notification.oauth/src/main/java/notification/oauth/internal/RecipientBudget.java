package notification.oauth.internal;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Locale;
import java.util.Optional;

/**
 * Counts, in memory, the recipients this transport handed to Microsoft 365 in a rolling 24 hours, against the
 * mailbox's daily quota (Exchange Online: 10,000 recipients per day), so health can warn before the quota runs out.
 */
final class RecipientBudget {

    /** How far back sent recipients count. */
    static final Duration WINDOW = Duration.ofHours(24);

    private record Sent(Instant at, int recipients) {
    }

    private final int perDay;
    private final Clock clock;
    private final Deque<Sent> sent = new ArrayDeque<>();
    private long used;

    RecipientBudget(int perDay, Clock clock) {
        this.perDay = perDay;
        this.clock = clock;
    }

    /**
     * Counts recipients that Microsoft 365 accepted just now.
     *
     * @param recipients how many; nothing is counted for 0
     */
    synchronized void record(int recipients) {
        if (recipients > 0) {
            sent.addLast(new Sent(clock.instant(), recipients));
            used += recipients;
        }
    }

    /** @return the recipients accepted in the last 24 hours */
    synchronized long used() {
        Instant start = clock.instant().minus(WINDOW);
        for (Sent oldest = sent.peekFirst(); oldest != null && !oldest.at().isAfter(start); oldest = sent.peekFirst()) {
            used -= sent.removeFirst().recipients();
        }
        return used;
    }

    /** @return the configured recipients per day; 0 when no quota is known */
    int perDay() {
        return perDay;
    }

    /** @return what is left of the day's quota, never negative */
    long remaining() {
        return Math.max(0, perDay - used());
    }

    /** @return for example "9,950 of 10,000 recipients per day sent from here in the last 24 h" */
    String describe() {
        long now = used();
        return perDay > 0 ? number(now) + " of " + number(perDay) + " recipients per day sent from here in the last 24 h"
                : number(now) + " recipients sent from here in the last 24 h";
    }

    /** @return a warning while less than 10 % of the day's quota is left, else empty */
    Optional<String> warning() {
        if (perDay <= 0) {
            return Optional.empty();
        }
        long left = remaining();
        if (left * 10 >= perDay) {
            return Optional.empty();
        }
        return Optional.of("Daily sending quota nearly used up: " + describe() + ", " + number(left) + " left. "
                + "Exchange Online refuses further mail (554 5.2.0 SubmissionQuotaExceeded) until older sends are "
                + "24 h old; mail is then held, not failed.");
    }

    private static String number(long value) {
        return String.format(Locale.ROOT, "%,d", value);
    }
}
