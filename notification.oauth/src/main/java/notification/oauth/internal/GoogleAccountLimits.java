package notification.oauth.internal;

import notification.api.transport.StartLimits;

/**
 * Google's sending limits for a mailbox: 2,000 messages and 10,000 recipients a day for Google Workspace; 500
 * messages a day and 100 recipients per message for consumer Gmail (Google publishes no daily recipient figure for
 * it). Workspace is told from consumer by the id token's {@code hd} claim; until the mailbox is authorized the
 * consumer limits apply. A configured value other than 0 wins.
 *
 * @param messagesPerDay the most messages in a rolling 24 hours
 * @param recipientsPerMessage the most recipients of one message, or 0 for no limit
 * @param recipientsPerDay the most recipients in a rolling 24 hours, or 0 for no limit
 * @param workspace whether the account is a Google Workspace account
 */
record GoogleAccountLimits(int messagesPerDay, int recipientsPerMessage, int recipientsPerDay, boolean workspace) {

    static final int WORKSPACE_MESSAGES_PER_DAY = 2000;
    static final int WORKSPACE_RECIPIENTS_PER_DAY = 10_000;
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
        int recipients = settings.recipientsPerDay > 0 ? settings.recipientsPerDay
                : workspace ? WORKSPACE_RECIPIENTS_PER_DAY : 0;
        return new GoogleAccountLimits(perDay, perMessage, recipients, workspace);
    }

    /** @return what a message start counts against in the mailbox's sending budget (Gmail has no per-minute limit) */
    StartLimits startLimits() {
        return new StartLimits(0, messagesPerDay, recipientsPerDay);
    }
}
