package notification.core.internal;

import java.io.IOException;
import java.io.InputStream;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import notification.api.DeliveryState;
import notification.api.OutboxEntry;
import notification.api.OutboxStoreStatus;

/**
 * The local journal and, while one is attached, a shared store (PostgreSQL) as one outbox. New notifications go to
 * the shared store when there is one; the journal is never dropped: what it still holds is delivered (it drains) and
 * stays listed, retried and discarded as before. Detaching the shared store leaves its entries in the database, for
 * the other nodes or for when it is attached again, unless the detach hands them over to the journal.
 */
final class StoreSwitch implements OutboxStore {
    private final OutboxStore journal;
    private volatile OutboxStore shared;
    private volatile Due fromJournal;
    private volatile Runnable onChange = () -> { };
    /** Which store handed out each attempt in flight. */
    private final Map<Dispatch, OutboxStore> attempts = new ConcurrentHashMap<>();

    StoreSwitch(OutboxStore journal) {
        this.journal = journal;
    }

    /**
     * Sends new notifications to a shared store from now on.
     *
     * @param store the store; closed when detached
     */
    void attach(OutboxStore store) {
        store.onChange(onChange);
        OutboxStore old = shared;
        shared = store;
        if (old != null) {
            old.close();
        }
        onChange.run();
    }

    /** Goes back to the journal for new notifications; closes the shared store. */
    void detach() {
        detach(Duration.ZERO, journal -> { });
    }

    /**
     * Goes back to the journal for new notifications and lets what waits in the shared store move into it: the
     * deliveries this node runs from the shared store may end first (for at most {@code inFlight}: one cut off is
     * sent again, with its Message-ID), the shared store is closed (handing back what it had taken), then
     * {@code handOver} runs while its connection pool is still open.
     *
     * @param inFlight how long to wait for the deliveries under way from the shared store
     * @param handOver moves entries into the journal it is given ({@link OutboxStore#adopt})
     */
    void detach(Duration inFlight, Consumer<OutboxStore> handOver) {
        OutboxStore old = shared;
        shared = null;
        if (old != null) {
            awaitAttempts(old, inFlight);
            old.close();
            handOver.accept(journal);
        }
        onChange.run();
    }

    private void awaitAttempts(OutboxStore store, Duration limit) {
        long deadline = System.nanoTime() + limit.toNanos();
        while (attempts.containsValue(store) && System.nanoTime() - deadline < 0) {
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** The shared store, or null. */
    OutboxStore shared() {
        return shared;
    }

    private OutboxStore current() {
        OutboxStore s = shared;
        return s != null ? s : journal;
    }

    @Override
    public Clock clock() {
        return journal.clock();
    }

    @Override
    public SpillBuffer newBody(String id) {
        return current().newBody(id);
    }

    @Override
    public void submit(StoredEntry e, SpillBuffer body) {
        current().submit(e, body);
    }

    @Override
    public Due peekDue() {
        OutboxStore s = shared;
        Due local = journal.peekDue();
        Due other = s == null ? null : s.peekDue();
        fromJournal = local;
        return other == null || local != null && !local.at().isAfter(other.at()) ? local : other;
    }

    @Override
    public Dispatch claim(Due due) {
        OutboxStore store = due == fromJournal ? journal : shared;
        Dispatch d = store == null ? null : store.claim(due);
        if (d != null) {
            attempts.put(d, store);
        }
        return d;
    }

    @Override
    public boolean slowOutcome(Dispatch d) {
        return of(d).slowOutcome(d);
    }

    private OutboxStore of(Dispatch d) {
        OutboxStore s = attempts.get(d);
        return s != null ? s : journal;
    }

    @Override
    public void handBack(Dispatch d) {
        of(d).handBack(d);
        attempts.remove(d);
    }

    @Override
    public boolean finish(Dispatch d, DeliveryOutcome o, String transport) {
        try {
            return of(d).finish(d, o, transport);
        } finally {
            attempts.remove(d);
        }
    }

    @Override
    public void quarantine(Dispatch d, String problem) {
        of(d).quarantine(d, problem);
        attempts.remove(d);
    }

    @Override
    public InputStream open(Dispatch d) throws IOException {
        return of(d).open(d);
    }

    @Override
    public boolean retry(String id) {
        OutboxStore s = shared;
        return s != null && s.retry(id) || journal.retry(id);
    }

    @Override
    public boolean discard(String id) {
        OutboxStore s = shared;
        return s != null && s.discard(id) || journal.discard(id);
    }

    @Override
    public void prune() {
        OutboxStore s = shared;
        if (s != null) {
            s.prune();
        }
        journal.prune();
    }

    @Override
    public Optional<OutboxEntry> find(String id) {
        OutboxStore s = shared;
        Optional<OutboxEntry> found = s == null ? Optional.empty() : s.find(id);
        return found.isPresent() ? found : journal.find(id);
    }

    @Override
    public List<OutboxEntry> list(Set<DeliveryState> states, int max) {
        OutboxStore s = shared;
        if (s == null) {
            return journal.list(states, max);
        }
        List<OutboxEntry> all = new ArrayList<>(s.list(states, max));
        all.addAll(journal.list(states, max));
        all.sort(Comparator.comparing(OutboxEntry::createdAt).reversed());
        return all.size() > max ? List.copyOf(all.subList(0, max)) : all;
    }

    @Override
    public Map<DeliveryState, Long> counts() {
        Map<DeliveryState, Long> counts = new EnumMap<>(journal.counts());
        OutboxStore s = shared;
        if (s != null) {
            s.counts().forEach((state, n) -> counts.merge(state, n, Long::sum));
        }
        return counts;
    }

    @Override
    public OutboxStoreStatus status() {
        OutboxStore s = shared;
        return s != null ? s.status() : journal.status();
    }

    @Override
    public void onChange(Runnable r) {
        this.onChange = r;
        journal.onChange(r);
        OutboxStore s = shared;
        if (s != null) {
            s.onChange(r);
        }
    }

    @Override
    public void close() {
        detach();
        journal.close();
    }
}
