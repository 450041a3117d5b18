package notification.api.transport;

import java.util.Objects;

/**
 * What is used of one {@link BudgetKey}'s sending budget, as a {@link SendingBudget} counts it (on every node that
 * shares it), beside the limits this node last counted it against.
 *
 * <p>Limits are the callers': a budget knows a key's limits only from the calls this node made for it
 * ({@link SendingBudget#takeConnection}, {@link SendingBudget#startMessage}); a key only other nodes used shows its
 * counts with unknown limits.
 *
 * @param key the mailbox and protocol
 * @param connections connection slots held now
 * @param connectionLimit the connection limit this node last asked with, or 0 when not known here
 * @param startsLastMinute message starts that still count against the minute
 * @param messagesPerMinute the per-minute limit this node last asked with, or 0 when none or not known here
 * @param recipientsLastDay recipients counted for the mailbox in the last 24 hours, over all its protocols
 * @param recipientsPerDay the per-day limit this node last asked with, or 0 when none or not known here
 * @param shared whether the counts are shared by several nodes (kept in the database) rather than this node's own
 * @param problem why the counts could not be read (all are 0 then), or {@code null}
 * @since 1.2
 */
public record BudgetUse(BudgetKey key, int connections, int connectionLimit, int startsLastMinute,
        int messagesPerMinute, long recipientsLastDay, int recipientsPerDay, boolean shared, String problem) {

    /**
     * Creates a use.
     *
     * @param key the key; not {@code null}
     * @param connections 0 or more
     * @param connectionLimit 0 (not known) or more
     * @param startsLastMinute 0 or more
     * @param messagesPerMinute 0 (none or not known) or more
     * @param recipientsLastDay 0 or more
     * @param recipientsPerDay 0 (none or not known) or more
     * @param shared whether shared by nodes
     * @param problem why unread, or {@code null}
     * @throws NullPointerException if {@code key} is {@code null}
     */
    public BudgetUse {
        Objects.requireNonNull(key, "key");
    }
}
