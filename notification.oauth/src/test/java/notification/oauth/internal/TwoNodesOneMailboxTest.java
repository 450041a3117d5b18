package notification.oauth.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.zaxxer.hikari.HikariDataSource;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import notification.api.transport.DeliveryResult;
import notification.api.transport.DeliveryResult.Status;
import notification.api.transport.SendingBudget;
import notification.core.internal.PostgresBudget;
import notification.testkit.StoredTestMessage;
import notification.testkit.postgresql.PostgresServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two nodes sending as one Microsoft 365 mailbox over SMTP, each with its own transport (3 connections, 30 messages
 * a minute: the defaults) and its own budget instance on one PostgreSQL database, against the fake Exchange: what
 * the fake sees stays within the mailbox's limits. Each node runs its transport as the notification service does:
 * as many delivery threads as connections, a message not attempted goes back to the queue, and the node leaves the
 * transport alone for the wait it asked for. The queue is shared, as the outbox in PostgreSQL is: whichever node holds
 * the connection slots sends, the other is held until one is free.
 */
class TwoNodesOneMailboxTest {
    private static final int MESSAGES = 40;

    @TempDir
    Path dir;
    private MicrosoftCloudFixture cloud;
    private PostgresServer database;
    private final List<AutoCloseable> opened = new ArrayList<>();

    @BeforeEach
    void start() throws Exception {
        cloud = new MicrosoftCloudFixture(dir);
        database = PostgresServer.start();
        database.createDatabase("budget");
    }

    @AfterEach
    void stop() throws Exception {
        for (int i = opened.size() - 1; i >= 0; i--) {
            opened.get(i).close();
        }
        database.close();
        cloud.close();
    }

    /** One node: a budget on the shared database and a Microsoft 365 SMTP transport asking it. */
    private MicrosoftMailTransport node(String name) {
        HikariDataSource pool = new HikariDataSource();
        pool.setJdbcUrl(database.jdbcUrl("budget"));
        pool.setUsername(PostgresServer.USER);
        pool.setPassword(database.password());
        pool.setMaximumPoolSize(4);
        opened.add(pool);
        PostgresBudget budget = new PostgresBudget(pool, name, database.jdbcUrl("budget"), PostgresServer.USER,
                PostgresBudget.LEASE);
        opened.add(budget);
        Map<String, Object> config = cloud.configuration("smtp");
        config.put("authMode", "app");
        config.put("name", name);
        MicrosoftSettings settings = new MicrosoftSettings(name, TestConfigurations.of(config));
        Path tokens = dir.resolve("tokens").resolve(name);
        MicrosoftMailTransport transport = new MicrosoftMailTransport(name, settings, tokens, new TokenFolder(tokens),
                Clock.systemUTC(), () -> budget);
        opened.add(transport);
        return transport;
    }

    @Test
    void twoNodesTogetherKeepToThreeSessionsAndThirtyMessagesAMinuteAtTheServer() throws Exception {
        cloud.smtp.setDataDelay(Duration.ofMillis(200)); // sends overlap, so the nodes compete for connections
        ConcurrentLinkedQueue<StoredTestMessage> queue = new ConcurrentLinkedQueue<>();
        for (int i = 0; i < MESSAGES; i++) {
            queue.add(StoredTestMessage.text(MicrosoftCloudFixture.MAILBOX, "scan " + i, "a@example.org"));
        }
        AtomicInteger sent = new AtomicInteger();
        List<String> unexpected = new ArrayList<>();
        ExecutorService threads = Executors.newCachedThreadPool();
        List<MicrosoftMailTransport> nodes = List.of(node("node-a"), node("node-b"));
        List<AtomicLong> pausedUntil = List.of(new AtomicLong(), new AtomicLong());
        List<AtomicInteger> held = List.of(new AtomicInteger(), new AtomicInteger());
        List<Future<Integer>> deliveries = new ArrayList<>();
        for (int t = 0; t < 3; t++) { // as many delivery threads per node as connections, started in turn
            for (int n = 0; n < 2; n++) {
                MicrosoftMailTransport transport = nodes.get(n);
                AtomicLong paused = pausedUntil.get(n);
                AtomicInteger heldHere = held.get(n);
                deliveries.add(threads.submit(() -> deliver(transport, queue, sent, paused, heldHere, unexpected)));
            }
        }
        int nodeA = 0;
        int nodeB = 0;
        for (int i = 0; i < deliveries.size(); i++) {
            int n = deliveries.get(i).get(5, TimeUnit.MINUTES);
            nodeA += i % 2 == 0 ? n : 0;
            nodeB += i % 2 == 1 ? n : 0;
        }
        threads.shutdown();
        assertEquals(List.of(), unexpected);
        assertTrue(nodeA + held.get(0).get() > 0 && nodeB + held.get(1).get() > 0, "both nodes tried");
        assertEquals(MESSAGES, cloud.smtp.messages().size(), "node a sent " + nodeA + ", node b " + nodeB);
        assertTrue(cloud.smtp.maxConcurrentConnections() <= 3,
                "sessions open at once at the server: " + cloud.smtp.maxConcurrentConnections());
        int mostInAMinute = cloud.smtp.mostAcceptedWithin(Duration.ofMinutes(1));
        System.out.printf("two nodes, one mailbox: node a sent %d (held %d times), node b %d (held %d times); at the"
                + " server at most %d sessions at once and %d messages in any minute%n", nodeA, held.get(0).get(), nodeB,
                held.get(1).get(), cloud.smtp.maxConcurrentConnections(), mostInAMinute);
        assertTrue(mostInAMinute <= 30, "messages in one minute at the server: " + mostInAMinute);
        assertEquals(30, mostInAMinute, "the budget is used, not just kept to");
    }

    /** One delivery thread of a node: takes messages until all are sent, honouring the waits the transport asks. */
    private static int deliver(MicrosoftMailTransport transport, ConcurrentLinkedQueue<StoredTestMessage> queue,
            AtomicInteger sent, AtomicLong pausedUntil, AtomicInteger held, List<String> unexpected)
            throws InterruptedException {
        int mine = 0;
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(4);
        while (sent.get() < MESSAGES && System.nanoTime() < deadline) {
            long wait = pausedUntil.get() - System.currentTimeMillis();
            if (wait > 0) {
                Thread.sleep(Math.min(wait, 500));
                continue;
            }
            StoredTestMessage message = queue.poll();
            if (message == null) {
                Thread.sleep(50);
                continue;
            }
            DeliveryResult result = transport.deliver(message);
            if (result.status() == Status.SENT) {
                sent.incrementAndGet();
                mine++;
            } else {
                queue.add(message);
                if (result.status() == Status.UNAVAILABLE) {
                    held.incrementAndGet();
                    Duration retry = result.retryAfter() == null ? SendingBudget.RETRY_FOR_CONNECTION
                            : result.retryAfter();
                    pausedUntil.accumulateAndGet(System.currentTimeMillis() + retry.toMillis(), Math::max);
                } else {
                    synchronized (unexpected) {
                        unexpected.add(result.status() + ": " + result.reply());
                    }
                }
            }
        }
        return mine;
    }
}
