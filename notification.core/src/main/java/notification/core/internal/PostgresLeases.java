package notification.core.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps this node's claims alive and its dispatcher looking: renews the leases of the entries it is sending every
 * third of the lease's length (so a long send of a large scan keeps its entry), records that the node is alive, and
 * wakes the dispatcher regularly, since other nodes' submissions and expired leases make work it is not told about.
 */
final class PostgresLeases {
    private static final Logger LOG = LoggerFactory.getLogger(PostgresLeases.class);

    private final PostgresConnections connections;
    private final String node;
    private final Duration length;
    private final Duration poll;
    private final Map<String, Integer> held;
    private final Runnable wake;
    private final Runnable reachable;
    private final ScheduledExecutorService timer;

    PostgresLeases(PostgresConnections connections, String node, Duration length, Duration poll, Map<String, Integer> held,
            Runnable wake, Runnable reachable) {
        this.connections = connections;
        this.node = node;
        this.length = length;
        this.poll = poll;
        this.held = held;
        this.wake = wake;
        this.reachable = reachable;
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "notification-outbox-leases");
            t.setDaemon(true);
            return t;
        });
    }

    Duration length() {
        return length;
    }

    void start() {
        long renewEvery = Math.max(1, length.toMillis() / 3);
        timer.scheduleWithFixedDelay(this::renew, renewEvery, renewEvery, TimeUnit.MILLISECONDS);
        timer.scheduleWithFixedDelay(wake, poll.toMillis(), poll.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void renew() {
        try (Connection c = connections.take()) {
            if (!held.isEmpty()) {
                try (PreparedStatement p = c.prepareStatement("UPDATE outbox_entry SET lease_until ="
                        + " clock_timestamp() + ? * interval '1 millisecond' WHERE state = 'SENDING' AND lease_node = ?"
                        + " AND id = ANY (?)")) {
                    p.setLong(1, length.toMillis());
                    p.setString(2, node);
                    p.setArray(3, PostgresRows.array(c, List.copyOf(held.keySet())));
                    p.executeUpdate();
                }
            }
            try (PreparedStatement p = c.prepareStatement("INSERT INTO outbox_node (node, started_at, seen_at)"
                    + " VALUES (?, now(), now()) ON CONFLICT (node) DO UPDATE SET seen_at = now()")) {
                p.setString(1, node);
                p.executeUpdate();
            }
            reachable.run();
        } catch (SQLException e) {
            // the dispatcher's own calls report the outage; leases simply run out if it lasts
            LOG.debug("outbox database: renewing leases failed", e);
        }
    }

    void stop() {
        timer.shutdownNow();
        try {
            timer.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
