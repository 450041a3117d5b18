package notification.core.internal;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import notification.api.DeliveryState;
import notification.api.OutboxEntry;

/** One notification in the outbox: what was stored and where delivery stands. Guarded by the {@link Outbox}. */
final class StoredEntry {
    final String id;
    final String messageId;
    final String reference;
    final String subject;
    final List<String> recipients;
    final String onBehalfName;
    final String onBehalfAddress;
    final Instant createdAt;
    long sequence;
    List<String> pending;
    List<String> failed = new ArrayList<>();
    DeliveryState state = DeliveryState.QUEUED;
    DeliveryState stateBeforeSending;
    int attempts;
    int attemptsAtRetry;
    Instant lifetimeStart;
    Instant nextAttemptAt;
    Instant updatedAt;
    String lastError;
    String transport;
    BodyLocation body;
    /** A journal record whose last {@link #size} bytes are the message, kept to send it without reading it back. */
    byte[] held;
    long size;
    int sendToken;

    StoredEntry(String id, String messageId, String reference, String subject, List<String> recipients,
            String onBehalfName, String onBehalfAddress, Instant createdAt) {
        this.id = id;
        this.messageId = messageId;
        this.reference = reference;
        this.subject = subject;
        this.recipients = List.copyOf(recipients);
        this.onBehalfName = onBehalfName;
        this.onBehalfAddress = onBehalfAddress;
        this.createdAt = createdAt;
        this.pending = List.copyOf(recipients);
        this.lifetimeStart = createdAt;
        this.nextAttemptAt = createdAt;
        this.updatedAt = createdAt;
    }

    /** Whether the dispatcher should pick it up when it is due. */
    boolean waiting() {
        return state == DeliveryState.QUEUED || state == DeliveryState.DEFERRED;
    }

    OutboxEntry snapshot() {
        return new OutboxEntry(id, messageId, reference, subject, recipients, List.copyOf(pending), state, attempts,
                createdAt, waiting() || state == DeliveryState.SENDING ? nextAttemptAt : null, lastError, transport,
                size);
    }
}
