package notification.core.internal;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import notification.api.transport.BudgetKey;
import notification.api.transport.BudgetUse;
import notification.api.transport.ConnectionSlot;
import notification.api.transport.MessageStart;
import notification.api.transport.SendingBudget;
import notification.api.transport.StartLimits;

/**
 * The sending budget of one node (outbox in the local journal): connections, starts, messages and recipients in
 * memory. Public (in a private package) so that the transports' tests can count as a single node does.
 */
public final class MemoryBudget implements SendingBudget {
    private static final Duration DAY = Duration.ofDays(1);
    private static final Comparator<BudgetKey> BY_MAILBOX = Comparator.comparing(BudgetKey::mailbox)
            .thenComparing(BudgetKey::protocol);

    private record Send(Instant at, int count) {
    }

    private final Clock clock;
    private final Map<BudgetKey, Integer> connections = new HashMap<>();
    private final Map<BudgetKey, Deque<Instant>> starts = new HashMap<>();
    /** Every start of the last day per mailbox, with its recipients (0 or more). */
    private final Map<String, Deque<Send>> sends = new HashMap<>();
    private final Map<String, Long> recipientTotals = new HashMap<>();
    private final Map<BudgetKey, Instant> lastStarts = new HashMap<>();
    private final KnownLimits limits = new KnownLimits();

    /**
     * Counts by a clock.
     *
     * @param clock the clock
     */
    public MemoryBudget(Clock clock) {
        this.clock = clock;
    }

    @Override
    public synchronized Optional<ConnectionSlot> takeConnection(BudgetKey key, int limit) {
        BudgetLimits.checkConnections(limit);
        limits.connections(key, limit);
        int open = connections.getOrDefault(key, 0);
        if (open >= limit) {
            return Optional.empty();
        }
        connections.put(key, open + 1);
        return Optional.of(new Slot(key));
    }

    private synchronized void release(BudgetKey key) {
        connections.computeIfPresent(key, (k, n) -> n <= 1 ? null : n - 1);
    }

    @Override
    public synchronized MessageStart startMessage(BudgetKey key, int count, StartLimits startLimits) {
        BudgetLimits.checkStart(count, startLimits);
        int perMinute = startLimits.messagesPerMinute();
        int perDay = startLimits.recipientsPerDay();
        limits.start(key, perMinute, perDay);
        Instant now = clock.instant();
        Deque<Instant> recent = purge(key, now);
        if (perMinute > 0 && recent.size() >= perMinute) {
            return BudgetLimits.minuteFull(key, perMinute, Duration.between(now, recent.peekFirst()
                    .plus(START_COUNTS_FOR)));
        }
        Deque<Send> day = sends.computeIfAbsent(key.mailbox(), m -> new ArrayDeque<>());
        int messagesPerDay = startLimits.messagesPerDay();
        if (messagesPerDay > 0 && day.size() >= messagesPerDay) {
            return BudgetLimits.messagesFull(key, messagesPerDay, Duration.between(now, day.peekFirst().at()
                    .plus(DAY)));
        }
        long today = recipientTotals.getOrDefault(key.mailbox(), 0L);
        if (perDay > 0 && today > 0 && today + count > perDay) {
            Instant oldest = day.stream().filter(r -> r.count() > 0).findFirst().orElseThrow().at();
            return BudgetLimits.dayFull(key, perDay, today, Duration.between(now, oldest.plus(DAY)));
        }
        recent.addLast(now);
        lastStarts.put(key, now);
        day.addLast(new Send(now, count));
        if (count > 0) {
            recipientTotals.merge(key.mailbox(), (long) count, Long::sum);
        }
        return MessageStart.granted();
    }

    @Override
    public synchronized BudgetUse use(BudgetKey key) {
        Instant now = clock.instant();
        return limits.use(key, connections.getOrDefault(key, 0), purge(key, now).size(),
                recipientTotals.getOrDefault(key.mailbox(), 0L), false, null);
    }

    @Override
    public synchronized List<BudgetUse> uses() {
        Instant now = clock.instant();
        lastStarts.values().removeIf(at -> !at.plus(DAY).isAfter(now));
        Set<BudgetKey> keys = new TreeSet<>(BY_MAILBOX);
        keys.addAll(connections.keySet());
        keys.addAll(lastStarts.keySet());
        List<BudgetUse> uses = new ArrayList<>();
        for (BudgetKey key : keys) {
            uses.add(use(key));
        }
        return uses;
    }

    /** Drops what no longer counts; returns the key's starts within the minute. */
    private Deque<Instant> purge(BudgetKey key, Instant now) {
        Deque<Instant> recent = starts.computeIfAbsent(key, k -> new ArrayDeque<>());
        while (!recent.isEmpty() && !recent.peekFirst().plus(START_COUNTS_FOR).isAfter(now)) {
            recent.removeFirst();
        }
        Deque<Send> day = sends.get(key.mailbox());
        while (day != null && !day.isEmpty() && !day.peekFirst().at().plus(DAY).isAfter(now)) {
            int count = day.removeFirst().count();
            if (count > 0 && recipientTotals.merge(key.mailbox(), (long) -count, Long::sum) <= 0) {
                recipientTotals.remove(key.mailbox());
            }
        }
        if (day != null && day.isEmpty()) {
            sends.remove(key.mailbox());
        }
        return recent;
    }

    /** A slot counted in memory. */
    private final class Slot implements ConnectionSlot {
        private final BudgetKey key;
        private boolean closed;

        Slot(BudgetKey key) {
            this.key = key;
        }

        @Override
        public BudgetKey key() {
            return key;
        }

        @Override
        public void close() {
            synchronized (MemoryBudget.this) {
                if (!closed) {
                    closed = true;
                    release(key);
                }
            }
        }
    }
}
