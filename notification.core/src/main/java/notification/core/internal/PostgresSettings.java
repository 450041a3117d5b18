package notification.core.internal;

import java.time.Duration;

/**
 * What a node needs to share an outbox in PostgreSQL, besides the connection pool.
 *
 * @param node this node's name in leases (host name and HTTP port by default)
 * @param target the database's URL without credentials, for messages
 * @param user the database user, for messages
 * @param lease how long a claim lasts unless renewed; renewed every third of it
 * @param poll how often the node looks for work that other nodes submitted or left
 */
record PostgresSettings(String node, String target, String user, Duration lease, Duration poll) {
    static final Duration LEASE = Duration.ofSeconds(60);
    static final Duration POLL = Duration.ofSeconds(1);

    /**
     * The lease's length from the configuration.
     *
     * @param seconds the {@code leaseSeconds} key
     * @return the length
     * @throws IllegalArgumentException naming the key when it is below 3 seconds
     */
    static Duration lease(long seconds) {
        if (seconds < 3) {
            throw new IllegalArgumentException(CoreConfiguration.PID + ": leaseSeconds must be at least 3 (the lease is"
                    + " renewed every third of it)");
        }
        return Duration.ofSeconds(seconds);
    }
}
