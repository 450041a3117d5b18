package notification.oauth.internal;

import static notification.oauth.internal.GoogleCloudFixture.MAILBOX;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import notification.api.transport.BudgetKey;
import notification.api.transport.BudgetUse;
import notification.api.transport.DeliveryResult;
import notification.api.transport.DeliveryResult.Status;
import notification.api.transport.SendingBudget;
import notification.core.internal.MemoryBudget;
import notification.core.internal.PostgresBudget;
import notification.testkit.StoredTestMessage;
import notification.testkit.postgresql.PostgresServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Gmail transports on the mailbox's sending budget, against the fake Google (Gmail API over HTTPS, smtp.gmail.com
 * with XOAUTH2): nodes on one real PostgreSQL database, each with its own transport and budget instance, together
 * send no more than the mailbox's messages and recipients per day, counted over SMTP and the Gmail API, measured at
 * the fakes; what is over the limit is held (not failed) for the right wait, and goes once the window allows.
 */
class GmailSendingBudgetTest {
    private static final BudgetKey SMTP = new BudgetKey(MAILBOX, "smtp");
    private static final BudgetKey API = new BudgetKey(MAILBOX, "api");

    @RegisterExtension
    static final PostgresForClass POSTGRES = new PostgresForClass();
    @TempDir
    Path dataDir;
    private GoogleCloudFixture cloud;
    private SharedDatabase database;
    private final List<AutoCloseable> opened = new ArrayList<>();

    @BeforeEach
    void start() throws Exception {
        cloud = new GoogleCloudFixture(dataDir);
        database = new SharedDatabase(POSTGRES.server());
    }

    @AfterEach
    void stop() throws Exception {
        for (int i = opened.size() - 1; i >= 0; i--) {
            opened.get(i).close();
        }
        database.close();
        cloud.close();
    }

    /** One node's budget on the shared database. */
    private PostgresBudget budget(String node) {
        PostgresBudget budget = new PostgresBudget(database.pool(), node, "the test's database", PostgresServer.USER,
                PostgresBudget.LEASE);
        opened.add(budget);
        return budget;
    }

    /** One node's transport for the mailbox, signed in, asking the node's budget. */
    private GoogleMailTransport node(String node, String protocol, Map<String, Object> limits, SendingBudget budget,
            Clock clock) throws Exception {
        Map<String, Object> c = new HashMap<>(cloud.configuration(protocol));
        c.putAll(limits);
        GoogleSettings settings = new GoogleSettings("gmail", GoogleCloudFixture.configuration(c));
        Path tokens = dataDir.resolve(node).resolve("tokens").resolve("gmail");
        GoogleMailTransport transport = new GoogleMailTransport("gmail", settings, tokens, new TokenFolder(tokens),
                clock, () -> budget);
        opened.add(transport);
        cloud.authorize(transport, MAILBOX);
        return transport;
    }

    @Test
    void twoNodesOverSmtpAndTheGmailApiTogetherSendNoMoreThanTheMailboxsMessagesPerDay() throws Exception {
        PostgresBudget budgetA = budget("node-a");
        Map<String, Object> limits = Map.of("messagesPerDay", 12);
        GoogleMailTransport a = node("node-a", "smtp", limits, budgetA, Clock.systemUTC());
        GoogleMailTransport b = node("node-b", "api", limits, budget("node-b"), Clock.systemUTC());
        for (int i = 0; i < 5; i++) {
            assertEquals(Status.SENT, a.deliver(scan("node a, scan " + i)).status());
            assertEquals(Status.SENT, b.deliver(scan("node b, scan " + i)).status());
        }

        Outcomes outcomes = deliverAll(20, 1, 3, a, b);

        assertEquals(List.of(), outcomes.unexpected);
        int atSmtp = cloud.smtp.messages().size();
        int atApi = cloud.google.gmail().messages().size();
        System.out.printf("Gmail, two nodes, one mailbox, 12 messages a day: %d arrived over SMTP, %d through the"
                + " Gmail API, %d held for the day%n", atSmtp, atApi, outcomes.heldForTheDay.size());
        assertEquals(12, atSmtp + atApi, "messages at the fakes");
        assertTrue(atSmtp >= 5 && atApi >= 5, atSmtp + " over SMTP, " + atApi + " through the API");
        assertEquals(2, outcomes.sent.get());
        assertEquals(18, outcomes.heldForTheDay.size());
        for (DeliveryResult held : outcomes.heldForTheDay) {
            assertHeldForTheDay(held, "12 of 12 messages per day sent by " + MAILBOX);
        }
        List<BudgetUse> uses = budgetA.uses();
        assertEquals(List.of(API, SMTP), uses.stream().map(BudgetUse::key).toList(), "what the page lists");
        assertEquals(12, uses.get(0).recipientsLastDay(), "recipients over both protocols");
        assertTrue(uses.get(0).shared());
    }

    @Test
    void twoNodesOverSmtpTogetherKeepToTheMailboxsRecipientsPerDayAndConnectionsAtTheServer() throws Exception {
        cloud.smtp.setDataDelay(Duration.ofMillis(100)); // sends overlap, so the nodes compete for connections
        Map<String, Object> limits = Map.of("recipientsPerDay", 20, "maxConnections", 2);
        GoogleMailTransport a = node("node-a", "smtp", limits, budget("node-a"), Clock.systemUTC());
        GoogleMailTransport b = node("node-b", "smtp", limits, budget("node-b"), Clock.systemUTC());

        Outcomes outcomes = deliverAll(15, 3, 2, a, b);

        assertEquals(List.of(), outcomes.unexpected);
        int recipients = cloud.smtp.messages().stream().mapToInt(m -> m.recipients().size()).sum();
        System.out.printf("Gmail SMTP, two nodes, 20 recipients a day, 2 connections: %d messages with %d recipients"
                + " arrived, at most %d sessions at once, %d held for the day%n", cloud.smtp.messages().size(),
                recipients, cloud.smtp.maxConcurrentConnections(), outcomes.heldForTheDay.size());
        assertEquals(18, recipients, "6 messages of 3; a seventh would make 21");
        assertTrue(cloud.smtp.maxConcurrentConnections() <= 2,
                "sessions at once at the server: " + cloud.smtp.maxConcurrentConnections());
        assertEquals(9, outcomes.heldForTheDay.size());
        for (DeliveryResult held : outcomes.heldForTheDay) {
            assertHeldForTheDay(held, "18 of 20 recipients per day used by " + MAILBOX);
        }
    }

    @Test
    void onOneNodesMemoryBudgetMailHeldAtTheDailyLimitGoesOnceTheOldestSendIsADayOld() throws Exception {
        MutableClock clock = new MutableClock();
        MemoryBudget budget = new MemoryBudget(clock);
        Map<String, Object> limits = Map.of("messagesPerDay", 3);
        GoogleMailTransport api = node("node", "api", limits, budget, clock);
        GoogleMailTransport smtp = node("node", "smtp", limits, budget, clock);
        assertEquals(Status.SENT, api.deliver(scan("first")).status());
        clock.advance(Duration.ofHours(1));
        assertEquals(Status.SENT, smtp.deliver(scan("second")).status());
        clock.advance(Duration.ofHours(1));
        assertEquals(Status.SENT, api.deliver(scan("third")).status());

        DeliveryResult heldApi = api.deliver(scan("fourth"));
        DeliveryResult heldSmtp = smtp.deliver(scan("fourth, over SMTP"));

        for (DeliveryResult held : List.of(heldApi, heldSmtp)) {
            assertEquals(Status.UNAVAILABLE, held.status(), held.reply());
            assertEquals(Duration.ofHours(22), held.retryAfter(), "until the first send is a day old");
            assertTrue(held.reply().contains("3 of 3 messages per day sent by " + MAILBOX), held.reply());
        }
        assertFalse(budget.use(API).shared());
        clock.advance(Duration.ofHours(22).minusSeconds(1));
        assertEquals(Status.UNAVAILABLE, api.deliver(scan("fourth")).status(), "a second early");
        clock.advance(Duration.ofSeconds(1));
        assertEquals(Status.SENT, api.deliver(scan("fourth")).status());
        assertEquals(3, cloud.google.gmail().messages().size());
        assertEquals(1, cloud.smtp.messages().size());
        assertEquals(Status.UNAVAILABLE, smtp.deliver(scan("fifth")).status(), "the second still counts");
    }

    @Test
    void anIncompleteConfigurationOnTheBudgetStartsAndHoldsMailNamingWhatIsMissing() {
        Map<String, Object> c = new HashMap<>(cloud.configuration("api"));
        c.put("username", "");
        GoogleSettings settings = new GoogleSettings("gmail", GoogleCloudFixture.configuration(c));
        Path tokens = dataDir.resolve("tokens").resolve("gmail");
        MemoryBudget budget = new MemoryBudget(Clock.systemUTC());
        GoogleMailTransport transport = new GoogleMailTransport("gmail", settings, tokens, new TokenFolder(tokens),
                Clock.systemUTC(), () -> budget);
        opened.add(transport);

        DeliveryResult result = transport.deliver(scan("before the mailbox is configured"));

        assertEquals(Status.UNAVAILABLE, result.status());
        assertTrue(result.reply().contains("username is empty"), result.reply());
        assertEquals(List.of(), budget.uses(), "nothing counted");
    }

    private static void assertHeldForTheDay(DeliveryResult held, String reason) {
        assertEquals(Status.UNAVAILABLE, held.status(), held.reply());
        assertTrue(held.retryAfter().compareTo(Duration.ofHours(23)) > 0
                && held.retryAfter().compareTo(Duration.ofDays(1)) <= 0, held.retryAfter().toString());
        assertTrue(held.reply().contains(reason), held.reply());
    }

    private static StoredTestMessage scan(String subject) {
        return StoredTestMessage.text(MAILBOX, subject, "a@example.org");
    }

    /** What the nodes' delivery threads saw. */
    private static final class Outcomes {
        final AtomicInteger sent = new AtomicInteger();
        final List<DeliveryResult> heldForTheDay = Collections.synchronizedList(new ArrayList<>());
        final List<String> unexpected = Collections.synchronizedList(new ArrayList<>());
    }

    /**
     * Delivers a burst on every node at once, as the outbox in PostgreSQL does: threads per node take messages from
     * one queue; one held for a short wait (a connection in use) goes back to the queue while the thread that was
     * refused waits, one held for the day is put aside (the outbox leaves it alone that long).
     */
    private static Outcomes deliverAll(int messages, int recipients, int threadsPerNode,
            GoogleMailTransport... nodes) throws Exception {
        ConcurrentLinkedQueue<StoredTestMessage> queue = new ConcurrentLinkedQueue<>();
        for (int i = 0; i < messages; i++) {
            String[] to = new String[recipients];
            for (int r = 0; r < recipients; r++) {
                to[r] = "r" + r + "@example.org";
            }
            queue.add(StoredTestMessage.text(MAILBOX, "burst " + i, to));
        }
        Outcomes outcomes = new Outcomes();
        AtomicInteger settled = new AtomicInteger();
        ExecutorService threads = Executors.newCachedThreadPool();
        try {
            List<Future<?>> running = new ArrayList<>();
            for (int t = 0; t < threadsPerNode; t++) {
                for (GoogleMailTransport node : nodes) {
                    running.add(threads.submit(() -> {
                        deliver(node, queue, messages, settled, outcomes);
                        return null;
                    }));
                }
            }
            for (Future<?> f : running) {
                f.get(3, TimeUnit.MINUTES);
            }
        } finally {
            threads.shutdownNow();
        }
        return outcomes;
    }

    private static void deliver(GoogleMailTransport node, ConcurrentLinkedQueue<StoredTestMessage> queue, int messages,
            AtomicInteger settled, Outcomes outcomes) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
        while (settled.get() < messages && System.nanoTime() < deadline) {
            StoredTestMessage message = queue.poll();
            if (message == null) {
                Thread.sleep(20);
                continue;
            }
            DeliveryResult result = node.deliver(message);
            if (result.status() == Status.SENT) {
                outcomes.sent.incrementAndGet();
                settled.incrementAndGet();
            } else if (result.status() == Status.UNAVAILABLE && result.retryAfter() != null
                    && result.retryAfter().compareTo(Duration.ofMinutes(1)) > 0) {
                outcomes.heldForTheDay.add(result);
                settled.incrementAndGet();
            } else if (result.status() == Status.UNAVAILABLE && result.retryAfter() != null) {
                queue.add(message); // another node's thread may take it meanwhile
                Thread.sleep(Math.min(result.retryAfter().toMillis(), 500));
            } else {
                outcomes.unexpected.add(result.status() + ": " + result.reply());
                settled.incrementAndGet();
            }
        }
    }
}
