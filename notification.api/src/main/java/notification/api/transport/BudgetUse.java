package notification.api.transport;

import java.util.Objects;

/**
 * What is used of one {@link BudgetKey}'s sending budget, as a {@link SendingBudget} counts it (on every node that
 * shares it).
 *
 * @param key the mailbox and protocol
 * @param connections connection slots held now
 * @param startsLastMinute message starts that still count against the minute
 * @param recipientsLastDay recipients counted for the mailbox in the last 24 hours, over all its protocols
 * @param shared whether the counts are shared by several nodes (kept in the database) rather than this node's own
 * @param problem why the counts could not be read (all are 0 then), or {@code null}
 * @since 1.2
 */
public record BudgetUse(BudgetKey key, int connections, int startsLastMinute, long recipientsLastDay, boolean shared,
        String problem) {

    /**
     * Creates a use.
     *
     * @param key the key; not {@code null}
     * @param connections 0 or more
     * @param startsLastMinute 0 or more
     * @param recipientsLastDay 0 or more
     * @param shared whether shared by nodes
     * @param problem why unread, or {@code null}
     */
    public BudgetUse {
        Objects.requireNonNull(key, "key");
    }
}
