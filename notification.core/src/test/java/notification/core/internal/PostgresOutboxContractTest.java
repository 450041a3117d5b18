package notification.core.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.zaxxer.hikari.HikariDataSource;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.time.Duration;
import notification.testkit.postgresql.PostgresServer;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The PostgreSQL outbox keeps the store contract against a real server. A crash is the node dying (its connections
 * gone, nothing handed back) and the database server stopped at once ({@code pg_ctl -m immediate}, recovered from
 * its write-ahead log when it starts again).
 */
class PostgresOutboxContractTest extends OutboxStoreContract {
    @RegisterExtension
    static final FreshDatabase DB = new FreshDatabase("contract");
    @TempDir
    Path dir;
    private HikariDataSource pool;
    private int settles;

    /** Each marker has its own id: ids are primary keys here, and the journal's ids never repeat either. */
    @Override
    protected void settle() throws Exception {
        submit(settles++ == 0 ? "entry-zzzz-marker" : "entry-zzzz-marker-" + settles, Size.SMALL,
                "marker@example.com");
    }

    @Override
    protected OutboxStore open(Clock clock) throws Exception {
        pool = DB.closedAfter(PostgresOutboxTest.pool(DB.url(), DB.server().password()));
        return new PostgresOutbox(pool, new PostgresSettings("node-a", DB.url(), PostgresServer.USER,
                Duration.ofMinutes(1), Duration.ofSeconds(1)), clock, dir.resolve("spool"));
    }

    @Override
    protected void crash(OutboxStore store) throws Exception {
        pool.close();
        store.close(); // with its connections gone it can hand nothing back, as if killed
        DB.server().halt(); // resumed at once: the other tests of this JVM use the same server
        DB.server().resume();
    }

    @Override
    protected int largeMessageBytes() {
        return PostgresChunks.CHUNK + 4096;
    }

    @Override
    protected void assertMessageGone(String id) throws Exception {
        try (HikariDataSource ds = PostgresOutboxTest.pool(DB.url(), DB.server().password());
                Connection c = ds.getConnection();
                PreparedStatement p = c.prepareStatement("SELECT count(*) FROM outbox_chunk WHERE entry_id = ?")) {
            p.setString(1, id);
            try (ResultSet r = p.executeQuery()) {
                r.next();
                assertEquals(0, r.getLong(1), "chunks of " + id);
            }
        }
    }
}
