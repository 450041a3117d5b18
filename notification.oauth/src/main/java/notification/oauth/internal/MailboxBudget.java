package notification.oauth.internal;

import java.util.Optional;
import java.util.function.Supplier;
import notification.api.transport.BudgetKey;
import notification.api.transport.ConnectionSlot;
import notification.api.transport.MessageStart;
import notification.api.transport.OutgoingMessage;
import notification.api.transport.SendingBudget;
import notification.api.transport.StartLimits;
import notification.api.transport.TransportLimits;
import notification.smtp.SmtpBudget;

/**
 * One mailbox's share of the {@link SendingBudget} service, for one protocol, with the transport's limits: what the
 * SMTP engine, the Graph sender and the Gmail API sender ask before a connection (a request) and before a message.
 * Without the service (an older container) everything is allowed here and the transport keeps to its limits on this
 * node alone.
 */
final class MailboxBudget implements SmtpBudget {
    private final Supplier<SendingBudget> service;
    private final BudgetKey key;
    private final int maxConnections;
    private final Supplier<StartLimits> startLimits;

    /**
     * @param service the budget service as bound right now, or a supplier of {@code null}
     * @param mailbox the sending mailbox
     * @param protocol "smtp" or "graph"
     * @param limits the transport's limits: connections, messages per minute, recipients per day
     */
    MailboxBudget(Supplier<SendingBudget> service, String mailbox, String protocol, TransportLimits limits) {
        this(service, mailbox, protocol, limits.maxConnections(),
                () -> new StartLimits(limits.messagesPerMinute(), 0, limits.recipientsPerDay()));
    }

    /**
     * @param service the budget service as bound right now, or a supplier of {@code null}
     * @param mailbox the sending mailbox
     * @param protocol for example "smtp" or "api"
     * @param maxConnections the most connections (requests) open at once for the mailbox and protocol
     * @param startLimits the limits a message start counts against, as they are when it starts (they may follow the
     *        signed-in account)
     */
    MailboxBudget(Supplier<SendingBudget> service, String mailbox, String protocol, int maxConnections,
            Supplier<StartLimits> startLimits) {
        this.service = service;
        this.key = new BudgetKey(mailbox, protocol);
        this.maxConnections = maxConnections;
        this.startLimits = startLimits;
    }

    /** @return whether a budget service counts right now (else the transport keeps to its limits alone) */
    boolean counted() {
        return service.get() != null;
    }

    @Override
    public Optional<ConnectionSlot> takeConnection() {
        SendingBudget budget = service.get();
        return budget == null ? Optional.of(new Unshared(key)) : budget.takeConnection(key, maxConnections);
    }

    @Override
    public MessageStart startMessage(OutgoingMessage message) {
        SendingBudget budget = service.get();
        return budget == null ? MessageStart.granted() : budget.startMessage(key, message.recipients().size(),
                startLimits.get());
    }

    /** A slot when no budget service counts: nothing to give back. */
    private record Unshared(BudgetKey key) implements ConnectionSlot {
        @Override
        public void close() {
            // counted nowhere
        }
    }
}
