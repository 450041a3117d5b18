package notification.api.transport;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.osgi.annotation.versioning.ProviderType;

/**
 * The sending limits of mailboxes, kept for every node that sends as them: connections open at once and messages
 * started per minute per {@link BudgetKey} (mailbox and protocol), and messages and recipients per rolling 24 hours
 * per mailbox. Microsoft 365, for example, allows 3 SMTP connections and 30 messages a minute per mailbox, and 10,000
 * recipients a day over SMTP and Graph together; Google Workspace 2,000 messages and 10,000 recipients a day over
 * SMTP and the Gmail API together: two print servers each keeping to those on their own together exceed them, and
 * are throttled.
 *
 * <p>The notification service publishes one as an OSGi service. With the outbox in the local journal (one node) it
 * counts in memory; with the outbox in PostgreSQL it counts in the database, so all nodes on that database together
 * keep to each limit. The service stays the same object when the store is switched while running.
 *
 * <p>A transport asks before it opens a connection to the provider ({@link #takeConnection}) and before each message
 * ({@link #startMessage}); when refused it opens or sends nothing and returns
 * {@link DeliveryResult#unavailable(String, Duration)}, so the message waits without an attempt counted, on whatever
 * node it is. Limits are the caller's: every node should be configured with the same ones. A transport that finds no
 * such service (an older container) keeps to its own limits alone.
 *
 * <p>Never throws for a failure of its store: when the database cannot be reached, it refuses (no slot; a start
 * refused with a retry after {@link #RETRY_WHEN_UNREACHABLE}), so a limit is never exceeded; the outbox on the same
 * database pauses deliveries then anyway.
 *
 * @since 1.2
 */
@ProviderType
public interface SendingBudget {

    /** How long a refused caller waits when the budget cannot be counted (its database unreachable). */
    Duration RETRY_WHEN_UNREACHABLE = Duration.ofSeconds(5);

    /**
     * How long a transport waits before asking again for a connection slot that was refused: slots come back when
     * another connection closes, or when the lease of a node that stopped runs out.
     */
    Duration RETRY_FOR_CONNECTION = Duration.ofSeconds(2);

    /**
     * How long a message start counts against {@code messagesPerMinute}: a minute and a second. The provider counts
     * when the message reaches it; the second's margin keeps a start that was slower to arrive (a new connection)
     * from falling into the same provider minute as one sent a minute later on a reused connection.
     */
    Duration START_COUNTS_FOR = Duration.ofSeconds(61);

    /**
     * Takes a connection slot, if fewer than {@code limit} connections are open for this key (on all nodes). Hold it
     * exactly as long as the connection is open, then {@linkplain ConnectionSlot#close() close} it. A slot of a node
     * that stopped without closing it comes back when its lease runs out (the database's implementation renews the
     * leases of the slots it holds).
     *
     * @param key the mailbox and protocol
     * @param limit the most connections open at once for this key, at least 1
     * @return the slot, or empty when all are taken or the budget cannot be counted: open nothing then, and try again
     *         after {@link #RETRY_FOR_CONNECTION}
     * @throws IllegalArgumentException if {@code limit} is less than 1
     */
    Optional<ConnectionSlot> takeConnection(BudgetKey key, int limit);

    /**
     * Asks whether a message may start now and, if so, counts it: one start for the key, and its recipients for the
     * key's mailbox. A start counts against {@code messagesPerMinute} for {@link #START_COUNTS_FOR}; recipients count
     * against {@code recipientsPerDay} for 24 hours. A message with more recipients than a whole day's limit may start
     * when nothing else counts that day. Call it right before the message goes to the provider, on a connection
     * already open (its slot held), so that every start counted is a message sent. The same as
     * {@link #startMessage(BudgetKey, int, StartLimits)} with no limit on messages per day.
     *
     * @param key the mailbox and protocol
     * @param recipients the message's recipients, 0 or more
     * @param messagesPerMinute the most starts per minute for the key; 0 for no limit
     * @param recipientsPerDay the most recipients per rolling 24 hours for the mailbox; 0 for no limit
     * @return {@link MessageStart#granted()}, or how long to wait and why
     * @throws IllegalArgumentException if a number is negative
     */
    default MessageStart startMessage(BudgetKey key, int recipients, int messagesPerMinute, int recipientsPerDay) {
        return startMessage(key, recipients, new StartLimits(messagesPerMinute, 0, recipientsPerDay));
    }

    /**
     * Asks whether a message may start now and, if so, counts it: one start for the key, one message and its
     * recipients for the key's mailbox. A start counts against {@link StartLimits#messagesPerMinute()} for
     * {@link #START_COUNTS_FOR}; the message against {@link StartLimits#messagesPerDay()} and its recipients against
     * {@link StartLimits#recipientsPerDay()} for 24 hours, over all the mailbox's protocols. A message with more
     * recipients than a whole day's limit may start when no recipients count that day. Call it right before the
     * message goes to the provider, on a connection already open (its slot held), so that every start counted is a
     * message sent.
     *
     * @param key the mailbox and protocol
     * @param recipients the message's recipients, 0 or more
     * @param limits the limits to count against; not {@code null}
     * @return {@link MessageStart#granted()}, or how long to wait (until the oldest start that stands in the way
     *         no longer counts) and why
     * @throws IllegalArgumentException if {@code recipients} is negative
     * @throws NullPointerException if {@code limits} is {@code null}
     * @since 1.3
     */
    MessageStart startMessage(BudgetKey key, int recipients, StartLimits limits);

    /**
     * Reports what is used of a key's budget right now, for a status page. Cheap enough to call for a page; never
     * throws: when the store cannot be read the use says so.
     *
     * @param key the mailbox and protocol
     * @return the use
     */
    BudgetUse use(BudgetKey key);

    /**
     * Reports what is used of every key in use right now, for a status page: each key with a connection slot held or
     * a message started in the last 24 hours (on any node sharing the budget), ordered by mailbox and protocol. Reads
     * everything at once (one query for the database's budget, with a short timeout), so a page asks once per view.
     * Never throws: when the store cannot be read, each key this node has counted is reported with the problem.
     *
     * @return the uses, empty when nothing is in use
     * @since 1.2
     */
    List<BudgetUse> uses();
}
