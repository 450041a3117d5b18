package notification.core.internal;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import notification.api.DeliveryState;
import notification.api.OutboxEntry;

/**
 * The outbox's entries in memory: by id, in submission order, and the waiting ones by due time. Not thread-safe: the
 * {@link Outbox} calls it with its lock held.
 */
final class OutboxIndex {
    private final Map<String, StoredEntry> byId = new HashMap<>();
    private final TreeMap<Long, StoredEntry> bySequence = new TreeMap<>();
    /** Due first, then submitted first; written out because it runs for every entry queued and sent. */
    private static final Comparator<StoredEntry> BY_DUE_TIME = (a, b) -> {
        int c = a.nextAttemptAt.compareTo(b.nextAttemptAt);
        return c != 0 ? c : Long.compare(a.sequence, b.sequence);
    };

    private final TreeSet<StoredEntry> due = new TreeSet<>(BY_DUE_TIME);

    void insert(StoredEntry e) {
        byId.put(e.id, e);
        bySequence.put(e.sequence, e);
        if (e.waiting()) {
            due.add(e);
        }
    }

    void remove(StoredEntry e) {
        byId.remove(e.id);
        bySequence.remove(e.sequence);
        due.remove(e);
    }

    StoredEntry get(String id) {
        return byId.get(id);
    }

    boolean contains(StoredEntry e) {
        return byId.get(e.id) == e;
    }

    /** Returns the waiting entry due first, or null. */
    StoredEntry firstDue() {
        return due.isEmpty() ? null : due.first();
    }

    /** Takes an entry out of the waiting ones, before its due time changes or it is sent. */
    boolean unschedule(StoredEntry e) {
        return due.remove(e);
    }

    /** Puts a waiting entry (back) among the waiting ones. */
    void schedule(StoredEntry e) {
        if (e.waiting() && contains(e)) {
            due.add(e);
        }
    }

    Iterable<StoredEntry> inOrder() {
        return bySequence.values();
    }

    List<OutboxEntry> newestFirst(Set<DeliveryState> states, int max) {
        List<OutboxEntry> result = new ArrayList<>();
        for (StoredEntry e : bySequence.descendingMap().values()) {
            if (result.size() >= max) {
                break;
            }
            if (states == null || states.isEmpty() || states.contains(e.state)) {
                result.add(e.snapshot());
            }
        }
        return result;
    }

    Map<DeliveryState, Long> counts() {
        Map<DeliveryState, Long> counts = new EnumMap<>(DeliveryState.class);
        for (DeliveryState s : DeliveryState.values()) {
            counts.put(s, 0L);
        }
        for (StoredEntry e : byId.values()) {
            counts.merge(e.state, 1L, Long::sum);
        }
        return counts;
    }

    /**
     * Forgets sent entries last changed before a cutoff, and the oldest beyond a number.
     *
     * @param cutoff sent entries older than this go
     * @param maxSent how many sent entries stay at most
     */
    void pruneSent(Instant cutoff, int maxSent) {
        List<StoredEntry> sent = new ArrayList<>();
        for (StoredEntry e : bySequence.values()) {
            if (e.state == DeliveryState.SENT) {
                sent.add(e);
            }
        }
        int excess = sent.size() - maxSent;
        for (StoredEntry e : sent) {
            if (excess-- > 0 || e.updatedAt.isBefore(cutoff)) {
                remove(e);
            }
        }
    }
}
