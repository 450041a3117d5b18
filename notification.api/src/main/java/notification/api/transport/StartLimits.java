package notification.api.transport;

/**
 * The limits a {@link SendingBudget} counts a message start against, as the transport asks with them. Zero means no
 * limit. Starts per minute count per {@link BudgetKey} (mailbox and protocol); messages and recipients per day count
 * per mailbox, over all its protocols (Microsoft counts a mailbox's recipients over SMTP and Graph together, Google a
 * mailbox's messages and recipients over SMTP and the Gmail API together).
 *
 * @param messagesPerMinute the most starts per minute for the key; 0 for no limit
 * @param messagesPerDay the most starts per rolling 24 hours for the key's mailbox; 0 for no limit
 * @param recipientsPerDay the most recipients per rolling 24 hours for the key's mailbox; 0 for no limit
 * @since 1.3
 */
public record StartLimits(int messagesPerMinute, int messagesPerDay, int recipientsPerDay) {

    /** No limit at all. */
    public static final StartLimits NONE = new StartLimits(0, 0, 0);

    /**
     * Creates limits.
     *
     * @param messagesPerMinute 0 or more
     * @param messagesPerDay 0 or more
     * @param recipientsPerDay 0 or more
     * @throws IllegalArgumentException if a limit is negative
     */
    public StartLimits {
        if (messagesPerMinute < 0 || messagesPerDay < 0 || recipientsPerDay < 0) {
            throw new IllegalArgumentException("limits must not be negative");
        }
    }
}
