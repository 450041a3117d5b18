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
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import notification.api.DeliveryState;
import notification.api.transport.DeliveryResult;
import notification.testkit.postgresql.PostgresServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** What the PostgreSQL outbox does with an attempt's outcome, hand-back or set-aside, and with what it holds at close. */
class PostgresOutboxOutcomesTest {
    private static final RetrySchedule SCHEDULE = new RetrySchedule(Duration.ofMinutes(5), Duration.ofHours(1),
            Duration.ofDays(5));
    @RegisterExtension
    static final FreshDatabase DB = new FreshDatabase("outcomes");
    @TempDir
    Path dir;

    /** A store whose own wake-up never comes during a test: every wake counted is one the store gave. */
    private PostgresOutbox open(String node, Duration connectionTimeout) throws IOException {
        HikariDataSource ds = PostgresOutboxTest.pool(DB.url(), DB.server().password(), connectionTimeout);
        DB.closedAfter(ds);
        PostgresOutbox outbox = new PostgresOutbox(ds, new PostgresSettings(node, DB.url(), PostgresServer.USER,
                Duration.ofMinutes(1), Duration.ofHours(1)), Clock.systemUTC(), dir.resolve(node));
        DB.closedAfter(outbox);
        return outbox;
    }

    private PostgresOutbox open() throws IOException {
        return open("node-a", Duration.ofSeconds(15));
    }

    private static StoredEntry add(OutboxStore outbox, String id, String... recipients) throws IOException {
        return PostgresOutboxTest.add(outbox, id, ("Subject: " + id + "\r\n\r\nbody").getBytes(StandardCharsets.US_ASCII),
                recipients);
    }

    private static Dispatch claimNext(OutboxStore outbox) {
        OutboxStore.Due due = outbox.peekDue();
        return due == null ? null : outbox.claim(due);
    }

    private static AtomicInteger wakes(PostgresOutbox outbox) {
        AtomicInteger wakes = new AtomicInteger();
        outbox.onChange(wakes::incrementAndGet);
        return wakes;
    }

    private static DeliveryOutcome sent(Dispatch d) {
        return DeliveryOutcome.of(d.entry(), DeliveryResult.sent("250 ok"), SCHEDULE, Instant.now());
    }

    private static DeliveryOutcome deferred(Dispatch d, Instant now) {
        return DeliveryOutcome.of(d.entry(), DeliveryResult.transientFailure("421 busy"), SCHEDULE, now);
    }

    private static String[] row(String id) throws Exception {
        try (HikariDataSource ds = PostgresOutboxTest.pool(DB.url(), DB.server().password());
                Connection c = ds.getConnection(); Statement s = c.createStatement();
                ResultSet r = s.executeQuery("SELECT state, lease_node FROM outbox_entry WHERE id = '" + id + "'")) {
            assertTrue(r.next(), id);
            return new String[] {r.getString(1), r.getString(2)};
        }
    }

    /**
     * Marks an entry SENDING under node a's lease, as a claim of node a does whose answer the connection lost (node a
     * does not know it holds it), and says whether node a still sees it: it must, to take it back once the lease runs
     * out. A node that kept an attempt it no longer runs would renew that lease for ever and never see the entry.
     */
    private static boolean seenAfterALostClaim(PostgresOutbox a, String id) throws Exception {
        try (HikariDataSource ds = PostgresOutboxTest.pool(DB.url(), DB.server().password());
                Connection c = ds.getConnection(); Statement s = c.createStatement()) {
            assertEquals(1, s.executeUpdate("UPDATE outbox_entry SET state_before_sending = state, state = 'SENDING',"
                    + " lease_node = 'node-a', lease_until = clock_timestamp() + interval '1 minute', lease_token ="
                    + " lease_token + 1 WHERE id = '" + id + "'"));
        }
        OutboxStore.Due due = a.peekDue();
        return due != null && due.entry().id.equals(id);
    }

    @Test
    void anOutcomeThatCountsIsReportedAndAppliedToTheEntryInMemory() throws Exception {
        PostgresOutbox outbox = open();
        add(outbox, "one", "a@example.com", "b@example.com");
        Dispatch d = claimNext(outbox);
        assertNotNull(d);
        Instant queuedFor = d.entry().nextAttemptAt;
        Instant now = Instant.now();
        DeliveryOutcome o = deferred(d, now);
        assertTrue(o.nextAttemptAt().isAfter(queuedFor));

        assertTrue(outbox.finish(d, o, "relay"), "the outcome counts: the dispatcher reports it");
        StoredEntry e = d.entry();
        assertEquals(DeliveryState.DEFERRED, e.state);
        assertEquals(1, e.attempts, "one attempt more");
        assertEquals(o.nextAttemptAt(), e.nextAttemptAt, "due again when the outcome says");
        assertEquals(List.of("a@example.com", "b@example.com"), e.pending);
        assertTrue(e.lastError.contains("421 busy"), e.lastError);
        assertEquals("relay", e.transport);
    }

    @Test
    void anOutcomeWithoutANextAttemptKeepsTheEntrysDueTimeInMemory() throws Exception {
        PostgresOutbox outbox = open();
        Dispatch d = storedAndClaimed(outbox, "one");
        Instant queuedFor = d.entry().nextAttemptAt;
        assertNotNull(queuedFor);

        assertTrue(outbox.finish(d, sent(d), "relay"));
        assertEquals(DeliveryState.SENT, d.entry().state);
        assertEquals(queuedFor, d.entry().nextAttemptAt, "a sent entry keeps the time it was due, as in the database");
    }

    @Test
    void anOutcomeForAnAttemptHandedBackIsNotReportedAndLeavesTheEntryInMemoryAsItWas() throws Exception {
        PostgresOutbox outbox = open();
        Dispatch d = storedAndClaimed(outbox, "one");
        outbox.handBack(d);

        assertFalse(outbox.finish(d, sent(d), "relay"), "a late outcome does not count: nothing to report");
        assertEquals(DeliveryState.SENDING, d.entry().state);
        assertEquals(0, d.entry().attempts);
        assertNull(d.entry().transport);
        assertEquals(DeliveryState.QUEUED, outbox.find("one").orElseThrow().state());
    }

    @Test
    void anOutcomeWakesTheDispatcher() throws Exception {
        PostgresOutbox outbox = open();
        Dispatch d = storedAndClaimed(outbox, "one");
        AtomicInteger wakes = wakes(outbox);

        outbox.finish(d, deferred(d, Instant.now()), "relay");
        assertEquals(1, wakes.get(), "the dispatcher plans the entry's next attempt");
    }

    @Test
    void aHandBackMakesTheEntryDueAgainAndWakesTheDispatcher() throws Exception {
        PostgresOutbox outbox = open();
        Dispatch d = storedAndClaimed(outbox, "one");
        AtomicInteger wakes = wakes(outbox);

        outbox.handBack(d);
        assertEquals(1, wakes.get());
        assertEquals("QUEUED", row("one")[0]);
        assertNull(row("one")[1], "no lease left");
        Dispatch again = claimNext(outbox);
        assertNotNull(again, "due again at once");
        assertEquals(d.token() + 1, again.token());
    }

    @Test
    void anEntryHandedBackIsNoLongerHeldByThisNode() throws Exception {
        PostgresOutbox outbox = open();
        Dispatch d = storedAndClaimed(outbox, "one");
        outbox.handBack(d);

        assertTrue(seenAfterALostClaim(outbox, "one"));
    }

    @Test
    void anEntrySetAsideIsQuarantinedAndNoLongerHeldByThisNode() throws Exception {
        PostgresOutbox outbox = open();
        Dispatch d = storedAndClaimed(outbox, "one");

        outbox.quarantine(d, "the message cannot be read");
        assertEquals(DeliveryState.QUARANTINED, outbox.find("one").orElseThrow().state());
        assertEquals("the message cannot be read", outbox.find("one").orElseThrow().lastError());
        assertTrue(seenAfterALostClaim(outbox, "one"));
    }

    @Test
    void entriesTakenAheadAndNotStartedInTimeGoBackWakeTheDispatcherAndAreNoLongerHeld() throws Exception {
        PostgresOutbox outbox = open();
        add(outbox, "one", "a@example.com");
        add(outbox, "two", "a@example.com");
        Dispatch first = claimNext(outbox);
        assertEquals("one", first.id());
        assertEquals(DeliveryState.SENDING, outbox.find("two").orElseThrow().state(), "taken ahead");
        assertTrue(outbox.finish(first, sent(first), "relay"));
        AtomicInteger wakes = wakes(outbox);

        Thread.sleep(PostgresClaims.STALE.toMillis() + 200); // no transport takes "two" meanwhile
        OutboxStore.Due due = outbox.peekDue();
        assertEquals("two", due.entry().id);
        assertEquals(1, wakes.get(), "handing back wakes the dispatcher");
        assertEquals("QUEUED", row("two")[0]);
        assertTrue(seenAfterALostClaim(outbox, "two"));
    }

    @Test
    void closingHandsBackAtOnceTheEntriesTakenAheadAndWakesTheDispatcher() throws Exception {
        PostgresOutbox outbox = open();
        add(outbox, "one", "a@example.com");
        add(outbox, "two", "a@example.com");
        Dispatch first = claimNext(outbox);
        assertEquals("one", first.id());
        assertTrue(outbox.finish(first, sent(first), "relay"));
        AtomicInteger wakes = wakes(outbox);

        outbox.close();
        assertEquals(1, wakes.get(), "the entries given back wake the dispatcher");
        assertEquals("QUEUED", row("two")[0], "not left SENDING until the lease runs out");
        assertNull(row("two")[1]);
    }

    @Test
    void closingHandsBackAtOnceTheEntriesBeingSent() throws Exception {
        PostgresOutbox a = open();
        PostgresOutbox b = open("node-b", Duration.ofSeconds(15));
        add(a, "one", "a@example.com");
        Dispatch d = claimNext(a);
        assertNotNull(d);

        a.close();
        assertEquals("QUEUED", row("one")[0], "not left SENDING until the lease runs out");
        assertNull(row("one")[1]);
        assertNotNull(claimNext(b), "another node sends it now");
    }

    @Test
    void closingEndsTheStoresWatchdogThread() throws Exception {
        Set<Thread> before = Thread.getAllStackTraces().keySet();
        PostgresOutbox outbox = open();
        add(outbox, "one", "a@example.com");
        List<Thread> watchdogs = Thread.getAllStackTraces().keySet().stream()
                .filter(t -> !before.contains(t) && t.getName().equals("notification-outbox-watchdog")).toList();
        assertEquals(1, watchdogs.size(), "the store times its connections");

        outbox.close();
        for (Thread t : watchdogs) {
            t.join(10_000);
            assertFalse(t.isAlive(), "no thread is left behind (a bundle restarted does not leak it)");
        }
    }

    @Test
    void anOutcomeThatCannotBeWrittenBecauseTheDatabaseIsDownPausesDeliveries() throws Exception {
        PostgresOutbox outbox = open("node-a", Duration.ofSeconds(3));
        Dispatch d = storedAndClaimed(outbox, "one");
        DB.server().halt();
        try {
            assertFalse(outbox.finish(d, sent(d), "relay"), "not recorded: it is sent again");
            assertNotNull(outbox.unavailable(), "deliveries pause until the database is back");
            assertEquals(DeliveryState.SENDING, d.entry().state);
        } finally {
            DB.server().resume();
        }
    }

    @Test
    void entriesTakenAheadThatCannotBeHandedBackAtCloseBecauseTheDatabaseIsDownAreReported() throws Exception {
        PostgresOutbox outbox = open("node-a", Duration.ofSeconds(3));
        add(outbox, "one", "a@example.com");
        add(outbox, "two", "a@example.com");
        Dispatch first = claimNext(outbox);
        assertEquals("one", first.id());
        assertTrue(outbox.finish(first, sent(first), "relay"));
        DB.server().halt();
        try {
            outbox.close();
            assertNotNull(outbox.unavailable(), "the outage is reported: the lease runs out instead");
        } finally {
            DB.server().resume();
        }
    }

    @Test
    void entriesBeingSentThatCannotBeHandedBackAtCloseBecauseTheDatabaseIsDownAreReported() throws Exception {
        PostgresOutbox outbox = open("node-a", Duration.ofSeconds(3));
        add(outbox, "one", "a@example.com");
        assertNotNull(claimNext(outbox));
        DB.server().halt();
        try {
            outbox.close();
            assertNotNull(outbox.unavailable(), "the outage is reported: the lease runs out instead");
        } finally {
            DB.server().resume();
        }
    }

    /** Stores an entry and claims it. */
    private Dispatch storedAndClaimed(PostgresOutbox outbox, String id) throws IOException {
        add(outbox, id, "a@example.com");
        Dispatch d = claimNext(outbox);
        assertNotNull(d);
        assertEquals(id, d.id());
        return d;
    }
}
