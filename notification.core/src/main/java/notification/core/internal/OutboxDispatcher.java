package notification.core.internal;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import notification.api.DeliveryState;
import notification.api.Person;
import notification.api.transport.DeliveryResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Drains the outbox: hands each due entry to the first healthy configured transport within its limits, records the
 * outcome and posts events. Sleeps while nothing is due or no transport can deliver; submissions, transports coming
 * and going and finished deliveries wake it.
 */
final class OutboxDispatcher {
    private static final Logger LOG = LoggerFactory.getLogger(OutboxDispatcher.class);
    private static final Duration PRUNE_EVERY = Duration.ofMinutes(1);
    private static final int RECORDING_APART = 16;

    private final OutboxStore outbox;
    private final TransportRegistry registry;
    private final Supplier<CoreSettings> settings;
    private final MailClassLoader mail;
    private final DeliveryEvents events;
    private final StartupGate gate;
    private final ExecutorService deliveries;
    private final Thread loop;
    private final DeliveryPicker picker;
    /** Outcomes being recorded apart from their delivery's thread; beyond this many a delivery records its own. */
    private final Semaphore recording = new Semaphore(RECORDING_APART);
    private final Object signal = new Object();
    private boolean poked;
    private volatile boolean running = true;
    private Instant lastPrune = Instant.EPOCH;
    private volatile LastFrom lastFrom;

    OutboxDispatcher(OutboxStore outbox, TransportRegistry registry, Supplier<CoreSettings> settings, MailClassLoader mail,
            EventSink events, StartupGate gate) {
        this.outbox = outbox;
        this.gate = gate;
        this.registry = registry;
        this.settings = settings;
        this.mail = mail;
        this.events = new DeliveryEvents(events);
        AtomicInteger n = new AtomicInteger();
        this.deliveries = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "notification-delivery-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        this.picker = new DeliveryPicker(outbox, registry, settings);
        this.loop = new Thread(this::run, "notification-dispatcher");
        this.loop.setDaemon(true);
        outbox.onChange(this::wake);
    }

    void start() {
        loop.start();
    }

    /** Makes the dispatcher look at the outbox and the transports again. */
    void wake() {
        synchronized (signal) {
            poked = true;
            signal.notifyAll();
        }
    }

    private void run() {
        while (running) {
            try {
                Instant wakeAt = dispatchDue();
                sleepUntil(wakeAt);
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                LOG.error("notification dispatcher: unexpected failure; continuing", e);
                try {
                    sleepUntil(outbox.clock().instant().plusSeconds(1));
                } catch (InterruptedException ie) {
                    return;
                }
            }
        }
    }

    /** Starts every delivery that can start now; returns when to look again (null: only when woken). */
    private Instant dispatchDue() {
        synchronized (signal) {
            poked = false;
        }
        while (running) {
            Instant now = outbox.clock().instant();
            if (!gate.isOpen(now)) {
                return gate.deadline();
            }
            if (now.isAfter(lastPrune.plus(PRUNE_EVERY))) {
                outbox.prune();
                lastPrune = now;
            }
            DeliveryPicker.Pick pick = picker.pick(now);
            if (pick.dispatch() == null) {
                return pick.wakeAt();
            }
            deliveries.execute(() -> deliverAndGoOn(pick));
        }
        return null;
    }

    private void sleepUntil(Instant wakeAt) throws InterruptedException {
        synchronized (signal) {
            if (poked || !running) {
                return;
            }
            if (wakeAt == null) {
                signal.wait();
            } else {
                long millis = Duration.between(outbox.clock().instant(), wakeAt).toMillis();
                if (millis > 0) {
                    signal.wait(millis);
                }
            }
        }
    }

    /**
     * Runs a delivery, then goes on with the next one due on this same thread while there is one that may start
     * now, sparing a hand-over to the dispatcher per message; otherwise leaves it to the dispatcher.
     */
    private void deliverAndGoOn(DeliveryPicker.Pick first) {
        DeliveryPicker.Pick pick = first;
        while (true) {
            deliver(pick.dispatch(), pick.transport());
            pick = DeliveryPicker.Pick.NONE;
            try {
                Instant now = outbox.clock().instant();
                if (running && gate.isOpen(now)) {
                    pick = picker.pickIfFree(now);
                }
            } catch (RuntimeException e) {
                LOG.error("notification dispatcher: unexpected failure while picking the next delivery", e);
            }
            if (pick.dispatch() == null) {
                wake();
                return;
            }
        }
    }

    private void deliver(Dispatch d, BoundTransport b) {
        boolean released = false;
        try {
            StoredEntry e = d.entry();
            Person sender = b.transport.sender();
            byte[] from;
            try {
                from = fromLine(sender, e);
            } catch (RuntimeException ex) {
                record(d, b, DeliveryResult.transientFailure("transport '" + b.name + "': " + ex.getMessage()));
                return;
            }
            StoredOutgoingMessage message = new StoredOutgoingMessage(outbox, d, from, sender.address(), mail);
            DeliveryResult result;
            try {
                result = b.transport.deliver(message);
            } catch (RuntimeException ex) {
                result = DeliveryResult.transientFailure("transport '" + b.name + "' failed: " + ex);
            }
            if (message.storeFailure() != null) {
                outbox.quarantine(d, "the stored message cannot be read: " + message.storeFailure().getMessage());
                events.reached(e, DeliveryState.QUARANTINED, b.name, e.lastError);
            } else if (result == null || result.status() == DeliveryResult.Status.UNAVAILABLE) {
                registry.pause(b.name, outbox.clock().instant().plus(TransportRegistry.pauseAfter(result)));
                outbox.handBack(d);
            } else if (outbox.slowOutcome(d) && recording.tryAcquire()) {
                // the transport is done with this message: its connection sends the next one while the outcome is
                // recorded on another thread (an outcome in a database takes a round trip or more)
                registry.release(b, d);
                released = true;
                recordApart(d, b, result);
            } else {
                record(d, b, result);
            }
        } catch (RuntimeException ex) {
            LOG.error("notification {}: delivery through '{}' failed unexpectedly", d.id(), b.name, ex);
            outbox.handBack(d);
        } finally {
            if (!released) {
                registry.release(b, d);
            }
        }
    }

    /** Records an outcome on another thread (on this one once the dispatcher stops), holding a permit meanwhile. */
    private void recordApart(Dispatch d, BoundTransport b, DeliveryResult result) {
        Runnable task = () -> {
            try {
                record(d, b, result);
            } catch (RuntimeException ex) {
                LOG.error("notification {}: recording the outcome through '{}' failed unexpectedly", d.id(), b.name,
                        ex);
                outbox.handBack(d);
            } finally {
                recording.release();
            }
        };
        try {
            deliveries.execute(task);
        } catch (RejectedExecutionException stopping) {
            task.run();
        }
    }

    /** The From line last built, reused while sender, on-behalf person and pattern stay the same. */
    private record LastFrom(Person sender, String onBehalfName, String onBehalfAddress, String pattern, byte[] line) {
    }

    private byte[] fromLine(Person sender, StoredEntry e) {
        String pattern = settings.get().onBehalfNamePattern();
        LastFrom last = lastFrom;
        if (last != null && last.sender.equals(sender) && Objects.equals(last.onBehalfName, e.onBehalfName)
                && Objects.equals(last.onBehalfAddress, e.onBehalfAddress) && last.pattern.equals(pattern)) {
            return last.line;
        }
        byte[] line = FromHeader.line(sender, FromHeader.displayName(sender, e.onBehalfName, e.onBehalfAddress,
                pattern));
        lastFrom = new LastFrom(sender, e.onBehalfName, e.onBehalfAddress, pattern, line);
        return line;
    }

    private void record(Dispatch d, BoundTransport b, DeliveryResult result) {
        Instant now = outbox.clock().instant();
        // the entry is SENDING: only this attempt changes it until finish
        DeliveryOutcome o = DeliveryOutcome.of(d.entry(), result, RetrySchedule.of(settings.get()), now);
        if (outbox.finish(d, o, b.name)) {
            events.reached(d.entry(), o.state(), b.name, o.error());
        }
    }

    /**
     * Lets a departing transport finish its deliveries, handing back to the outbox those that do not finish in time.
     *
     * @param b the transport, already unbound
     * @param timeout how long to wait
     */
    void drain(BoundTransport b, Duration timeout) {
        try {
            List<Dispatch> left = registry.awaitIdle(b, timeout);
            for (Dispatch d : left) {
                LOG.warn("notification {}: transport '{}' left while sending; it will be sent again", d.id(), b.name);
                outbox.handBack(d);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        wake();
    }

    /** Stops dispatching; deliveries in flight get a few seconds, the rest stay in the outbox for the next start. */
    void stop() {
        running = false;
        loop.interrupt();
        wake();
        deliveries.shutdown();
        try {
            loop.join(5000);
            deliveries.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
