package notification.api.transport;

import java.time.Duration;
import java.util.Objects;

/**
 * A {@link SendingBudget}'s answer to a message that is about to start: go ahead (the start and its recipients are
 * counted), or not yet, with how long to wait and why.
 *
 * @param allowed whether the message may start now; it was counted if so
 * @param retryAfter how long to wait before asking again; {@link Duration#ZERO} when allowed
 * @param reason why not, in words an administrator can act on; empty when allowed
 * @since 1.2
 */
public record MessageStart(boolean allowed, Duration retryAfter, String reason) {

    private static final MessageStart GRANTED = new MessageStart(true, Duration.ZERO, "");

    /**
     * Creates an answer.
     *
     * @param allowed whether the message may start now
     * @param retryAfter how long to wait; not negative
     * @param reason why not; not {@code null}
     * @throws IllegalArgumentException if {@code retryAfter} is negative
     */
    public MessageStart {
        Objects.requireNonNull(retryAfter, "retryAfter");
        Objects.requireNonNull(reason, "reason");
        if (retryAfter.isNegative()) {
            throw new IllegalArgumentException("retryAfter must not be negative");
        }
    }

    /**
     * The message may start; it was counted.
     *
     * @return the answer
     */
    public static MessageStart granted() {
        return GRANTED;
    }

    /**
     * The message may not start yet; nothing was counted.
     *
     * @param retryAfter how long to wait before asking again
     * @param reason why, for example "30 messages in the last minute from scanner@contoso.com (smtp)"
     * @return the answer
     */
    public static MessageStart notYet(Duration retryAfter, String reason) {
        return new MessageStart(false, retryAfter, reason);
    }

    /**
     * The result for the outbox when the message may not start: {@link DeliveryResult#unavailable(String, Duration)},
     * so the message waits (or another transport takes it) without an attempt counted.
     *
     * @return the result
     * @throws IllegalStateException if the message may start
     */
    public DeliveryResult toDeliveryResult() {
        if (allowed) {
            throw new IllegalStateException("the message may start");
        }
        return DeliveryResult.unavailable(reason, retryAfter);
    }
}
