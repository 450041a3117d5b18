package notification.core.internal;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * Picks the next delivery that may start now: the entry due first, for the first healthy configured transport with a
 * free connection within its rates. Picks are serialized, so a transport's limits hold whichever thread picks (the
 * dispatcher, or a delivery thread going on with the next message on its own).
 */
final class DeliveryPicker {
    static final Duration HEALTH_RECHECK = Duration.ofSeconds(2);

    /** A delivery to run now, or when to look again ({@code wakeAt} null: only when something changes). */
    record Pick(Dispatch dispatch, BoundTransport transport, Instant wakeAt) {
        static final Pick NONE = new Pick(null, null, null);
    }

    private final OutboxStore outbox;
    private final TransportRegistry registry;
    private final Supplier<CoreSettings> settings;
    private final ReentrantLock picking = new ReentrantLock();

    DeliveryPicker(OutboxStore outbox, TransportRegistry registry, Supplier<CoreSettings> settings) {
        this.outbox = outbox;
        this.registry = registry;
        this.settings = settings;
    }

    /** Picks, waiting for a pick in progress elsewhere. */
    Pick pick(Instant now) {
        picking.lock();
        try {
            return pickLocked(now);
        } finally {
            picking.unlock();
        }
    }

    /** Picks unless another thread is picking right now (then returns {@link Pick#NONE}). */
    Pick pickIfFree(Instant now) {
        if (!picking.tryLock()) {
            return Pick.NONE;
        }
        try {
            return pickLocked(now);
        } finally {
            picking.unlock();
        }
    }

    private Pick pickLocked(Instant now) {
        while (true) {
            if (registry.saturated(settings.get().transports(), now)) {
                return new Pick(null, null, now.plus(HEALTH_RECHECK)); // a delivery ending picks the next one
            }
            OutboxStore.Due head = outbox.peekDue();
            if (head == null) {
                return Pick.NONE;
            }
            Instant dueAt = head.at();
            int recipients = head.recipients();
            if (dueAt.isAfter(now)) {
                return new Pick(null, null, dueAt);
            }
            TransportRegistry.Choice choice = registry.choose(settings.get().transports(), now, recipients);
            if (choice.transport() == null) {
                if (choice.retryAt() != null) {
                    return new Pick(null, null, choice.retryAt());
                }
                return new Pick(null, null, registry.anyBound() ? now.plus(HEALTH_RECHECK) : null);
            }
            Dispatch d = outbox.claim(head);
            BoundTransport b = choice.transport();
            if (d != null && registry.reserve(b, d, now)) {
                return new Pick(d, b, null);
            } else if (d != null) {
                outbox.handBack(d);
            }
        }
    }
}
