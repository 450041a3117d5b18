package notification.api;

/**
 * Event Admin topics and properties posted by the notification service when a notification is sent, deferred or
 * failed, and when a transport warns of something that will break unless an administrator acts.
 */
public final class NotificationEvents {
    /** Topic posted when every recipient has accepted the notification. */
    public static final String TOPIC_SENT = "notification/SENT";
    /** Topic posted when an attempt failed transiently and another is scheduled. */
    public static final String TOPIC_DEFERRED = "notification/DEFERRED";
    /** Topic posted when the notification failed permanently or expired. */
    public static final String TOPIC_FAILED = "notification/FAILED";
    /**
     * Topic posted when a transport reports a new warning (for example a client secret that expires within 30 days),
     * with the {@link #TRANSPORT} and the warning as {@link #REASON}; posted again when the warning's text changes.
     *
     * @since 1.1
     */
    public static final String TOPIC_WARNING = "notification/WARNING";
    /** Topic wildcard matching every notification event, warnings included. */
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
