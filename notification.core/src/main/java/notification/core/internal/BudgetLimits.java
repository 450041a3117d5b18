package notification.core.internal;

import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import notification.api.transport.BudgetKey;
import notification.api.transport.MessageStart;
import notification.api.transport.StartLimits;

/** The argument checks and refusal sentences both sending budgets share. */
final class BudgetLimits {
    /** Never ask a refused caller to come back sooner than this (a clock's rounding). */
    private static final Duration AT_LEAST = Duration.ofMillis(100);

    private BudgetLimits() {
    }

    static void checkConnections(int limit) {
        if (limit < 1) {
            throw new IllegalArgumentException("a connection limit must be at least 1, was " + limit);
        }
    }

    static void checkStart(int recipients, StartLimits limits) {
        Objects.requireNonNull(limits, "limits");
        if (recipients < 0) {
            throw new IllegalArgumentException("recipients must not be negative, was " + recipients);
        }
    }

    static MessageStart minuteFull(BudgetKey key, int perMinute, Duration wait) {
        return MessageStart.notYet(atLeast(wait), perMinute + " messages in the last minute from " + key
                + ", the most allowed; the next may start in " + seconds(atLeast(wait)));
    }

    static MessageStart dayFull(BudgetKey key, int perDay, long today, Duration wait) {
        return MessageStart.notYet(atLeast(wait), String.format(Locale.ROOT, "%,d of %,d recipients per day used by %s"
                + " in the last 24 h; mail is held until older sends are 24 h old (in %s)", today, perDay,
                key.mailbox(), seconds(atLeast(wait))));
    }

    static MessageStart messagesFull(BudgetKey key, int perDay, Duration wait) {
        return MessageStart.notYet(atLeast(wait), String.format(Locale.ROOT, "%,d of %,d messages per day sent by %s"
                + " in the last 24 h; mail is held until older sends are 24 h old (in %s)", perDay, perDay,
                key.mailbox(), seconds(atLeast(wait))));
    }

    private static Duration atLeast(Duration wait) {
        return wait.compareTo(AT_LEAST) < 0 ? AT_LEAST : wait;
    }

    private static String seconds(Duration d) {
        long s = (d.toMillis() + 999) / 1000;
        return s < 120 ? s + " s" : s < 7200 ? (s + 59) / 60 + " min" : (s + 3599) / 3600 + " h";
    }
}
