package notification.core.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.zaxxer.hikari.HikariDataSource;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import notification.api.DeliveryState;
import notification.api.Notification;
import notification.api.Receipt;
import notification.api.transport.TransportLimits;
import notification.testkit.postgresql.PostgresServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Nodes deliver from one PostgreSQL outbox: the database going away mid-burst pauses them and loses nothing; an outcome
 * being recorded does not hold the transport's connection.
 */
class PostgresDeliveryTest {
    private PostgresServer server;
    @TempDir
    Path dir;
    private final List<AutoCloseable> opened = new ArrayList<>();

    @BeforeEach
    void startServer() throws Exception {
        server = PostgresServer.start();
    }

    @AfterEach
    void stop() throws Exception {
        for (int i = opened.size() - 1; i >= 0; i--) {
            opened.get(i).close();
        }
        server.close();
    }

    private OutboxNotificationService node(String name, ScriptedTransport transport) throws Exception {
        HikariDataSource pool = PostgresOutboxTest.pool(server.jdbcUrl(), server.password());
        opened.add(pool);
        PostgresOutbox store = new PostgresOutbox(pool, new PostgresSettings(name, server.jdbcUrl(),
                PostgresServer.USER, Duration.ofSeconds(5), Duration.ofMillis(200)), Clock.systemUTC(),
                dir.resolve(name));
        OutboxNotificationService service = new OutboxNotificationService(store, new CoreSettings(List.of("relay"),
                Duration.ofMillis(200), Duration.ofMillis(400), Duration.ofDays(1), "{name}", 998));
        opened.add(service::close);
        service.bind("relay", transport);
        return service;
    }

    @Test
    void everyNotificationArrivesThoughTheDatabaseWentAwayWhileTwoNodesDelivered() throws Exception {
        ScriptedTransport a = new ScriptedTransport("scanner@example.com", "Print Server");
        ScriptedTransport b = new ScriptedTransport("scanner@example.com", "Print Server");
        a.delayMillis = 5;
        b.delayMillis = 5;
        OutboxNotificationService nodeA = node("node-a", a);
        OutboxNotificationService nodeB = node("node-b", b);
        List<Receipt> receipts = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            OutboxNotificationService n = i % 2 == 0 ? nodeA : nodeB;
            receipts.add(n.submit(Notification.builder().to("user" + i + "@example.com").subject("scan " + i)
                    .text("page " + i).build()));
        }
        Poll.until("some deliveries", Duration.ofSeconds(60), () -> a.delivered.size() + b.delivered.size() >= 30);
        server.halt();
        Thread.sleep(1500);
        server.resume();

        Poll.until("every notification SENT", Duration.ofSeconds(120), () -> receipts.stream()
                .allMatch(r -> nodeB.find(r.id()).map(e -> e.state() == DeliveryState.SENT).orElse(false)),
                () -> nodeB.counts() + " " + nodeB.list(Set.of(DeliveryState.SENDING, DeliveryState.QUEUED,
                        DeliveryState.DEFERRED, DeliveryState.QUARANTINED, DeliveryState.FAILED), 3));
        Set<String> arrived = new HashSet<>();
        a.delivered.forEach(d -> arrived.add(d.messageId()));
        b.delivered.forEach(d -> arrived.add(d.messageId()));
        for (Receipt r : receipts) {
            assertTrue(arrived.contains(r.messageId()), r.messageId() + " never arrived");
        }
        assertEquals(300, arrived.size(), "only these notifications, each with its own Message-ID");
        assertTrue(!a.delivered.isEmpty() && !b.delivered.isEmpty(), "both nodes delivered: " + a.delivered.size()
                + " and " + b.delivered.size());
    }

    @Test
    void theConnectionSendsTheNextNotificationWhileThePreviousOutcomeIsStillBeingRecorded() throws Exception {
        ScriptedTransport a = new ScriptedTransport("scanner@example.com", "Print Server");
        a.limits = TransportLimits.SINGLE_CONNECTION;
        a.delayMillis = 300;
        OutboxNotificationService node = node("node-a", a);
        try (HikariDataSource ds = PostgresOutboxTest.pool(server.jdbcUrl(), server.password());
                Connection c = ds.getConnection()) {
            Receipt first = node.submit(Notification.builder().to("one@example.com").subject("one").text("1").build());
            Poll.until("the first being sent", Duration.ofSeconds(30),
                    () -> node.find(first.id()).map(e -> e.state() == DeliveryState.SENDING).orElse(false));
            c.setAutoCommit(false);
            try (Statement s = c.createStatement()) {
                // holds the first entry's row: its outcome waits for this transaction
                s.executeQuery("SELECT id FROM outbox_entry WHERE id = '" + first.id() + "' FOR UPDATE").close();
            }
            Receipt second = node.submit(Notification.builder().to("two@example.com").subject("two").text("2")
                    .build());
            Poll.until("the second sent on the only connection", Duration.ofSeconds(30),
                    () -> a.delivered.stream().anyMatch(d -> d.messageId().equals(second.messageId())));
            assertEquals(DeliveryState.SENDING, node.find(first.id()).orElseThrow().state(),
                    "the first's outcome is not recorded yet, and its entry stays under its lease");
            c.rollback();
            Poll.until("both SENT", Duration.ofSeconds(30), () -> Set.of(first.id(), second.id()).stream()
                    .allMatch(id -> node.find(id).map(e -> e.state() == DeliveryState.SENT).orElse(false)));
            assertEquals(2, a.delivered.size(), "each sent once");
        }
    }
}
