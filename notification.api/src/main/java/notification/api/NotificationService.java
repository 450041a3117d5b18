package notification.api;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.osgi.annotation.versioning.ProviderType;

/**
 * Sends e-mail notifications through a durable outbox. This is the service print-server code calls.
 *
 * <p>A notification is checked, rendered once into the message the recipient will read, and stored durably before
 * {@link #submit(Notification)} returns. A dispatcher then delivers it through the first healthy configured
 * transport, retrying transient failures with exponential backoff. Nothing accepted is ever dropped silently:
 * failed and expired entries stay visible until {@linkplain #discard(String) discarded}.
 *
 * <p>Implementations are thread-safe.
 */
@ProviderType
public interface NotificationService {

    /**
     * Checks, renders and durably stores a notification. Returns only once the notification is on disk (fsync'd), so
     * it survives a crash.
     *
     * @param notification the notification
     * @return the receipt with its stable id and Message-ID
     * @throws InvalidNotificationException if a field is invalid (the exception names it); nothing is queued
     * @throws NotificationStoreException if it could not be stored; nothing is queued
     */
    Receipt submit(Notification notification);

    /**
     * Finds a notification in the outbox.
     *
     * @param id the id from its receipt
     * @return its current snapshot, or empty when unknown or discarded
     */
    Optional<OutboxEntry> find(String id);

    /**
     * Lists outbox entries, newest first.
     *
     * @param states the states to include; empty for all
     * @param max the maximum number of entries returned
     * @return the entries
     */
    List<OutboxEntry> list(Set<DeliveryState> states, int max);

    /**
     * Schedules a deferred, failed, expired or quarantined notification for an immediate new attempt (its lifetime
     * starts again).
     *
     * @param id the id
     * @return {@code true} if the entry exists and was rescheduled; {@code false} if unknown or already sent
     */
    boolean retry(String id);

    /**
     * Removes a notification from the outbox. An entry being sent right now cannot be discarded.
     *
     * @param id the id
     * @return {@code true} if it was removed
     */
    boolean discard(String id);

    /**
     * Counts the outbox entries per state.
     *
     * @return a count for every {@link DeliveryState}, zero included
     */
    Map<DeliveryState, Long> counts();

    /**
     * Describes the configured transports in their configured order, and which one is active.
     *
     * @return the transports' status
     */
    List<TransportStatus> transports();

    /**
     * Describes where the outbox is kept and, when several print servers share it in a database, whether the
     * database can be reached and which servers are active with how many notifications each is sending.
     *
     * @return the store's status; never throws because the database cannot be reached (the status says so)
     */
    OutboxStoreStatus outboxStore();
}
