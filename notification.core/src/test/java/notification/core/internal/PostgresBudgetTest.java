package notification.core.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.zaxxer.hikari.HikariDataSource;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import notification.api.transport.BudgetUse;
import notification.api.transport.ConnectionSlot;
import notification.api.transport.MessageStart;
import notification.api.transport.SendingBudget;
import notification.testkit.postgresql.PostgresServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The sending budget in a real PostgreSQL, shared by several nodes (budget instances with pools of their own). */
class PostgresBudgetTest extends SendingBudgetContract {
    @RegisterExtension
    static final FreshDatabase DB = new FreshDatabase("budget");

    @Override
    SendingBudget budget() {
        return node("a", PostgresBudget.LEASE, pool());
    }

    private HikariDataSource pool() {
        HikariDataSource ds = PostgresOutboxTest.pool(DB.url(), DB.server().password(),
                Duration.ofSeconds(3));
        ds.setMaximumPoolSize(8);
        DB.closedAfter(ds);
        return ds;
    }

    private PostgresBudget node(String name, Duration lease, HikariDataSource pool) {
        PostgresBudget budget = new PostgresBudget(pool, name, DB.url(), PostgresServer.USER, lease);
        DB.closedAfter(budget);
        return budget;
    }

    @Test
    void twoNodesWithManyThreadsNeverHoldMoreThanTheLimitOfConnections() throws Exception {
        List<PostgresBudget> nodes = List.of(node("a", PostgresBudget.LEASE, pool()),
                node("b", PostgresBudget.LEASE, pool()));
        AtomicInteger holding = new AtomicInteger();
        AtomicInteger most = new AtomicInteger();
        AtomicInteger taken = new AtomicInteger();
        ExecutorService threads = Executors.newFixedThreadPool(12);
        List<Future<?>> done = new ArrayList<>();
        for (int t = 0; t < 12; t++) {
            PostgresBudget budget = nodes.get(t % 2);
            done.add(threads.submit(() -> {
                for (int i = 0; i < 15; i++) {
                    Optional<ConnectionSlot> slot = budget.takeConnection(SMTP, 3);
                    if (slot.isPresent()) {
                        taken.incrementAndGet();
                        most.accumulateAndGet(holding.incrementAndGet(), Math::max);
                        Thread.yield();
                        holding.decrementAndGet();
                        slot.get().close();
                    }
                }
                return null;
            }));
        }
        for (Future<?> f : done) {
            f.get(2, TimeUnit.MINUTES);
        }
        threads.shutdown();
        assertTrue(most.get() <= 3, "at most 3 slots held at once, were " + most.get());
        assertTrue(taken.get() >= 3, "slots were taken: " + taken.get());
        assertEquals(0, nodes.get(0).use(SMTP).connections(), "every slot given back");
    }

    @Test
    void twoNodesWithManyThreadsStartExactlyThePerMinuteLimit() throws Exception {
        List<PostgresBudget> nodes = List.of(node("a", PostgresBudget.LEASE, pool()),
                node("b", PostgresBudget.LEASE, pool()));
        AtomicInteger allowed = new AtomicInteger();
        ExecutorService threads = Executors.newFixedThreadPool(12);
        List<Future<?>> done = new ArrayList<>();
        for (int t = 0; t < 12; t++) {
            PostgresBudget budget = nodes.get(t % 2);
            done.add(threads.submit(() -> {
                for (int i = 0; i < 5; i++) {
                    if (budget.startMessage(SMTP, 2, 20, 0).allowed()) {
                        allowed.incrementAndGet();
                    }
                }
                return null;
            }));
        }
        for (Future<?> f : done) {
            f.get(2, TimeUnit.MINUTES);
        }
        threads.shutdown();
        assertEquals(20, allowed.get(), "60 starts asked for within the minute, 20 allowed");
        BudgetUse use = nodes.get(1).use(SMTP);
        assertEquals(20, use.startsLastMinute());
        assertEquals(40, use.recipientsLastDay());
        assertTrue(use.shared());
    }

    @Test
    void theSlotsOfANodeThatStopsRenewingAreTakenBackAfterTheirLease() throws Exception {
        HikariDataSource deadPool = pool();
        PostgresBudget dying = node("dying", Duration.ofSeconds(2), deadPool);
        for (int i = 0; i < 3; i++) {
            dying.takeConnection(SMTP, 3).orElseThrow();
        }
        PostgresBudget survivor = node("survivor", PostgresBudget.LEASE, pool());
        assertTrue(survivor.takeConnection(SMTP, 3).isEmpty(), "all 3 held by the other node");
        deadPool.close(); // the node can no longer renew (nor give back) its slots
        List<ConnectionSlot> back = new ArrayList<>();
        Poll.until("the dead node's slots to come back", Duration.ofSeconds(30), () -> {
            survivor.takeConnection(SMTP, 3).ifPresent(back::add);
            return back.size() == 3;
        });
        assertTrue(survivor.takeConnection(SMTP, 3).isEmpty());
    }

    @Test
    void aNodeThatRenewsKeepsItsSlotsPastTheirFirstLease() throws Exception {
        PostgresBudget holder = node("holder", Duration.ofSeconds(3), pool());
        holder.takeConnection(SMTP, 1).orElseThrow();
        PostgresBudget other = node("other", PostgresBudget.LEASE, pool());
        Thread.sleep(7_000);
        assertTrue(other.takeConnection(SMTP, 1).isEmpty(), "still held, renewed every second");
    }

    @Test
    void anUnreachableDatabaseRefusesWithAShortRetryAndASentence() {
        HikariDataSource gone = pool();
        PostgresBudget budget = node("a", PostgresBudget.LEASE, gone);
        gone.close();
        assertTrue(budget.takeConnection(SMTP, 3).isEmpty());
        MessageStart start = budget.startMessage(SMTP, 1, 30, 10_000);
        assertFalse(start.allowed());
        assertEquals(SendingBudget.RETRY_WHEN_UNREACHABLE, start.retryAfter());
        assertTrue(start.reason().startsWith("the sending budget cannot be counted: PostgreSQL at "), start.reason());
        assertTrue(budget.use(SMTP).problem() != null);
        List<BudgetUse> uses = budget.uses();
        assertEquals(List.of(SMTP), uses.stream().map(BudgetUse::key).toList(), "the key this node asked for");
        assertTrue(uses.get(0).problem().startsWith("PostgreSQL at "), uses.get(0).problem());
        assertEquals(3, uses.get(0).connectionLimit(), "the limits it asked with");
        assertTrue(uses.get(0).shared());
    }

    @Test
    void usesShowTheKeysOfEveryNodeWithLimitsOnlyWhereThisNodeAskedWithThem() {
        PostgresBudget a = node("a", PostgresBudget.LEASE, pool());
        PostgresBudget b = node("b", PostgresBudget.LEASE, pool());
        a.takeConnection(SMTP, 3).orElseThrow();
        b.takeConnection(SMTP, 3).orElseThrow();
        assertTrue(b.startMessage(GRAPH, 5, 0, 10_000).allowed());

        List<BudgetUse> seenByA = a.uses();
        assertEquals(List.of(GRAPH, SMTP), seenByA.stream().map(BudgetUse::key).toList());
        assertEquals(2, seenByA.get(1).connections(), "both nodes' slots");
        assertEquals(3, seenByA.get(1).connectionLimit());
        assertEquals(1, seenByA.get(0).startsLastMinute(), "node b's start");
        assertEquals(0, seenByA.get(0).recipientsPerDay(), "node a never asked over Graph: limit not known");
        assertEquals(10_000, b.uses().get(0).recipientsPerDay());
        assertTrue(seenByA.stream().allMatch(BudgetUse::shared));
    }

    @Test
    void aStartWaitsForAnotherNodesStartOfTheSameMailboxAndCountsIt() throws Exception {
        PostgresBudget budget = node("a", PostgresBudget.LEASE, pool());
        budget.use(SMTP); // the schema is in place
        ExecutorService thread = Executors.newSingleThreadExecutor();
        try (Connection other = pool().getConnection()) {
            other.setAutoCommit(false);
            // what another node's start does: the mailbox's lock, then its row, not yet committed
            try (PreparedStatement p = other.prepareStatement("SELECT pg_advisory_xact_lock(?, hashtext(?))")) {
                p.setInt(1, 0x62756467);
                p.setString(2, SMTP.mailbox());
                p.executeQuery().close();
            }
            try (PreparedStatement p = other.prepareStatement("INSERT INTO budget_start (mailbox, protocol,"
                    + " started_at, recipients, node) VALUES (?, ?, clock_timestamp(), 1, 'b')")) {
                p.setString(1, SMTP.mailbox());
                p.setString(2, SMTP.protocol());
                p.executeUpdate();
            }
            Future<MessageStart> start = thread.submit(() -> budget.startMessage(SMTP, 1, 1, 0));
            Poll.until("the start to wait for the other node's lock (or to answer)", Duration.ofSeconds(30),
                    () -> start.isDone() || count(other, "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory'"
                            + " AND NOT granted") > 0);
            other.commit();
            MessageStart answer = start.get(1, TimeUnit.MINUTES);
            assertFalse(answer.allowed(), "the other node's start fills the minute of 1 start");
        } finally {
            thread.shutdownNow();
        }
    }

    @Test
    void aFullBudgetStillTakesBackTheSlotsOfANodeThatStoppedRenewing() throws Exception {
        PostgresBudget budget = node("a", PostgresBudget.LEASE, pool());
        budget.use(SMTP);
        try (Connection c = pool().getConnection()) {
            insertSlot(c, "alive", "interval '1 hour'");
            insertSlot(c, "stopped", "interval '-1 second'");
            assertTrue(budget.takeConnection(SMTP, 1).isEmpty(), "the live slot fills the limit of 1");
            assertEquals(0, count(c, "SELECT count(*) FROM budget_slot WHERE node = 'stopped'"),
                    "the expired slot is gone");
            assertEquals(1, count(c, "SELECT count(*) FROM budget_slot WHERE node = 'alive'"));
        }
    }

    @Test
    void aStartDeletesTheStartsOfTheMailboxOlderThanADay() throws Exception {
        PostgresBudget budget = node("a", PostgresBudget.LEASE, pool());
        budget.use(SMTP);
        try (Connection c = pool().getConnection()) {
            try (PreparedStatement p = c.prepareStatement("INSERT INTO budget_start (mailbox, protocol, started_at,"
                    + " recipients, node) VALUES (?, ?, clock_timestamp() - interval '2 days', 5, 'b')")) {
                p.setString(1, SMTP.mailbox());
                p.setString(2, SMTP.protocol());
                p.executeUpdate();
            }
            assertTrue(budget.startMessage(SMTP, 1, 30, 0).allowed());
            assertEquals(1, count(c, "SELECT count(*) FROM budget_start"), "only the new start is kept");
        }
    }

    @Test
    void theLeaseRenewerNeverKeepsTheJvmAlive() {
        node("a", PostgresBudget.LEASE, pool());
        List<Thread> renewers = Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().equals("notification-budget-leases")).toList();
        assertFalse(renewers.isEmpty(), "the renewer runs");
        assertTrue(renewers.stream().allMatch(Thread::isDaemon), "every renewer is a daemon thread");
    }

    @Test
    void closingTheBudgetEndsItsConnectionWatchdog() throws Exception {
        Set<Thread> before = watchdogs();
        PostgresBudget budget = node("a", PostgresBudget.LEASE, pool());
        budget.use(SMTP); // a connection lent, watched
        Set<Thread> started = watchdogs();
        started.removeAll(before);
        assertFalse(started.isEmpty(), "a watchdog watches the lent connections");
        budget.close();
        for (Thread t : started) {
            t.join(30_000);
            assertFalse(t.isAlive(), "the watchdog ended");
        }
    }

    @Test
    void usesShowAProblemWhenTheCountsDoNotComeWithinSeconds() throws Exception {
        PostgresBudget budget = node("a", PostgresBudget.LEASE, pool());
        budget.takeConnection(SMTP, 3).orElseThrow().close();
        try (Connection c = pool().getConnection()) {
            c.setAutoCommit(false);
            try (Statement s = c.createStatement()) {
                s.execute("LOCK TABLE budget_slot IN ACCESS EXCLUSIVE MODE");
            }
            List<BudgetUse> uses = budget.uses();
            c.rollback();
            assertEquals(List.of(SMTP), uses.stream().map(BudgetUse::key).toList());
            // cancelled by the query's own time-out (57014), not ended by the connection's read time-out
            assertTrue(uses.get(0).problem().contains("57014"), uses.get(0).problem());
        }
    }

    @Test
    void takingBackAnExpiredSlotIsLoggedOnlyWhenThereWasOne() throws Exception {
        PostgresBudget budget = node("a", PostgresBudget.LEASE, pool());
        budget.use(SMTP);
        try (Connection c = pool().getConnection()) {
            String log = logged(() -> {
                budget.takeConnection(SMTP, 3).orElseThrow().close();
                insertSlot(c, "stopped", "interval '-1 second'");
                budget.takeConnection(SMTP, 3).orElseThrow().close();
                budget.takeConnection(SMTP, 3).orElseThrow().close();
                return null;
            });
            assertEquals(1, occurrences(log, "taken back"), log);
            assertTrue(log.contains("1 connection slot(s) of a node that stopped renewing taken back"), log);
        }
    }

    @Test
    void anOutageIsWarnedAndItsEndLoggedWhetherASlotOrAStartFindsTheDatabaseAgain() throws Exception {
        PostgresBudget budget = node("a", PostgresBudget.LEASE, pool());
        budget.use(SMTP);
        String log = logged(() -> {
            outage(() -> assertTrue(budget.takeConnection(SMTP, 3).isEmpty()));
            List<ConnectionSlot> slots = new ArrayList<>();
            Poll.until("a slot once the database is back", Duration.ofSeconds(60), () -> {
                budget.takeConnection(SMTP, 3).ifPresent(slots::add);
                return !slots.isEmpty();
            });
            slots.get(0).close();
            outage(() -> assertFalse(budget.startMessage(SMTP, 1, 30, 0).allowed()));
            Poll.until("a start once the database is back", Duration.ofSeconds(60),
                    () -> budget.startMessage(SMTP, 1, 30, 0).allowed());
            return null;
        });
        assertTrue(occurrences(log, "mail is held until it can be counted again") >= 2, log);
        assertEquals(2, occurrences(log, "the database counts again"), log);
    }

    @Test
    void afterAnOutageTheLeaseRenewalAloneLogsThatTheDatabaseCountsAgain() throws Exception {
        PostgresBudget budget = node("a", Duration.ofSeconds(3), pool());
        budget.takeConnection(SMTP, 3).orElseThrow();
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        String log = logged(captured, () -> {
            outage(() -> Poll.until("the renewal to find the database gone", Duration.ofSeconds(60),
                    () -> captured.toString(StandardCharsets.UTF_8).contains("mail is held")));
            Poll.until("the renewal to find the database again", Duration.ofSeconds(60),
                    () -> captured.toString(StandardCharsets.UTF_8).contains("the database counts again"));
            return null;
        });
        assertTrue(log.contains("the database counts again"), log);
    }

    @Test
    void anOutageFoundFirstByTheLeaseRenewalIsWarnedOnceWhenAStartFindsItToo() throws Exception {
        HikariDataSource gone = pool();
        PostgresBudget budget = node("a", Duration.ofSeconds(3), gone);
        budget.takeConnection(SMTP, 3).orElseThrow();
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        String log = logged(captured, () -> {
            gone.close();
            Poll.until("the renewal to find the database gone", Duration.ofSeconds(60),
                    () -> captured.toString(StandardCharsets.UTF_8).contains("mail is held"));
            assertFalse(budget.startMessage(SMTP, 1, 30, 0).allowed());
            return null;
        });
        assertEquals(1, occurrences(log, "mail is held until it can be counted again"), log);
    }

    /** Runs {@code during} with the server halted. */
    private static void outage(Runnable during) {
        try {
            DB.server().halt();
            try {
                during.run();
            } finally {
                DB.server().resume();
            }
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** What the budget logs (to the test logger's standard error) while {@code action} runs. */
    private static String logged(Callable action) throws Exception {
        return logged(new ByteArrayOutputStream(), action);
    }

    private static String logged(ByteArrayOutputStream captured, Callable action) throws Exception {
        PrintStream original = System.err;
        PrintStream both = new PrintStream(new java.io.OutputStream() {
            @Override
            public void write(int b) {
                synchronized (captured) {
                    captured.write(b);
                }
                original.write(b);
            }

            @Override
            public void write(byte[] b, int off, int len) {
                synchronized (captured) {
                    captured.write(b, off, len);
                }
                original.write(b, off, len);
            }
        }, true, StandardCharsets.UTF_8);
        System.setErr(both);
        try {
            action.call();
        } finally {
            System.setErr(original);
        }
        synchronized (captured) {
            return captured.toString(StandardCharsets.UTF_8);
        }
    }

    /** An action that may fail. */
    private interface Callable {
        Object call() throws Exception;
    }

    private static int occurrences(String text, String part) {
        int n = 0;
        for (int at = text.indexOf(part); at >= 0; at = text.indexOf(part, at + 1)) {
            n++;
        }
        return n;
    }

    private static Set<Thread> watchdogs() {
        Set<Thread> found = new HashSet<>();
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.getName().equals("notification-outbox-watchdog")) {
                found.add(t);
            }
        }
        return found;
    }

    private static void insertSlot(Connection c, String node, String leaseFromNow) throws SQLException {
        try (PreparedStatement p = c.prepareStatement("INSERT INTO budget_slot (mailbox, protocol, node, taken_at,"
                + " lease_until) VALUES (?, ?, ?, clock_timestamp(), clock_timestamp() + " + leaseFromNow + ")")) {
            p.setString(1, SMTP.mailbox());
            p.setString(2, SMTP.protocol());
            p.setString(3, node);
            p.executeUpdate();
        }
    }

    private static int count(Connection c, String sql) {
        try (PreparedStatement p = c.prepareStatement(sql); ResultSet r = p.executeQuery()) {
            r.next();
            return r.getInt(1);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
