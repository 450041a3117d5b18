package notification.api.transport;

/**
 * Limits the notification service honours for one transport. Zero means no limit.
 *
 * @param maxConnections the most deliveries in progress at once (at least 1)
 * @param messagesPerMinute the most messages started per minute, or 0
 * @param recipientsPerDay the most recipients per rolling 24 hours, or 0
 * @param maxMessageSize the largest message in bytes, or 0
 */
public record TransportLimits(int maxConnections, int messagesPerMinute, int recipientsPerDay, long maxMessageSize) {

    /** One connection and no other limit. */
    public static final TransportLimits SINGLE_CONNECTION = new TransportLimits(1, 0, 0, 0);

    /**
     * Creates limits.
     *
     * @param maxConnections at least 1
     * @param messagesPerMinute 0 or more
     * @param recipientsPerDay 0 or more
     * @param maxMessageSize 0 or more
     * @throws IllegalArgumentException if a value is out of range
     */
    public TransportLimits {
        if (maxConnections < 1) {
            throw new IllegalArgumentException("maxConnections must be at least 1, was " + maxConnections);
        }
        if (messagesPerMinute < 0 || recipientsPerDay < 0 || maxMessageSize < 0) {
            throw new IllegalArgumentException("limits must not be negative");
        }
    }
}
