package notification.api;

/**
 * Proof that a notification is durably stored in the outbox: it will be delivered, retried or kept visible as
 * failed, but never lost.
 *
 * @param id the stable outbox id, used with {@link NotificationService#find(String)}
 * @param messageId the RFC 5322 Message-ID, the same on every delivery attempt
 */
public record Receipt(String id, String messageId) {
}
