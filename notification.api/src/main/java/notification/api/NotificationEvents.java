package notification.api;

/**
 * Event Admin topics and properties posted by the notification service when a notification is sent, deferred or
 * failed.
 */
public final class NotificationEvents {
    /** Topic posted when every recipient has accepted the notification. */
    public static final String TOPIC_SENT = "notification/SENT";
    /** Topic posted when an attempt failed transiently and another is scheduled. */
    public static final String TOPIC_DEFERRED = "notification/DEFERRED";
    /** Topic posted when the notification failed permanently or expired. */
    public static final String TOPIC_FAILED = "notification/FAILED";
    /** Topic wildcard matching every notification event. */
    public static final String TOPIC_ALL = "notification/*";

    /** Property: the outbox id (String). */
    public static final String ID = "id";
    /** Property: the Message-ID (String). */
    public static final String MESSAGE_ID = "messageId";
    /** Property: the caller's reference (String), when there is one. */
    public static final String REFERENCE = "reference";
    /** Property: the transport name (String), when one was involved. */
    public static final String TRANSPORT = "transport";
    /** Property: the state name (String), one of {@link DeliveryState}. */
    public static final String STATE = "state";
    /** Property: the reply or reason in words (String), for deferred and failed events. */
    public static final String REASON = "reason";

    private NotificationEvents() {
    }
}
