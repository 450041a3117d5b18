package notification.oauth.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * The table of shared sign-ins ({@code notification_token_entry}) in the outbox's PostgreSQL database: created by this
 * bundle's own numbered scripts (recorded in {@code notification_token_schema_version}, applied under an advisory
 * lock, so nodes starting together take turns), read and written by primary key, and a per-transport advisory lock
 * that serializes refreshes across nodes.
 */
final class TokenTable {
    /** The scripts in the order they apply; a new one is added at the end, an applied one is never changed. */
    static final List<String> SCRIPTS = List.of("1-token-cache.sql");
    /** The first key of this bundle's advisory locks ("ntk1"); the second is the transport's, 0 for migrations. */
    private static final int LOCKS = 0x6e746b31;
    /** How long a node waits for another one's refresh before it gives up for now. */
    private static final String LOCK_TIMEOUT = "25s";

    private final DataSource db;

    TokenTable(DataSource db) {
        this.db = db;
    }

    /**
     * Brings the table up to the newest version this node knows.
     *
     * @throws SQLException if the database cannot be reached, a script fails (nothing of it stays), or the schema is
     *         newer than this node knows
     */
    void migrate() throws SQLException {
        try (Connection c = db.getConnection()) {
            c.setAutoCommit(false);
            try (Statement s = c.createStatement()) {
                s.execute("SELECT pg_advisory_xact_lock(" + LOCKS + ", 0)");
                s.execute("CREATE TABLE IF NOT EXISTS notification_token_schema_version (version integer PRIMARY KEY,"
                        + " script text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())");
                int current;
                try (ResultSet r = s.executeQuery("SELECT coalesce(max(version), 0) FROM "
                        + "notification_token_schema_version")) {
                    r.next();
                    current = r.getInt(1);
                }
                if (current > SCRIPTS.size()) {
                    throw new SQLException("the shared sign-ins' schema is version " + current + ", newer than this "
                            + "node knows (" + SCRIPTS.size() + "): update this node to the version the others run");
                }
                for (int v = current + 1; v <= SCRIPTS.size(); v++) {
                    s.execute(script(SCRIPTS.get(v - 1)));
                    s.execute("INSERT INTO notification_token_schema_version (version, script) VALUES (" + v + ", '"
                            + SCRIPTS.get(v - 1) + "')");
                }
                c.commit();
            } finally {
                c.rollback(); // after a commit: nothing left; after a failure: nothing of the script stays
            }
        }
    }

    Optional<byte[]> read(String transport, String entry) throws SQLException {
        try (Connection c = db.getConnection(); PreparedStatement p = c.prepareStatement(
                "SELECT content FROM notification_token_entry WHERE transport = ? AND entry = ?")) {
            p.setString(1, key(transport));
            p.setString(2, entry);
            try (ResultSet r = p.executeQuery()) {
                return r.next() ? Optional.of(r.getBytes(1)) : Optional.empty();
            }
        }
    }

    void write(String transport, String entry, byte[] content) throws SQLException {
        try (Connection c = db.getConnection(); PreparedStatement p = c.prepareStatement(
                "INSERT INTO notification_token_entry (transport, entry, content) VALUES (?, ?, ?) ON CONFLICT "
                        + "(transport, entry) DO UPDATE SET content = excluded.content, updated_at = now()")) {
            p.setString(1, key(transport));
            p.setString(2, entry);
            p.setBytes(3, content);
            p.executeUpdate();
        }
    }

    /**
     * Runs work while holding the transport's advisory lock (a transaction-level lock on a connection of its own, so
     * a node that dies releases it with its connection). Reads and writes inside use other connections.
     */
    <T, E extends Exception> T locked(String transport, TokenEntries.Work<T, E> work) throws E, SQLException {
        try (Connection c = db.getConnection()) {
            c.setAutoCommit(false);
            try (Statement s = c.createStatement()) {
                s.execute("SET LOCAL lock_timeout = '" + LOCK_TIMEOUT + "'");
                s.execute("SELECT pg_advisory_xact_lock(" + LOCKS + ", " + key(transport).hashCode() + ")");
                return work.run();
            } finally {
                c.rollback(); // releases the lock; the transaction wrote nothing
            }
        }
    }

    private static String key(String transport) {
        return transport.toLowerCase(Locale.ROOT);
    }

    private static String script(String name) {
        try (InputStream in = TokenTable.class.getResourceAsStream("postgresql/" + name)) {
            if (in == null) {
                throw new IllegalStateException("the migration script " + name + " is missing from the bundle");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException("the migration script " + name + " cannot be read", e);
        }
    }
}
