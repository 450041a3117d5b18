package notification.core.internal;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import notification.api.TransportStatus;
import notification.api.transport.DeliveryResult;
import notification.api.transport.MailTransport;
import notification.api.transport.TransportHealth;
import notification.api.transport.TransportLimits;
import notification.api.transport.TransportName;

/**
 * The transports bound right now, by name, and the choice of the one that delivers: the first in the configured order
 * that is healthy, honouring its connection and rate limits.
 */
final class TransportRegistry {
    static final Duration UNAVAILABLE_PAUSE = Duration.ofSeconds(5);

    /** The outcome of a choice: a transport to use now, or when to look again (null: when something changes). */
    record Choice(BoundTransport transport, Instant retryAt) {
    }

    private final Map<String, List<BoundTransport>> byName = new HashMap<>();
    private final Map<String, RateWindow> rates = new HashMap<>();
    private final Map<String, Instant> unavailableUntil = new HashMap<>();
    private final List<Waiting> waiting = new ArrayList<>();

    /** A transport refused for its name, waiting until the name is free. */
    private record Waiting(NameClaim claim, String type, int ranking, long serviceId, MailTransport transport) {
    }

    /**
     * Derives a transport's name from its service properties.
     *
     * @param props the service properties
     * @return the name
     * @throws IllegalArgumentException when it has none or the name breaks the rule of {@link TransportName}
     */
    static String nameOf(Map<String, ?> props) {
        return TransportName.ofService(props).value();
    }

    synchronized BoundTransport bind(String name, String type, int ranking, long serviceId, MailTransport t) {
        BoundTransport b = new BoundTransport(name, type, ranking, serviceId, t);
        byName.computeIfAbsent(key(name), k -> new ArrayList<>()).add(b);
        unavailableUntil.remove(name);
        return b;
    }

    /**
     * Binds a transport made by a configuration unless another configuration's transport has its name (compared
     * without case): then the first keeps the name and this one waits until it leaves.
     *
     * @param claim the transport's name and configuration
     * @param type the transport type
     * @param ranking the service ranking
     * @param serviceId the service id
     * @param t the transport
     * @return a sentence naming both configurations and their files when refused, else {@code null}
     */
    synchronized String bindUnique(NameClaim claim, String type, int ranking, long serviceId, MailTransport t) {
        for (BoundTransport b : byName.getOrDefault(key(claim.name()), List.of())) {
            if (b.claim != null && !b.claim.sameConfiguration(claim)) {
                waiting.add(new Waiting(claim, type, ranking, serviceId, t));
                return claim.refusal(b.claim);
            }
        }
        BoundTransport b = bind(claim.name(), type, ranking, serviceId, t);
        b.claim = claim;
        return null;
    }

    synchronized BoundTransport unbind(MailTransport t) {
        waiting.removeIf(w -> w.transport == t);
        for (List<BoundTransport> list : byName.values()) {
            for (BoundTransport b : list) {
                if (b.transport == t) {
                    list.remove(b);
                    promoteWaiting(b.name);
                    return b;
                }
            }
        }
        return null;
    }

    /** Gives a name that was just released to the transport that waited longest for it. */
    private void promoteWaiting(String name) {
        if (!byName.getOrDefault(key(name), List.of()).isEmpty()) {
            return;
        }
        for (Waiting w : List.copyOf(waiting)) {
            if (w.claim.name().equalsIgnoreCase(name) && bindUnique(w.claim, w.type, w.ranking, w.serviceId,
                    w.transport) == null) {
                waiting.remove(w);
            }
        }
    }

    private static String key(String name) {
        return name.toLowerCase(Locale.ROOT);
    }

    synchronized boolean anyBound() {
        return byName.values().stream().anyMatch(l -> !l.isEmpty());
    }

    private BoundTransport best(String name) {
        BoundTransport best = null;
        for (BoundTransport b : byName.getOrDefault(key(name), List.of())) {
            if (best == null || b.preferredTo(best)) {
                best = b;
            }
        }
        return best;
    }

    private boolean usable(BoundTransport b, Instant now) {
        Instant until = unavailableUntil.get(b.name);
        return (until == null || !now.isBefore(until)) && healthOf(b).canDeliver();
    }

    /** The transport that delivers now (first usable in order), or null. */
    synchronized BoundTransport active(List<String> order, Instant now) {
        for (String name : order) {
            BoundTransport b = best(name);
            if (b != null && usable(b, now)) {
                return b;
            }
        }
        return null;
    }

    /**
     * Chooses the transport for the next message: the active one, if it has a free connection and its rate limits
     * allow.
     *
     * @param order the configured order
     * @param now the current time
     * @param recipients the message's recipients
     * @return the choice
     */
    /**
     * Whether the transport that would be chosen now has all its connections busy: then no entry can start, whichever
     * it is, and the picker need not look for one (a store may have to ask a database).
     *
     * @param order the configured order
     * @param now the current time
     * @return true if every connection of the chosen transport is in use
     */
    synchronized boolean saturated(List<String> order, Instant now) {
        BoundTransport b = active(order, now);
        return b != null && b.inFlight.size() >= limitsOf(b).maxConnections();
    }

    synchronized Choice choose(List<String> order, Instant now, int recipients) {
        BoundTransport b = active(order, now);
        if (b == null) {
            return new Choice(null, null);
        }
        TransportLimits limits = limitsOf(b);
        if (b.inFlight.size() >= limits.maxConnections()) {
            return new Choice(null, null);
        }
        Instant allowed = rates.computeIfAbsent(b.name, k -> new RateWindow()).nextAllowed(now, limits, recipients);
        return allowed.isAfter(now) ? new Choice(null, allowed) : new Choice(b, null);
    }

    /**
     * Counts an attempt against a transport's connections and rates.
     *
     * @param b the chosen transport
     * @param d the attempt
     * @param now the current time
     * @return false if the transport left since it was chosen
     */
    synchronized boolean reserve(BoundTransport b, Dispatch d, Instant now) {
        if (!byName.getOrDefault(key(b.name), List.of()).contains(b)) {
            return false;
        }
        rates.computeIfAbsent(b.name, k -> new RateWindow()).record(now, d.recipients().size());
        b.inFlight.add(d);
        return true;
    }

    synchronized void release(BoundTransport b, Dispatch d) {
        b.inFlight.remove(d);
        notifyAll();
    }

    /**
     * How long a transport that did not attempt a message is left alone: what it asked for (a used-up sending budget
     * says until when), else {@link #UNAVAILABLE_PAUSE}.
     *
     * @param result an {@link DeliveryResult.Status#UNAVAILABLE} result, or null
     * @return the pause
     */
    static Duration pauseAfter(DeliveryResult result) {
        Duration asked = result == null ? null : result.retryAfter();
        return asked == null || asked.isNegative() || asked.isZero() ? UNAVAILABLE_PAUSE : asked;
    }

    synchronized void pause(String name, Instant until) {
        unavailableUntil.put(name, until);
    }

    /**
     * Waits until a transport has no delivery in flight.
     *
     * @param b the transport
     * @param timeout how long to wait
     * @return the deliveries still in flight when the time ran out
     */
    synchronized List<Dispatch> awaitIdle(BoundTransport b, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!b.inFlight.isEmpty()) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return List.copyOf(b.inFlight);
            }
            wait(Math.max(1, left / 1_000_000));
        }
        return List.of();
    }

    synchronized List<TransportStatus> status(List<String> order, Instant now) {
        BoundTransport active = active(order, now);
        List<TransportStatus> result = new ArrayList<>();
        for (int i = 0; i < order.size(); i++) {
            BoundTransport b = best(order.get(i));
            result.add(b == null
                    ? new TransportStatus(order.get(i), null, i, false, false, TransportHealth.of(
                            TransportHealth.State.NOT_CONFIGURED, "No transport named '" + order.get(i) + "' is present"),
                            null)
                    : new TransportStatus(b.name, b.type, i, true, b == active, healthOf(b), limitsOf(b)));
        }
        return result;
    }

    static TransportHealth healthOf(BoundTransport b) {
        try {
            TransportHealth h = b.transport.health();
            return h != null ? h : TransportHealth.of(TransportHealth.State.FAILING, "no health reported");
        } catch (RuntimeException e) {
            return TransportHealth.of(TransportHealth.State.FAILING, "health check failed: " + e);
        }
    }

    static TransportLimits limitsOf(BoundTransport b) {
        try {
            TransportLimits l = b.transport.limits();
            return l != null ? l : TransportLimits.SINGLE_CONNECTION;
        } catch (RuntimeException e) {
            return TransportLimits.SINGLE_CONNECTION;
        }
    }
}
