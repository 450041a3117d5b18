package notification.api;

import java.time.Instant;
import java.util.List;

/**
 * A snapshot of one notification in the outbox.
 *
 * @param id the outbox id from the {@link Receipt}
 * @param messageId the Message-ID
 * @param reference the caller's reference, or {@code null}
 * @param subject the subject, or {@code null}
 * @param recipients every envelope recipient
 * @param pendingRecipients the recipients not yet delivered
 * @param state the state
 * @param attempts the number of delivery attempts so far
 * @param createdAt when it was submitted
 * @param nextAttemptAt when the next attempt is due, or {@code null} when none is scheduled
 * @param lastError the last error reply in words, or {@code null}
 * @param transport the name of the transport that handled the last attempt, or {@code null}
 * @param size the size of the rendered message in bytes
 */
public record OutboxEntry(
        String id,
        String messageId,
        String reference,
        String subject,
        List<String> recipients,
        List<String> pendingRecipients,
        DeliveryState state,
        int attempts,
        Instant createdAt,
        Instant nextAttemptAt,
        String lastError,
        String transport,
        long size) {
}
