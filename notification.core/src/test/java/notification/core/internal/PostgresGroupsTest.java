package notification.core.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * The group commit of the PostgreSQL outbox: how requests are grouped, and how a caller learns its own request's fate.
 * The writer here records the groups it is given (the store's writers, with a real server, are in PostgresOutboxTest).
 */
class PostgresGroupsTest {
    /** Records each group written; the first group waits until {@link #release}. */
    private static final class Recorder implements PostgresGroups.Writer<String> {
        final List<List<String>> groups = Collections.synchronizedList(new ArrayList<>());
        final CountDownLatch first = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);

        @Override
        public void write(List<PostgresGroups.Pending<String>> group) throws SQLException {
            groups.add(group.stream().map(p -> p.value).toList());
            if (first.getCount() > 0) {
                first.countDown();
                try {
                    release.await();
                } catch (InterruptedException e) {
                    throw new SQLException(e);
                }
            }
            group.forEach(p -> p.counted = true);
        }
    }

    private static void awaitWaiting(Thread t) throws InterruptedException {
        Instant deadline = Instant.now().plusSeconds(20);
        while (t.getState() != Thread.State.WAITING) {
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError(t + " does not wait: " + t.getState());
            }
            Thread.sleep(10);
        }
    }

    @Test
    void aGroupHoldsAtMostTheGivenNumberOfRequests() throws Exception {
        Recorder writer = new Recorder();
        PostgresGroups<String> groups = new PostgresGroups<>(2, 1, writer);
        ExecutorService pool = Executors.newCachedThreadPool();
        try {
            List<Future<Boolean>> done = new ArrayList<>();
            done.add(pool.submit(() -> groups.write("r0")));
            writer.first.await();
            List<Thread> waiting = new ArrayList<>();
            for (int i = 1; i <= 5; i++) {
                String r = "r" + i;
                CountDownLatch started = new CountDownLatch(1);
                Thread[] self = new Thread[1];
                done.add(pool.submit(() -> {
                    self[0] = Thread.currentThread();
                    started.countDown();
                    return groups.write(r);
                }));
                started.await();
                waiting.add(self[0]);
                awaitWaiting(self[0]); // queued behind the group being written
            }
            writer.release.countDown();
            for (Future<Boolean> f : done) {
                assertTrue(f.get());
            }
        } finally {
            pool.shutdownNow();
        }
        assertEquals(List.of("r0"), writer.groups.get(0));
        assertEquals(List.of(List.of("r1", "r2"), List.of("r3", "r4"), List.of("r5")),
                writer.groups.subList(1, writer.groups.size()));
    }

    @Test
    void aCallerInterruptedWhileItsRequestWaitsHasItWrittenAndKeepsTheInterrupt() throws Exception {
        Recorder writer = new Recorder();
        PostgresGroups<String> groups = new PostgresGroups<>(64, 1, writer);
        ExecutorService pool = Executors.newCachedThreadPool();
        try {
            Future<Boolean> first = pool.submit(() -> groups.write("first"));
            writer.first.await();
            Thread caller = Thread.currentThread();
            pool.submit(() -> {
                awaitWaiting(caller);
                writer.release.countDown();
                return null;
            });
            caller.interrupt();
            boolean counted;
            try {
                counted = groups.write("mine");
            } finally {
                assertTrue(Thread.interrupted(), "the interrupt is kept for the caller");
            }
            assertTrue(counted);
            assertTrue(first.get());
        } finally {
            pool.shutdownNow();
        }
        assertEquals(List.of(List.of("first"), List.of("mine")), writer.groups);
    }

    @Test
    void aWriterThatBreaksFailsTheCallerWithAnSqlExceptionSayingWhy() {
        PostgresGroups<String> groups = new PostgresGroups<>(64, 1, group -> {
            throw new IllegalStateException("the migration script 9-x.sql is missing from the bundle");
        });
        SQLException e = assertThrows(SQLException.class, () -> groups.write("one"));
        assertEquals("writing to the outbox database failed: java.lang.IllegalStateException: the migration script"
                + " 9-x.sql is missing from the bundle", e.getMessage());
    }

    @Test
    void aLoneRequestThatFailsIsNotCountedAndItsCallerGetsTheFailure() {
        SQLException cause = new SQLException("duplicate key value violates unique constraint", "23505");
        PostgresGroups<String> groups = new PostgresGroups<>(64, 1, group -> {
            group.forEach(p -> p.counted = true);
            throw cause;
        });
        SQLException e = assertThrows(SQLException.class, () -> groups.write("one"));
        assertSame(cause, e);
    }

    @Test
    void aGroupThatFailsBecauseTheDatabaseIsGoneIsNotWrittenAgainOneByOne() throws Exception {
        SQLException gone = new SQLException("Connection refused", "08001");
        List<Integer> sizes = Collections.synchronizedList(new ArrayList<>());
        CountDownLatch firstIn = new CountDownLatch(1);
        CountDownLatch letFirstGo = new CountDownLatch(1);
        PostgresGroups<String> groups = new PostgresGroups<>(64, 1, group -> {
            sizes.add(group.size());
            if (firstIn.getCount() > 0) {
                firstIn.countDown();
                try {
                    letFirstGo.await();
                } catch (InterruptedException e) {
                    throw new SQLException(e);
                }
                return;
            }
            throw gone;
        });
        ExecutorService pool = Executors.newCachedThreadPool();
        try {
            Future<Boolean> first = pool.submit(() -> groups.write("first"));
            firstIn.await();
            List<Future<Boolean>> later = writersWaiting(pool, groups, "a", "b");
            letFirstGo.countDown();
            assertFalse(first.get());
            for (Future<Boolean> f : later) {
                Exception e = assertThrows(Exception.class, f::get);
                assertSame(gone, e.getCause());
            }
        } finally {
            pool.shutdownNow();
        }
        assertEquals(List.of(1, 2), sizes, "the group of two failed once, as a whole");
    }

    @Test
    void aRequestCountedInAGroupThatFailedCountsOnlyAsItsOwnWriteSays() throws Exception {
        SQLException clash = new SQLException("duplicate key value violates unique constraint", "23505");
        CountDownLatch firstIn = new CountDownLatch(1);
        CountDownLatch letFirstGo = new CountDownLatch(1);
        PostgresGroups<String> groups = new PostgresGroups<>(64, 1, group -> {
            if (firstIn.getCount() > 0) {
                firstIn.countDown();
                try {
                    letFirstGo.await();
                } catch (InterruptedException e) {
                    throw new SQLException(e);
                }
                return;
            }
            if (group.size() > 1) {
                group.forEach(p -> p.counted = true); // then the transaction fails: none of it is kept
                throw clash;
            }
            // written alone: "stale" changes nothing (its lease was lost), so this writer leaves it uncounted
            group.forEach(p -> {
                if (!p.value.equals("stale")) {
                    p.counted = true;
                }
            });
        });
        ExecutorService pool = Executors.newCachedThreadPool();
        try {
            Future<Boolean> first = pool.submit(() -> groups.write("first"));
            firstIn.await();
            List<Future<Boolean>> later = writersWaiting(pool, groups, "fresh", "stale");
            letFirstGo.countDown();
            assertFalse(first.get(), "the first writer set nothing");
            assertTrue(later.get(0).get(), "fresh counted when written alone");
            assertFalse(later.get(1).get(), "stale's mark from the failed group is not kept");
        } finally {
            pool.shutdownNow();
        }
    }

    /** Starts a writer for each request, one after another, each one waiting behind the group being written. */
    private static List<Future<Boolean>> writersWaiting(ExecutorService pool, PostgresGroups<String> groups,
            String... requests) throws Exception {
        List<Future<Boolean>> writers = new ArrayList<>();
        for (String r : requests) {
            CountDownLatch started = new CountDownLatch(1);
            Thread[] self = new Thread[1];
            writers.add(pool.submit(() -> {
                self[0] = Thread.currentThread();
                started.countDown();
                return groups.write(r);
            }));
            started.await();
            awaitWaiting(self[0]);
        }
        return writers;
    }
}
