package notification.core.internal;

import java.util.List;
import java.util.Optional;
import notification.api.transport.BudgetKey;
import notification.api.transport.BudgetUse;
import notification.api.transport.ConnectionSlot;
import notification.api.transport.MessageStart;
import notification.api.transport.SendingBudget;
import notification.api.transport.StartLimits;

/**
 * The sending budget of the store in use, as one service that stays while the store is switched: this node's own
 * counts in memory, or, while the outbox is in PostgreSQL, the counts all nodes share. A slot taken before a switch
 * is given back to the budget it came from.
 */
final class StoreBudget implements SendingBudget {
    private final SendingBudget local;
    private volatile SendingBudget shared;

    StoreBudget(SendingBudget local) {
        this.local = local;
    }

    /**
     * Counts in a shared budget from now on, or in this node's own again.
     *
     * @param budget the shared budget, or {@code null}
     */
    void share(SendingBudget budget) {
        this.shared = budget;
    }

    private SendingBudget current() {
        SendingBudget s = shared;
        return s != null ? s : local;
    }

    @Override
    public Optional<ConnectionSlot> takeConnection(BudgetKey key, int limit) {
        return current().takeConnection(key, limit);
    }

    @Override
    public MessageStart startMessage(BudgetKey key, int recipients, StartLimits limits) {
        return current().startMessage(key, recipients, limits);
    }

    @Override
    public BudgetUse use(BudgetKey key) {
        return current().use(key);
    }

    @Override
    public List<BudgetUse> uses() {
        return current().uses();
    }
}
