package notification.core.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The outbox's schema migration on a real server: what it applies, that it stays, and what it refuses. */
class PostgresSchemaTest {
    @RegisterExtension
    static final FreshDatabase DB = new FreshDatabase("schema");

    private HikariDataSource pool() {
        return DB.closedAfter(PostgresOutboxTest.pool(DB.url(), DB.server().password()));
    }

    private static int versions(Connection c) throws SQLException {
        try (Statement s = c.createStatement();
                ResultSet r = s.executeQuery("SELECT count(*) FROM notification_schema_version")) {
            r.next();
            return r.getInt(1);
        }
    }

    @Test
    void theFirstMigrationOfAFreshDatabaseSaysHowManyScriptsItApplied() throws Exception {
        try (Connection c = pool().getConnection()) {
            assertEquals(PostgresSchema.SCRIPTS.size(), PostgresSchema.migrate(c));
            assertEquals(0, PostgresSchema.migrate(c));
        }
    }

    @Test
    void theMigrationIsCommittedEvenOnAConnectionWhoseCallerDoesNotCommit() throws Exception {
        HikariDataSource ds = pool();
        try (Connection c = ds.getConnection()) {
            c.setAutoCommit(false);
            PostgresSchema.migrate(c);
            assertFalse(c.getAutoCommit(), "the caller's auto-commit is restored");
            c.rollback(); // the caller's own transaction ends without a commit
        }
        try (Connection c = ds.getConnection()) {
            assertEquals(PostgresSchema.SCRIPTS.size(), versions(c), "the schema stays");
        }
    }

    @Test
    void aSchemaNewerThanThisNodeIsRefusedNamingBothVersionsAndHoldsNoLockAfterwards() throws Exception {
        HikariDataSource ds = pool();
        int newer = PostgresSchema.SCRIPTS.size() + 1;
        try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
            PostgresSchema.migrate(c);
            s.executeUpdate("INSERT INTO notification_schema_version (version, script) VALUES (" + newer
                    + ", 'from-a-newer-node.sql')");
        }
        try (Connection c = ds.getConnection(); Connection other = ds.getConnection()) {
            c.setAutoCommit(false);
            SQLException e = assertThrows(SQLException.class, () -> PostgresSchema.migrate(c));
            assertEquals("the outbox database's schema is version " + newer + ", newer than this node knows ("
                    + PostgresSchema.SCRIPTS.size() + "): update this node to the version the other nodes run",
                    e.getMessage());
            assertFalse(c.getAutoCommit());
            // the refused migration's transaction ended: other nodes are not kept waiting for its lock
            try (Statement s = other.createStatement(); ResultSet r = s.executeQuery("SELECT count(*) FROM pg_locks"
                    + " WHERE locktype = 'advisory' AND database = (SELECT oid FROM pg_database"
                    + " WHERE datname = current_database())")) {
                r.next();
                assertEquals(0, r.getInt(1));
            }
            assertEquals(newer, versions(c), "nothing is downgraded");
        }
    }

    @Test
    void aRefusedMigrationRestoresAutoCommit() throws Exception {
        HikariDataSource ds = pool();
        try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
            PostgresSchema.migrate(c);
            s.executeUpdate("INSERT INTO notification_schema_version (version, script) VALUES ("
                    + (PostgresSchema.SCRIPTS.size() + 1) + ", 'from-a-newer-node.sql')");
            assertThrows(SQLException.class, () -> PostgresSchema.migrate(c));
            assertTrue(c.getAutoCommit());
        }
    }
}
