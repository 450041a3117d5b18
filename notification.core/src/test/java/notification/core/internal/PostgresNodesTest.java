package notification.core.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.zaxxer.hikari.HikariDataSource;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import notification.api.OutboxNode;
import notification.api.OutboxStoreStatus;
import notification.testkit.postgresql.PostgresServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The read-only view of the nodes sharing a PostgreSQL outbox, against a real server. */
class PostgresNodesTest {
    private static final byte[] BODY = "Subject: x\r\n\r\nx".getBytes(StandardCharsets.US_ASCII);
    @RegisterExtension
    static final FreshDatabase DB = new FreshDatabase("nodes");
    @TempDir
    Path dir;

    private PostgresOutbox open(String node, String url) throws IOException {
        // a connection to the live database may take seconds on a loaded machine; to nowhere, fail soon
        HikariDataSource ds = PostgresOutboxTest.pool(url, DB.server().password(),
                url.equals(DB.url()) ? Duration.ofSeconds(15) : Duration.ofSeconds(2));
        DB.closedAfter(ds);
        // a 3 s lease: renewed, and the node recorded alive, every second
        PostgresOutbox outbox = new PostgresOutbox(ds, new PostgresSettings(node, url, PostgresServer.USER,
                Duration.ofSeconds(3), Duration.ofMillis(200)), Clock.systemUTC(), dir.resolve(node));
        DB.closedAfter(outbox);
        return outbox;
    }

    private static Dispatch claimNext(OutboxStore outbox) {
        OutboxStore.Due due = outbox.peekDue();
        return due == null ? null : outbox.claim(due);
    }

    private static Map<String, OutboxNode> byName(OutboxStoreStatus status) {
        return status.nodes().stream().collect(Collectors.toMap(OutboxNode::name, n -> n));
    }

    private static OutboxStoreStatus await(OutboxStore outbox, Predicate<OutboxStoreStatus> condition)
            throws InterruptedException {
        Instant deadline = Instant.now().plusSeconds(20);
        OutboxStoreStatus status = outbox.status();
        while (!condition.test(status)) {
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("not reached in 20 s: " + status);
            }
            Thread.sleep(100);
            status = outbox.status();
        }
        return status;
    }

    @Test
    void eachNodeIsListedWithWhatItSendsUnderLeaseAndUntilWhen() throws Exception {
        PostgresOutbox a = open("node-a", DB.url());
        PostgresOutbox b = open("node-b", DB.url());
        for (String id : List.of("one", "two")) {
            PostgresOutboxTest.add(a, id, BODY, "a@example.com");
        }
        assertNotNull(claimNext(a));
        assertNotNull(claimNext(a));
        PostgresOutboxTest.add(b, "three", BODY, "a@example.com"); // a claim may take several due entries at once
        assertNotNull(claimNext(b));

        OutboxStoreStatus status = await(b, s -> byName(s).size() == 2
                && s.nodes().stream().allMatch(OutboxNode::active));
        assertEquals(OutboxStoreStatus.POSTGRESQL, status.store());
        assertTrue(status.reachable());
        assertNull(status.problem());
        assertEquals("node-b", status.node());
        assertEquals(DB.url(), status.database());
        assertEquals("2 of 2 nodes active (PostgreSQL)", status.summary());
        OutboxNode nodeA = byName(status).get("node-a");
        assertFalse(nodeA.thisNode());
        assertEquals(2, nodeA.leases());
        assertEquals(0, nodeA.expiredLeases());
        assertTrue(nodeA.leasedUntil().isAfter(nodeA.lastSeen()), "a lease runs beyond the last heartbeat");
        assertNotNull(nodeA.startedAt());
        OutboxNode nodeB = byName(status).get("node-b");
        assertTrue(nodeB.thisNode());
        assertEquals(1, nodeB.leases());
    }

    @Test
    void aNodeThatDiedIsNotActiveAndItsLeasesThatRanOutAreCounted() throws Exception {
        PostgresOutbox a = open("node-a", DB.url());
        PostgresOutbox b = open("node-b", DB.url());
        PostgresOutboxTest.add(a, "one", BODY, "a@example.com");
        Dispatch d = claimNext(a);
        assertNotNull(d);
        await(b, s -> byName(s).containsKey("node-a") && byName(s).get("node-a").active());
        a.close(); // stops its heartbeat; a killed node would not hand back its claim: put it back as it was
        try (HikariDataSource ds = PostgresOutboxTest.pool(DB.url(), DB.server().password());
                Connection c = ds.getConnection(); Statement s = c.createStatement()) {
            s.executeUpdate("UPDATE outbox_entry SET state = 'SENDING', state_before_sending = 'QUEUED', lease_node ="
                    + " 'node-a', lease_until = clock_timestamp() - interval '1 second', lease_token = " + d.token()
                    + " WHERE id = 'one'");
        }

        OutboxStoreStatus status = await(b, s -> byName(s).containsKey("node-a") && !byName(s).get("node-a").active());
        OutboxNode nodeA = byName(status).get("node-a");
        assertEquals(0, nodeA.leases());
        assertEquals(1, nodeA.expiredLeases());
        assertNull(nodeA.leasedUntil());
        assertEquals("1 of 2 nodes active (PostgreSQL)", status.summary());
    }

    @Test
    void anUnreachableDatabaseIsReportedWithItsSentenceAndPausedDeliveries() throws Exception {
        String nowhere = "jdbc:postgresql://127.0.0.1:" + unusedPort() + "/" + DB.name();
        PostgresOutbox outbox = open("node-a", nowhere);

        OutboxStoreStatus asked = outbox.status();
        assertFalse(asked.reachable());
        assertTrue(asked.problem().contains("cannot be reached"), asked.problem());
        assertTrue(asked.problem().endsWith("deliveries pause until it is back (nothing accepted is lost)"),
                asked.problem());
        assertEquals(List.of(), asked.nodes());
        assertFalse(asked.problem().contains(DB.server().password()));

        assertNull(outbox.peekDue(), "the dispatcher finds the database gone");
        OutboxStoreStatus known = outbox.status();
        assertFalse(known.reachable());
        assertTrue(known.problem().startsWith(outbox.unavailable()), known.problem());
    }

    private static int unusedPort() throws IOException {
        try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
