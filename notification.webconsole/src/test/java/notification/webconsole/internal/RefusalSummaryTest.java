package notification.webconsole.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RefusalSummaryTest {

    @Test
    void aThousandRefusalsWithinAMinuteMakeOneSummaryLineAfterTheFirst() {
        List<String> lines = new ArrayList<>();
        MovableClock clock = new MovableClock();
        RefusalSummary summary = new RefusalSummary(lines::add, "Callback", clock);
        for (int i = 0; i < 1000; i++) {
            summary.record(i % 2 == 0 ? "unknown state" : "too many requests", "192.0.2.7");
            clock.now = clock.now.plusMillis(10);
        }
        assertEquals(1, lines.size(), "the first refusal is logged at once, the rest wait for the minute");
        clock.now = clock.now.plus(Duration.ofMinutes(1));
        summary.record("unknown state", "192.0.2.8");
        assertEquals(2, lines.size());
        assertTrue(lines.get(1).contains("refused 1000 requests") && lines.get(1).contains("500 x unknown state")
                && lines.get(1).contains("500 x too many requests"), lines.get(1));
    }

    /** A clock the test moves. */
    static final class MovableClock extends Clock {
        Instant now = Instant.parse("2026-12-02T10:00:00Z");

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
