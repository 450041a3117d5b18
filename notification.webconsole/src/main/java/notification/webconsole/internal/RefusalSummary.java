package notification.webconsole.internal;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * Logs refused requests at most once a minute, as one summary line with a count per reason, so that a flood of
 * refused requests cannot fill the log.
 */
final class RefusalSummary {
    static final Duration PERIOD = Duration.ofMinutes(1);

    private final Consumer<String> log;
    private final String what;
    private final Clock clock;
    private final Map<String, Integer> counts = new TreeMap<>();
    private Instant lastLogged;
    private String lastAddress;

    /**
     * Creates the summary.
     *
     * @param log where a summary line goes, for example a logger's warn
     * @param what what refuses, to begin the line
     * @param clock the clock
     */
    RefusalSummary(Consumer<String> log, String what, Clock clock) {
        this.log = log;
        this.what = what;
        this.clock = clock;
    }

    /**
     * Counts a refusal; logs the summary when the last one is a minute old (or this is the first).
     *
     * @param reason why it was refused, without any value taken from the request
     * @param address the client's address
     */
    synchronized void record(String reason, String address) {
        counts.merge(reason, 1, Integer::sum);
        lastAddress = address;
        Instant now = clock.instant();
        if (lastLogged == null || !now.isBefore(lastLogged.plus(PERIOD))) {
            flush(now);
        }
    }

    /** Logs what was counted since the last summary, if anything. */
    synchronized void flush() {
        flush(clock.instant());
    }

    private void flush(Instant now) {
        if (counts.isEmpty()) {
            return;
        }
        int total = counts.values().stream().mapToInt(Integer::intValue).sum();
        StringBuilder reasons = new StringBuilder();
        counts.forEach((reason, n) -> reasons.append(reasons.length() == 0 ? "" : "; ").append(n).append(" x ")
                .append(reason));
        log.accept(what + ": refused " + total + " request" + (total == 1 ? "" : "s") + " since the last summary ("
                + reasons + "), the last from " + lastAddress);
        counts.clear();
        lastLogged = now;
    }
}
