package notification.api;

import java.util.List;

/**
 * Where the outbox keeps accepted notifications and, when several print servers share it in a database, whether the
 * database can be reached and how the servers stand.
 *
 * @param store {@link #JOURNAL} (this server's disk) or {@link #POSTGRESQL} (a database shared by several servers)
 * @param database the database's address without credentials or parameters, or {@code null} for the journal
 * @param node this server's name among the nodes, or {@code null} for the journal
 * @param reachable whether the store can be used now; while a database cannot be reached, deliveries pause and new
 *        notifications are refused, and nothing already accepted is lost
 * @param problem why the database cannot be reached, in a sentence with the fix, or {@code null} when it can
 * @param nodes the nodes that used the database in the last day or hold leases, by name; empty for the journal or
 *        when the database cannot be reached
 */
public record OutboxStoreStatus(
        String store,
        String database,
        String node,
        boolean reachable,
        String problem,
        List<OutboxNode> nodes) {

    /** The {@code store} of an outbox on this server's own disk. */
    public static final String JOURNAL = "journal";
    /** The {@code store} of an outbox in PostgreSQL, shared by several servers. */
    public static final String POSTGRESQL = "postgresql";

    /**
     * Creates a status; the node list is copied.
     *
     * @param store {@link #JOURNAL} or {@link #POSTGRESQL}
     * @param database the database's address, or {@code null}
     * @param node this server's name, or {@code null}
     * @param reachable whether the store can be used now
     * @param problem why not, or {@code null}
     * @param nodes the nodes
     */
    public OutboxStoreStatus {
        nodes = List.copyOf(nodes);
    }

    /**
     * The status of an outbox on this server's disk: one server, always reachable, no nodes.
     *
     * @return the status
     */
    public static OutboxStoreStatus journal() {
        return new OutboxStoreStatus(JOURNAL, null, null, true, null, List.of());
    }

    /**
     * Whether several servers share the outbox (in a database).
     *
     * @return {@code true} unless the outbox is this server's journal
     */
    public boolean shared() {
        return !JOURNAL.equals(store);
    }

    /**
     * The status in a few words, for example "one server (journal)" or "2 of 3 nodes active (PostgreSQL)".
     *
     * @return the words
     */
    public String summary() {
        if (!shared()) {
            return "one server (journal)";
        }
        if (!reachable) {
            return "database unreachable: deliveries paused (PostgreSQL)";
        }
        long active = nodes.stream().filter(OutboxNode::active).count();
        return active + " of " + nodes.size() + (nodes.size() == 1 ? " node" : " nodes") + " active (PostgreSQL)";
    }
}
