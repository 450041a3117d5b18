package notification.core.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import notification.api.OutboxNode;
import notification.api.OutboxStoreStatus;

/**
 * Reads how the nodes sharing the outbox stand, for the console and the status JSON: which nodes recorded lately
 * that they are alive ({@code outbox_node}, written with each lease renewal), how many entries each is sending under
 * a lease and until when, and whether the database answers at all. Read-only.
 */
final class PostgresNodes {
    /** Nodes not seen for this long and holding no lease are left out (they stopped, or were renamed). */
    static final Duration FORGOTTEN_AFTER = Duration.ofDays(1);

    /** Gives a connection to the migrated database. */
    interface Connections {
        Connection take() throws SQLException;
    }

    private final Connections connections;
    private final PostgresSettings settings;

    PostgresNodes(Connections connections, PostgresSettings settings) {
        this.connections = connections;
        this.settings = settings;
    }

    /**
     * The store's status now.
     *
     * @param paused why the dispatcher found the database unreachable on its last look, or null: then the status
     *        says so without waiting for a connection again
     * @return the status
     */
    OutboxStoreStatus status(String paused) {
        if (paused != null) {
            return unreachable(paused);
        }
        try (Connection c = connections.take()) {
            return new OutboxStoreStatus(OutboxStoreStatus.POSTGRESQL, settings.target(), settings.node(), true, null,
                    nodes(c));
        } catch (SQLException e) {
            return unreachable(PostgresProblems.describe(e, settings.target(), settings.user()));
        }
    }

    /**
     * The other nodes that send from the shared outbox now: seen within one lease length, or holding a lease that
     * still runs.
     *
     * @return their names, none when this node is the only one at work
     * @throws SQLException if the database cannot be asked
     */
    List<String> othersAtWork() throws SQLException {
        try (Connection c = connections.take()) {
            return nodes(c).stream().filter(n -> !n.thisNode() && (n.active() || n.leases() > 0))
                    .map(OutboxNode::name).toList();
        }
    }

    private OutboxStoreStatus unreachable(String why) {
        return new OutboxStoreStatus(OutboxStoreStatus.POSTGRESQL, settings.target(), settings.node(), false,
                why + "; deliveries pause until it is back (nothing accepted is lost)", List.of());
    }

    private List<OutboxNode> nodes(Connection c) throws SQLException {
        try (PreparedStatement p = c.prepareStatement("WITH leased AS (SELECT lease_node AS node,"
                + " count(*) FILTER (WHERE lease_until >= clock_timestamp()) AS leases,"
                + " count(*) FILTER (WHERE lease_until < clock_timestamp()) AS expired,"
                + " max(lease_until) FILTER (WHERE lease_until >= clock_timestamp()) AS until"
                + " FROM outbox_entry WHERE state = 'SENDING' AND lease_node IS NOT NULL GROUP BY lease_node)"
                + " SELECT coalesce(n.node, l.node) AS name, n.started_at, n.seen_at,"
                + " coalesce(n.seen_at > clock_timestamp() - ? * interval '1 millisecond', false) AS active,"
                + " coalesce(l.leases, 0) AS leases, coalesce(l.expired, 0) AS expired, l.until"
                + " FROM outbox_node n FULL JOIN leased l ON l.node = n.node"
                + " WHERE l.node IS NOT NULL OR n.seen_at > clock_timestamp() - ? * interval '1 millisecond'"
                + " ORDER BY 1")) {
            p.setLong(1, settings.lease().toMillis());
            p.setLong(2, FORGOTTEN_AFTER.toMillis());
            List<OutboxNode> nodes = new ArrayList<>();
            try (ResultSet r = p.executeQuery()) {
                while (r.next()) {
                    String name = r.getString("name");
                    nodes.add(new OutboxNode(name, name.equals(settings.node()), r.getBoolean("active"),
                            PostgresRows.instant(r, "started_at"), PostgresRows.instant(r, "seen_at"),
                            r.getInt("leases"), r.getInt("expired"), PostgresRows.instant(r, "until")));
                }
            }
            return nodes;
        }
    }
}
