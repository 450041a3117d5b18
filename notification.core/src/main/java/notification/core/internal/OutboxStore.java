package notification.core.internal;

import java.io.IOException;
import java.io.InputStream;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import notification.api.DeliveryState;
import notification.api.OutboxEntry;
import notification.api.OutboxStoreStatus;

/**
 * Where the outbox keeps accepted notifications, their rendered messages and their delivery state (the journal on
 * local disk today; a database for several print servers).
 *
 * <p>Contract, checked for every store by {@code OutboxStoreContract}:
 * <ul>
 * <li>{@link #submit} returns only once the entry and its whole message are durable: after a crash or a power loss
 * the entry is there, due, with the same bytes and Message-ID. If it throws, nothing of it is kept (unless the power
 * fails during the call: then the entry may be there, whole).</li>
 * <li>{@link #retry}, {@link #discard} and {@link #quarantine} are durable when they return (they throw
 * {@link notification.api.NotificationStoreException} if they could not be stored): a discarded entry and its
 * message never come back; a retried entry comes back due.</li>
 * <li>{@link #finish} (a delivery outcome) need not be durable when it returns, but is at the latest once a later
 * {@link #submit}, {@link #retry}, {@link #discard} or {@link #quarantine} returns, or the store is closed. Lost in
 * a power failure before that, the entry comes back due and is sent again with the same Message-ID, never lost.</li>
 * <li>An entry is handed out ({@link #claim}) to one sender at a time; its outcome counts only for that attempt. An
 * entry being sent when the store stops comes back due, unchanged.</li>
 * </ul>
 */
interface OutboxStore extends AutoCloseable {

    /** The entry due first, what the dispatcher needs to decide whether and where to send it. */
    record Due(StoredEntry entry, Instant at, int recipients) {
    }

    /** The clock the store schedules with. */
    Clock clock();

    /**
     * Whether recording this attempt's outcome ({@link #finish}) waits for another server (a database round trip);
     * the dispatcher then records it on another thread while the transport's connection sends the next message.
     *
     * @param d an attempt this store handed out
     * @return true if {@link #finish} is slow next to a send
     */
    default boolean slowOutcome(Dispatch d) {
        return false;
    }

    /**
     * A buffer to render a new message into: in memory, moved to the store's disk space once it grows large.
     *
     * @param id the new entry's id
     * @return an empty buffer
     */
    SpillBuffer newBody(String id);

    /**
     * Stores a new entry with its message; durable when it returns.
     *
     * @param e the entry (state QUEUED)
     * @param body the rendered message, from {@link #newBody}
     * @throws notification.api.NotificationStoreException if it could not be stored; then nothing is kept
     */
    void submit(StoredEntry e, SpillBuffer body);

    /**
     * Takes over an entry that another store kept (the shared store this node leaves), as it stands there: its id,
     * Message-ID, recipients still pending and failed, attempts, schedule (next attempt, start of its lifetime),
     * last error and transport, and its message. It is then sent from this store as it would have been from the
     * other, with the same Message-ID. Durable when it returns, like {@link #submit}. Not called concurrently for one
     * id.
     *
     * @param e the entry; not SENDING (an entry that was being sent is given in its state before sending)
     * @param body its message, from {@link #newBody}, written whole
     * @return false if this store already holds an entry with that id: then nothing changes and the body is discarded
     * @throws notification.api.NotificationStoreException if it could not be stored; then nothing of it is kept
     * @throws UnsupportedOperationException if this store does not take entries over (only the journal does: entries
     *         move from the shared store to the journal, never the other way)
     */
    default boolean adopt(StoredEntry e, SpillBuffer body) {
        body.discard();
        throw new UnsupportedOperationException("this outbox store does not take over entries of another");
    }

    /** Returns the waiting entry due first, or null when none waits. */
    Due peekDue();

    /**
     * Hands out a waiting entry for delivery; its state is SENDING until {@link #finish}, {@link #handBack} or
     * {@link #quarantine}.
     *
     * @param due from {@link #peekDue()}
     * @return the attempt, or null if the entry is no longer waiting
     */
    Dispatch claim(Due due);

    /**
     * Returns an entry to the waiting entries unchanged: nothing was sent (transport unavailable or gone).
     *
     * @param d the attempt
     */
    void handBack(Dispatch d);

    /**
     * Records the outcome of an attempt: sent, deferred (with its next attempt and the recipients still pending),
     * failed (with the reply), or expired.
     *
     * @param d the attempt
     * @param o the outcome
     * @param transport the transport's name
     * @return false if the attempt was abandoned meanwhile and the outcome ignored
     */
    boolean finish(Dispatch d, DeliveryOutcome o, String transport);

    /**
     * Sets an entry aside whose stored message cannot be read; durable when it returns.
     *
     * @param d the attempt
     * @param problem what is wrong
     */
    void quarantine(Dispatch d, String problem);

    /**
     * Opens the stored message of an attempt.
     *
     * @param d the attempt
     * @return the message bytes as stored at submit (without From)
     * @throws IOException if it cannot be read
     */
    InputStream open(Dispatch d) throws IOException;

    /**
     * Makes an entry that is not sent or being sent due now, for its failed and pending recipients.
     *
     * @param id the entry's id
     * @return false if there is no such entry or it cannot be retried
     */
    boolean retry(String id);

    /**
     * Removes an entry and its message for good (not while it is being sent).
     *
     * @param id the entry's id
     * @return false if there is no such entry or it is being sent
     */
    boolean discard(String id);

    /** Forgets sent entries older than the keep window and beyond the most kept. */
    void prune();

    /** An entry's current state, as the console and the API show it. */
    Optional<OutboxEntry> find(String id);

    /** The newest entries first, in the given states (all when empty), at most {@code max}. */
    List<OutboxEntry> list(Set<DeliveryState> states, int max);

    /** How many entries are in each state. */
    Map<DeliveryState, Long> counts();

    /**
     * Where entries are kept and how that store stands: by default this server's own disk, always reachable; a
     * shared store tells whether its database answers and which nodes share it.
     *
     * @return the status; never throws
     */
    default OutboxStoreStatus status() {
        return OutboxStoreStatus.journal();
    }

    /**
     * Sets what runs when an entry becomes due or changes (the dispatcher's wake-up).
     *
     * @param r the action
     */
    void onChange(Runnable r);

    /** Writes what is pending and closes the store. */
    @Override
    void close();
}
