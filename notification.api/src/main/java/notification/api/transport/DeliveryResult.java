package notification.api.transport;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * The outcome of {@link MailTransport#deliver(OutgoingMessage)}: one status for the whole message, or one per
 * recipient when the mail system answered differently for some of them.
 *
 * @param status the overall status; applies to every recipient not listed in {@code recipientResults}
 * @param reply the mail system's reply or the reason, in words an administrator can act on (never a secret)
 * @param recipientResults per-recipient outcomes; empty when {@code status} applies to all
 * @param retryAfter the delay the mail system asked for before the next attempt (for example Graph's Retry-After),
 *        or, with {@link Status#UNAVAILABLE}, how long to leave the transport alone; or {@code null}
 */
public record DeliveryResult(Status status, String reply, List<RecipientResult> recipientResults, Duration retryAfter) {

    /** How a delivery attempt ended. */
    public enum Status {
        /** Accepted by the mail system. */
        SENT,
        /** Failed for now (4xx reply, dropped connection, timeout): retry later. */
        TRANSIENT,
        /** Refused for good (5xx reply): do not retry. */
        PERMANENT,
        /**
         * Not attempted: the transport cannot deliver right now (for example it needs authorization, or the mailbox's
         * {@linkplain SendingBudget sending budget} is used up for the moment). Nothing was sent and no attempt is
         * counted; the notification service may hand the message to another transport at once, and does not offer
         * this transport another message for a few seconds, or for {@link DeliveryResult#retryAfter()} when given.
         */
        UNAVAILABLE
    }

    /**
     * The outcome for one recipient.
     *
     * @param address the bare address
     * @param status {@link Status#SENT}, {@link Status#TRANSIENT} or {@link Status#PERMANENT}
     * @param reply the mail system's reply for this recipient, or {@code null}
     */
    public record RecipientResult(String address, Status status, String reply) {
        /**
         * Creates a recipient result.
         *
         * @param address the bare address
         * @param status the status
         * @param reply the reply, or {@code null}
         */
        public RecipientResult {
            Objects.requireNonNull(address, "address");
            Objects.requireNonNull(status, "status");
        }
    }

    /**
     * Creates a delivery result.
     *
     * @param status the overall status
     * @param reply the reply or reason
     * @param recipientResults per-recipient outcomes, or {@code null} for none
     * @param retryAfter the requested delay, or {@code null}
     */
    public DeliveryResult {
        Objects.requireNonNull(status, "status");
        recipientResults = recipientResults == null ? List.of() : List.copyOf(recipientResults);
    }

    /**
     * Every recipient accepted the message.
     *
     * @param reply the mail system's reply, for example "250 2.0.0 OK"
     * @return the result
     */
    public static DeliveryResult sent(String reply) {
        return new DeliveryResult(Status.SENT, reply, null, null);
    }

    /**
     * The whole message failed transiently.
     *
     * @param reply the reply or reason
     * @return the result
     */
    public static DeliveryResult transientFailure(String reply) {
        return new DeliveryResult(Status.TRANSIENT, reply, null, null);
    }

    /**
     * The whole message failed transiently and the mail system asked to wait.
     *
     * @param reply the reply or reason
     * @param retryAfter how long to wait before the next attempt
     * @return the result
     */
    public static DeliveryResult transientFailure(String reply, Duration retryAfter) {
        return new DeliveryResult(Status.TRANSIENT, reply, null, retryAfter);
    }

    /**
     * The whole message was refused for good.
     *
     * @param reply the reply or reason
     * @return the result
     */
    public static DeliveryResult permanentFailure(String reply) {
        return new DeliveryResult(Status.PERMANENT, reply, null, null);
    }

    /**
     * The transport cannot deliver now; nothing was sent.
     *
     * @param reason why, for example "authorization required"
     * @return the result
     */
    public static DeliveryResult unavailable(String reason) {
        return new DeliveryResult(Status.UNAVAILABLE, reason, null, null);
    }

    /**
     * The transport cannot deliver for a while; nothing was sent. The notification service offers it no message
     * before {@code retryAfter} has passed (other transports may deliver meanwhile).
     *
     * @param reason why, for example "30 messages in the last minute from scanner@contoso.com (smtp)"
     * @param retryAfter how long to leave the transport alone
     * @return the result
     * @since 1.2
     */
    public static DeliveryResult unavailable(String reason, Duration retryAfter) {
        return new DeliveryResult(Status.UNAVAILABLE, reason, null, retryAfter);
    }

    /**
     * The mail system answered per recipient. The overall status is SENT when all were sent, otherwise TRANSIENT
     * when any failed transiently, otherwise PERMANENT.
     *
     * @param results one outcome per recipient
     * @param reply a summary reply
     * @return the result
     */
    public static DeliveryResult perRecipient(List<RecipientResult> results, String reply) {
        Status overall = Status.SENT;
        for (RecipientResult r : results) {
            if (r.status() == Status.TRANSIENT) {
                overall = Status.TRANSIENT;
            } else if (r.status() == Status.PERMANENT && overall == Status.SENT) {
                overall = Status.PERMANENT;
            }
        }
        return new DeliveryResult(overall, reply, results, null);
    }

    /**
     * Returns the status for one recipient: its own result if listed, otherwise the overall status.
     *
     * @param address the bare address
     * @return the status for that recipient
     */
    public Status statusOf(String address) {
        for (RecipientResult r : recipientResults) {
            if (r.address().equalsIgnoreCase(address)) {
                return r.status();
            }
        }
        return status;
    }
}
