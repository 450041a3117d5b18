package notification.core.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.zaxxer.hikari.HikariDataSource;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
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
}
