package notification.api;

/** Where a notification is in the outbox. */
public enum DeliveryState {
    /** Stored and waiting for its first attempt, or for a transport to appear. */
    QUEUED,
    /** Being handed to a transport right now. */
    SENDING,
    /** A transient failure happened; the next attempt is scheduled. */
    DEFERRED,
    /** Accepted by the transport for every recipient. */
    SENT,
    /** Refused permanently (for example a 5xx reply) for at least one recipient; kept until discarded. */
    FAILED,
    /** Retried until its lifetime ran out; kept until discarded. */
    EXPIRED,
    /** The stored entry could not be read; set aside so it never blocks the rest; kept until discarded. */
    QUARANTINED;

    /**
     * Tells whether the dispatcher will not touch an entry in this state again unless it is retried by hand.
     *
     * @return {@code true} for SENT, FAILED, EXPIRED and QUARANTINED
     */
    public boolean isFinal() {
        return this == SENT || this == FAILED || this == EXPIRED || this == QUARANTINED;
    }
}
