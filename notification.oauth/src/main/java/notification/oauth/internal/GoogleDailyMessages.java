package notification.oauth.internal;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Locale;
import java.util.Optional;

/**
 * Counts, in memory, the messages Gmail accepted from this transport in a rolling 24 hours against the mailbox's daily
 * sending limit (2,000 for Google Workspace, 500 for consumer Gmail), so mail is held before Google refuses it and
 * health warns while less than 10 % is left.
 */
final class GoogleDailyMessages {

    /** How far back sent messages count. */
    static final Duration WINDOW = Duration.ofHours(24);

    private final Clock clock;
    private final Deque<Instant> sent = new ArrayDeque<>();

    GoogleDailyMessages(Clock clock) {
        this.clock = clock;
    }

    /** Counts one message Gmail accepted just now. */
    synchronized void record() {
        sent.addLast(clock.instant());
    }

    /** @return the messages accepted in the last 24 hours */
    synchronized int used() {
        Instant start = clock.instant().minus(WINDOW);
        while (!sent.isEmpty() && !sent.peekFirst().isAfter(start)) {
            sent.removeFirst();
        }
        return sent.size();
    }

    /**
     * Tells whether the day's limit is used up.
     *
     * @param perDay the limit; 0 = none
     * @return a sentence saying so and when sending resumes, or empty while messages may go out
     */
    synchronized Optional<String> exhausted(int perDay) {
        if (perDay <= 0 || used() < perDay) {
            return Optional.empty();
        }
        Instant resumes = sent.peekFirst().plus(WINDOW);
        return Optional.of("Daily sending limit reached: " + describe(perDay) + ". Mail is held, not failed, until "
                + resumes + ", when the oldest of them is 24 h old.");
    }

    /**
     * Warns while less than 10 % of the day's limit is left.
     *
     * @param perDay the limit; 0 = none
     * @return the warning, or empty
     */
    Optional<String> warning(int perDay) {
        int left = perDay - used();
        if (perDay <= 0 || left * 10 >= perDay) {
            return Optional.empty();
        }
        return Optional.of("Daily sending limit nearly used up: " + describe(perDay) + ", " + number(Math.max(0, left))
                + " left.");
    }

    /**
     * Describes the day's use.
     *
     * @param perDay the limit
     * @return for example "1,950 of 2,000 messages per day sent from here in the last 24 h"
     */
    String describe(int perDay) {
        return number(used()) + " of " + number(perDay) + " messages per day sent from here in the last 24 h";
    }

    private static String number(long value) {
        return String.format(Locale.ROOT, "%,d", value);
    }
}
