package notification.core.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import notification.testkit.postgresql.PostgresServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The time limits on the outbox's connections, on a real server. */
class PostgresConnectionsTest {
    @RegisterExtension
    static final FreshDatabase DB = new FreshDatabase("connections");

    private HikariDataSource pool() {
        return DB.closedAfter(PostgresOutboxTest.pool(DB.url(), DB.server().password()));
    }

    @Test
    void aLentConnectionWaitsForEachAnswerAtMostTheLimitWhateverThePoolSays() throws Exception {
        HikariDataSource ds = DB.closedAfter(new HikariDataSource()); // no socketTimeout: reads would wait for ever
        ds.setJdbcUrl(DB.url());
        ds.setUsername(PostgresServer.USER);
        ds.setPassword(DB.server().password());
        PostgresConnections connections = DB.closedAfter(new PostgresConnections(ds));
        try (Connection c = connections.take()) {
            assertEquals(PostgresConnections.ANSWER_WITHIN.toMillis(), c.getNetworkTimeout());
        }
    }

    @Test
    void aConnectionNotGivenBackInTimeIsAbortedAndItsCallFails() throws Exception {
        PostgresConnections connections = DB.closedAfter(new PostgresConnections(pool(), Duration.ofMillis(500)));
        try (Connection c = connections.take(); Statement s = c.createStatement()) {
            // a call that outlasts the limit (here 0.5 s; 60 s in the product) ends with its connection
            assertThrows(SQLException.class, () -> s.execute("SELECT pg_sleep(10)"));
        }
    }

    @Test
    void aConnectionIsStillLentAfterTheStoreClosedSoThatALateOutcomeIsRecorded() throws Exception {
        PostgresConnections connections = new PostgresConnections(pool());
        connections.close();
        try (Connection c = connections.take(); Statement s = c.createStatement(); ResultSet r = s.executeQuery(
                "SELECT 1")) {
            assertTrue(r.next());
            assertEquals(PostgresConnections.ANSWER_WITHIN.toMillis(), c.getNetworkTimeout());
        }
    }
}
