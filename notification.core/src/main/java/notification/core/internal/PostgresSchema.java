package notification.core.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/**
 * Creates and migrates the outbox's tables: numbered SQL scripts ({@code postgresql/N-name.sql}) applied in order,
 * each once, recorded in {@code notification_schema_version}. Nodes starting together take turns (an advisory lock
 * held by the migrating transaction); a database migrated by a newer node is refused, never downgraded.
 */
final class PostgresSchema {
    /** The scripts in the order they apply; a new one is added at the end, an applied one is never changed. */
    static final List<String> SCRIPTS = List.of("1-outbox.sql", "2-sending-budget.sql", "3-inline-message.sql",
            "4-fewer-indexes.sql");
    private static final long LOCK = 0x6e6f7469666c6fL; // "notiflo"

    private PostgresSchema() {
    }

    /**
     * Brings the schema up to the newest version this node knows, in one transaction.
     *
     * @param c a connection (its auto-commit is restored)
     * @return the number of scripts applied now
     * @throws SQLException if a script fails (nothing of it stays) or the schema is newer than this node
     */
    static int migrate(Connection c) throws SQLException {
        boolean autoCommit = c.getAutoCommit();
        c.setAutoCommit(false);
        try (Statement s = c.createStatement()) {
            s.execute("SELECT pg_advisory_xact_lock(" + LOCK + ")");
            s.execute("CREATE TABLE IF NOT EXISTS notification_schema_version (version integer PRIMARY KEY,"
                    + " script text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())");
            int current;
            try (ResultSet r = s.executeQuery("SELECT coalesce(max(version), 0) FROM notification_schema_version")) {
                r.next();
                current = r.getInt(1);
            }
            if (current > SCRIPTS.size()) {
                throw new SQLException("the outbox database's schema is version " + current + ", newer than this"
                        + " node knows (" + SCRIPTS.size() + "): update this node to the version the other nodes run");
            }
            for (int v = current + 1; v <= SCRIPTS.size(); v++) {
                s.execute(script(SCRIPTS.get(v - 1)));
                try (PreparedStatement p = c.prepareStatement(
                        "INSERT INTO notification_schema_version (version, script) VALUES (?, ?)")) {
                    p.setInt(1, v);
                    p.setString(2, SCRIPTS.get(v - 1));
                    p.executeUpdate();
                }
            }
            c.commit();
            return SCRIPTS.size() - current;
        } catch (SQLException | RuntimeException e) {
            c.rollback();
            throw e;
        } finally {
            c.setAutoCommit(autoCommit);
        }
    }

    private static String script(String name) {
        try (InputStream in = PostgresSchema.class.getResourceAsStream("postgresql/" + name)) {
            if (in == null) {
                throw new IllegalStateException("the migration script " + name + " is missing from the bundle");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException("the migration script " + name + " cannot be read", e);
        }
    }
}
