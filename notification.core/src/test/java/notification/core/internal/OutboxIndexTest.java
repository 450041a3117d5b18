package notification.core.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import notification.api.DeliveryState;
import org.junit.jupiter.api.Test;

/** The outbox's in-memory index: which entry instance is live, which are waiting, and which sent ones it forgets. */
class OutboxIndexTest {
    private static final Instant NOW = Instant.parse("2026-12-03T12:00:00Z");
    private final OutboxIndex index = new OutboxIndex();

    private static StoredEntry entry(long sequence, DeliveryState state, Instant updatedAt) {
        String id = String.format("entry-%04d", sequence);
        StoredEntry e = new StoredEntry(id, "<" + id + "@test>", null, null, List.of("a@example.com"), null, null,
                updatedAt);
        e.sequence = sequence;
        e.state = state;
        e.lifetimeStart = updatedAt;
        e.nextAttemptAt = updatedAt;
        e.updatedAt = updatedAt;
        return e;
    }

    @Test
    void onlyTheIndexedInstanceOfAnEntryIsContained() {
        StoredEntry live = entry(1, DeliveryState.QUEUED, NOW);
        index.insert(live);
        assertTrue(index.contains(live));
        assertFalse(index.contains(entry(1, DeliveryState.QUEUED, NOW)), "an older instance of the same id");
        index.remove(live);
        assertFalse(index.contains(live));
    }

    @Test
    void unschedulingTellsWhetherTheEntryWasWaiting() {
        StoredEntry e = entry(1, DeliveryState.QUEUED, NOW);
        index.insert(e);
        assertTrue(index.unschedule(e));
        assertFalse(index.unschedule(e));
        assertNull(index.firstDue());
        index.schedule(e);
        assertEquals(e, index.firstDue());
    }

    @Test
    void pruningKeepsExactlyTheNewestSentEntriesUpToTheLimitAndEveryUnsentOne() {
        for (long s = 1; s <= 5; s++) {
            index.insert(entry(s, DeliveryState.SENT, NOW));
        }
        index.insert(entry(6, DeliveryState.QUEUED, NOW.minus(Duration.ofDays(10))));
        index.insert(entry(7, DeliveryState.FAILED, NOW.minus(Duration.ofDays(10))));
        index.pruneSent(NOW.minus(Duration.ofHours(24)), 3);
        assertNull(index.get("entry-0001"));
        assertNull(index.get("entry-0002"));
        for (String kept : List.of("entry-0003", "entry-0004", "entry-0005", "entry-0006", "entry-0007")) {
            assertNotNull(index.get(kept), kept);
        }
    }

    @Test
    void pruningForgetsSentEntriesOlderThanTheCutoffOnly() {
        index.insert(entry(1, DeliveryState.SENT, NOW.minus(Duration.ofHours(25))));
        index.insert(entry(2, DeliveryState.SENT, NOW.minus(Duration.ofHours(23))));
        index.pruneSent(NOW.minus(Duration.ofHours(24)), 10);
        assertNull(index.get("entry-0001"));
        assertNotNull(index.get("entry-0002"));
    }
}
