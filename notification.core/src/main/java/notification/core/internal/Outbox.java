package notification.core.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import notification.api.DeliveryState;
import notification.api.NotificationStoreException;
import notification.api.OutboxEntry;

/**
 * The durable outbox: every accepted notification, its stored message and its delivery state, kept in a journal
 * that survives a crash at any moment. Sent entries stay listed for {@link #KEEP_SENT} (at most {@link #MAX_SENT}).
 */
final class Outbox implements OutboxStore {
    static final Duration KEEP_SENT = Duration.ofHours(24);
    static final int MAX_SENT = 10_000;
    static final int INLINE_LIMIT = 256 * 1024;
    /** At most this many bytes of stored messages waiting for their first attempt are also kept in memory. */
    static final long HOLD_LIMIT = 16L << 20;

    final Object lock = new Object();
    private final Path messages;
    private final Clock clock;
    private final OutboxIndex index = new OutboxIndex();
    private final Journal journal;
    private final OutboxFiles files;
    private volatile Runnable onChange = () -> { };
    private long nextSequence = 1;
    private long heldBytes;
    private int sentSincePrune;

    /**
     * Opens (or creates) the outbox in a directory and recovers its state.
     *
     * @param dir the outbox directory, for example var/outbox
     * @param clock the clock
     * @param compactAbove journal size in bytes from which it is compacted
     * @throws IOException if the directory cannot be used
     */
    Outbox(Path dir, Clock clock, long compactAbove) throws IOException {
        this(dir, clock, compactAbove, new LocalOutboxFiles());
    }

    /**
     * Opens (or creates) the outbox in a directory and recovers its state.
     *
     * @param dir the outbox directory, for example var/outbox
     * @param clock the clock
     * @param compactAbove journal size in bytes from which it is compacted
     * @param files creates, renames, deletes and syncs the outbox's files
     * @throws IOException if the directory cannot be used
     */
    Outbox(Path dir, Clock clock, long compactAbove, OutboxFiles files) throws IOException {
        this.clock = clock;
        this.files = files;
        files.createDirectories(dir);
        this.messages = files.createDirectories(dir.resolve("messages"));
        OutboxRecovery recovery = new OutboxRecovery(messages, clock, files);
        this.journal = new Journal(dir, compactAbove, recovery, files);
        for (StoredEntry e : recovery.finish()) {
            index.insert(e);
            nextSequence = Math.max(nextSequence, e.sequence + 1);
        }
        prune();
        journal.setCompactor(new OutboxCompactor(this));
    }

    @Override
    public void onChange(Runnable r) {
        this.onChange = r;
    }

    @Override
    public Clock clock() {
        return clock;
    }

    @Override
    public SpillBuffer newBody(String id) {
        return new SpillBuffer(INLINE_LIMIT, messages.resolve(id + ".tmp"), files);
    }

    @Override
    public void submit(StoredEntry e, SpillBuffer body) {
        store(e, body);
    }

    /**
     * {@inheritDoc} Stored like a submit: a large message's file is moved into the messages folder and synced, the
     * record fsync'd; the entry gets the next sequence of this journal.
     */
    @Override
    public boolean adopt(StoredEntry e, SpillBuffer body) {
        synchronized (lock) {
            if (index.get(e.id) != null) {
                body.discard();
                return false;
            }
        }
        store(e, body);
        return true;
    }

    /** Journals a new entry with its message as it stands (state, attempts, schedule); durable when it returns. */
    private void store(StoredEntry e, SpillBuffer body) {
        Path moved = null;
        try {
            e.size = body.length();
            synchronized (lock) {
                e.sequence = nextSequence++;
            }
            byte[] record;
            int length = (int) Math.min(Integer.MAX_VALUE, body.length());
            if (body.inMemory()) {
                record = EntryCodec.entry(e, EntryCodec.BODY_INLINE, body.bytes(), length, null);
            } else {
                body.sync();
                moved = messages.resolve(e.id + ".eml");
                files.move(body.spillFile(), moved);
                files.forceDirectory(messages);
                record = EntryCodec.entry(e, EntryCodec.BODY_FILE, null, 0, moved.getFileName().toString());
            }
            Path file = moved;
            journal.append(record, pos -> {
                e.body = file != null ? new BodyLocation(file, 0, e.size, true)
                        : new BodyLocation(journal.file(), pos + record.length - length, length, false);
                synchronized (lock) {
                    if (file == null && heldBytes + record.length <= HOLD_LIMIT) {
                        e.held = record;
                        heldBytes += record.length;
                    }
                    index.insert(e);
                }
                onChange.run();
            }).get();
        } catch (IOException | ExecutionException ex) {
            body.discard();
            deleteQuietly(moved);
            Throwable cause = ex instanceof ExecutionException ? ex.getCause() : ex;
            throw new NotificationStoreException("the notification could not be stored in the outbox: " + cause, cause);
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            deleteQuietly(moved);
            throw new NotificationStoreException("interrupted while storing the notification", ex);
        }
    }

    @Override
    public Due peekDue() {
        synchronized (lock) {
            StoredEntry e = index.firstDue();
            return e == null ? null : new Due(e, e.nextAttemptAt, e.pending.size());
        }
    }

    @Override
    public Dispatch claim(Due due) {
        synchronized (lock) {
            StoredEntry e = due.entry();
            if (!e.waiting() || !index.unschedule(e)) {
                return null;
            }
            e.stateBeforeSending = e.state;
            e.state = DeliveryState.SENDING;
            e.sendToken++;
            ByteBuffer held = e.held == null ? null
                    : ByteBuffer.wrap(e.held, e.held.length - (int) e.size, (int) e.size).slice();
            return new Dispatch(e, e.sendToken, e.pending, e.attempts + 1, e.body, held);
        }
    }

    @Override
    public void handBack(Dispatch d) {
        synchronized (lock) {
            StoredEntry e = d.entry();
            if (e.sendToken != d.token() || e.state != DeliveryState.SENDING) {
                return;
            }
            e.sendToken++;
            e.state = e.stateBeforeSending;
            index.schedule(e);
        }
        onChange.run();
    }

    /**
     * {@inheritDoc} Not waiting for the disk: a crash before it is durable only means the same message, with the
     * same Message-ID, is sent again.
     */
    @Override
    public boolean finish(Dispatch d, DeliveryOutcome o, String transport) {
        synchronized (lock) {
            StoredEntry e = d.entry();
            if (e.sendToken != d.token() || e.state != DeliveryState.SENDING || !index.contains(e)) {
                return false;
            }
            e.state = o.state();
            e.pending = o.pending();
            e.failed = new ArrayList<>(o.failed());
            e.nextAttemptAt = o.nextAttemptAt() != null ? o.nextAttemptAt() : e.nextAttemptAt;
            e.lastError = o.error();
            e.attempts++;
            e.transport = transport;
            e.updatedAt = clock.instant();
            release(e);
            persist(e, false);
            index.schedule(e);
            if (e.state == DeliveryState.SENT && ++sentSincePrune >= MAX_SENT / 10) {
                pruneLocked(); // under a steady load, at most 10% more sent entries than MAX_SENT stay in memory
            }
        }
        onChange.run();
        return true;
    }

    @Override
    public void quarantine(Dispatch d, String problem) {
        CompletableFuture<Long> written = null;
        synchronized (lock) {
            StoredEntry e = d.entry();
            if (e.sendToken == d.token() && e.state == DeliveryState.SENDING && index.contains(e)) {
                e.state = DeliveryState.QUARANTINED;
                e.lastError = problem;
                release(e);
                e.updatedAt = clock.instant();
                written = persist(e, true);
            }
        }
        awaitDurable(written, "quarantine", d.id());
    }

    /** Waits (without the lock: the writer may need it to compact) until a record is durable. */
    private static void awaitDurable(CompletableFuture<Long> written, String what, String id) {
        if (written == null) {
            return;
        }
        try {
            written.get();
        } catch (ExecutionException ex) {
            throw new NotificationStoreException("the " + what + " of " + id + " could not be stored: "
                    + ex.getCause(), ex.getCause());
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new NotificationStoreException("interrupted while storing the " + what + " of " + id, ex);
        }
    }

    /** Lets go of an entry's in-memory message (after its first attempt, or when it leaves); call with the lock. */
    private void release(StoredEntry e) {
        if (e.held != null) {
            heldBytes -= e.held.length;
            e.held = null;
        }
    }

    /**
     * Journals an entry's state. A delivery outcome ({@code forced} false) is fsync'd with the next batch that needs
     * it rather than on its own: if a power failure loses it, the entry is simply sent again with the same Message-ID,
     * which the outbox's contract allows. A state a person chose (retry) or a quarantine is fsync'd at once.
     */
    private CompletableFuture<Long> persist(StoredEntry e, boolean forced) {
        byte[] record = EntryCodec.entry(e, EntryCodec.BODY_UNCHANGED, null, 0, null);
        BodyLocation body = e.body;
        boolean dropBody = e.state == DeliveryState.SENT && body != null && body.separateFile();
        if (dropBody) {
            return journal.append(record, pos -> deleteQuietly(body.file()));
        } else if (forced) {
            return journal.append(record, null);
        }
        journal.appendUnforced(record);
        return null;
    }

    @Override
    public InputStream open(Dispatch d) throws IOException {
        BodyLocation body = d.body();
        for (int tries = 0; ; tries++) {
            if (body == null) {
                throw new NoSuchFileException("the stored message of " + d.id() + " is missing");
            }
            try {
                return body.open();
            } catch (NoSuchFileException ex) {
                if (tries >= 2) {
                    throw ex;
                }
                synchronized (lock) {
                    body = d.entry().body;
                }
            }
        }
    }

    @Override
    public Optional<OutboxEntry> find(String id) {
        synchronized (lock) {
            StoredEntry e = index.get(id);
            return e == null ? Optional.empty() : Optional.of(e.snapshot());
        }
    }

    @Override
    public List<OutboxEntry> list(Set<DeliveryState> states, int max) {
        synchronized (lock) {
            return index.newestFirst(states, max);
        }
    }

    @Override
    public Map<DeliveryState, Long> counts() {
        synchronized (lock) {
            return index.counts();
        }
    }

    @Override
    public boolean retry(String id) {
        CompletableFuture<Long> written;
        synchronized (lock) {
            StoredEntry e = index.get(id);
            if (e == null || e.state == DeliveryState.SENT || e.state == DeliveryState.SENDING || e.body == null) {
                return false;
            }
            index.unschedule(e);
            List<String> pending = new ArrayList<>(e.pending);
            e.failed.stream().filter(a -> !pending.contains(a)).forEach(pending::add);
            e.pending = List.copyOf(pending.isEmpty() ? e.recipients : pending);
            e.failed = new ArrayList<>();
            e.state = DeliveryState.QUEUED;
            e.attemptsAtRetry = e.attempts;
            e.lifetimeStart = clock.instant();
            e.nextAttemptAt = clock.instant();
            e.updatedAt = clock.instant();
            written = persist(e, true);
            index.schedule(e);
        }
        onChange.run();
        awaitDurable(written, "retry", id);
        return true;
    }

    @Override
    public boolean discard(String id) {
        CompletableFuture<Long> written;
        synchronized (lock) {
            StoredEntry e = index.get(id);
            if (e == null || e.state == DeliveryState.SENDING) {
                return false;
            }
            index.remove(e);
            release(e);
            BodyLocation body = e.body;
            written = journal.append(EntryCodec.discard(id),
                    body != null && body.separateFile() ? pos -> deleteQuietly(body.file()) : null);
        }
        awaitDurable(written, "discard", id);
        return true;
    }

    /** Forgets sent entries older than {@link #KEEP_SENT} and beyond the newest {@link #MAX_SENT}. */
    @Override
    public void prune() {
        synchronized (lock) {
            pruneLocked();
        }
    }

    private void pruneLocked() {
        index.pruneSent(clock.instant().minus(KEEP_SENT), MAX_SENT);
        sentSincePrune = 0;
    }

    /** The entries in submission order; call with {@link #lock} held. */
    Iterable<StoredEntry> entriesLocked() {
        return index.inOrder();
    }

    private void deleteQuietly(Path p) {
        try {
            if (p != null) {
                files.delete(p);
            }
        } catch (IOException ignored) {
            // an orphaned message file is removed when the outbox next opens
        }
    }

    /** Writes the pending records and closes the journal. */
    @Override
    public void close() {
        journal.close();
    }
}
