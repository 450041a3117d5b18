package notification.core.internal;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import notification.api.TransportStatus;
import notification.api.transport.MailTransport;
import notification.api.transport.TransportHealth;
import notification.api.transport.TransportLimits;

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

    /**
     * Derives a transport's name from its service properties.
     *
     * @param props the service properties
     * @return the name, or null when it has none
     */
    static String nameOf(Map<String, ?> props) {
        Object name = props.get(MailTransport.NAME);
        if (name == null) {
            name = props.get("name");
        }
        if (name == null && props.get("service.pid") instanceof String pid && pid.indexOf('~') >= 0) {
            name = pid.substring(pid.indexOf('~') + 1);
        }
        return name == null || name.toString().isBlank() ? null : name.toString().strip();
    }

    synchronized BoundTransport bind(String name, String type, int ranking, long serviceId, MailTransport t) {
        BoundTransport b = new BoundTransport(name, type, ranking, serviceId, t);
        byName.computeIfAbsent(name, k -> new ArrayList<>()).add(b);
        unavailableUntil.remove(name);
        return b;
    }

    synchronized BoundTransport unbind(MailTransport t) {
        for (List<BoundTransport> list : byName.values()) {
            for (BoundTransport b : list) {
                if (b.transport == t) {
                    list.remove(b);
                    return b;
                }
            }
        }
        return null;
    }

    synchronized boolean anyBound() {
        return byName.values().stream().anyMatch(l -> !l.isEmpty());
    }

    private BoundTransport best(String name) {
        BoundTransport best = null;
        for (BoundTransport b : byName.getOrDefault(name, List.of())) {
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
        if (!byName.getOrDefault(b.name, List.of()).contains(b)) {
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
