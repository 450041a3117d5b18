package notification.api.transport;

import org.osgi.annotation.versioning.ProviderType;

/**
 * One connection to a mail provider that a {@link SendingBudget} allowed: held for as long as the connection is
 * open, counted against the mailbox's connections on every node, and given back by {@link #close()}.
 *
 * @since 1.2
 */
@ProviderType
public interface ConnectionSlot extends AutoCloseable {

    /**
     * Returns what the slot counts for.
     *
     * @return the budget key
     */
    BudgetKey key();

    /**
     * Gives the slot back once its connection is closed. Never throws and may be called more than once; when the
     * budget cannot be told (its database is unreachable), the slot is given back when its lease runs out.
     */
    @Override
    void close();
}
