package notification.oauth.internal;

/**
 * Google's sending limits for a mailbox: 2,000 messages a day for Google Workspace, 500 a day and 100 recipients per
 * message for consumer Gmail. Workspace is told from consumer by the id token's {@code hd} claim; until the mailbox
 * is authorized the consumer limits apply. A configured value other than 0 wins.
 *
 * @param messagesPerDay the most messages in a rolling 24 hours
 * @param recipientsPerMessage the most recipients of one message, or 0 for no limit
 * @param workspace whether the account is a Google Workspace account
 */
record GoogleAccountLimits(int messagesPerDay, int recipientsPerMessage, boolean workspace) {

    static final int WORKSPACE_MESSAGES_PER_DAY = 2000;
    static final int CONSUMER_MESSAGES_PER_DAY = 500;
    static final int CONSUMER_RECIPIENTS_PER_MESSAGE = 100;

    /**
     * The limits for an account.
     *
     * @param settings the configured overrides
     * @param workspace whether the account is a Google Workspace account
     * @return the limits
     */
    static GoogleAccountLimits of(GoogleSettings settings, boolean workspace) {
        int perDay = settings.messagesPerDay > 0 ? settings.messagesPerDay
                : workspace ? WORKSPACE_MESSAGES_PER_DAY : CONSUMER_MESSAGES_PER_DAY;
        int perMessage = settings.recipientsPerMessage > 0 ? settings.recipientsPerMessage
                : workspace ? 0 : CONSUMER_RECIPIENTS_PER_MESSAGE;
        return new GoogleAccountLimits(perDay, perMessage, workspace);
    }
}
