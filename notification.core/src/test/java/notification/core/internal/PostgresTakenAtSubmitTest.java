package notification.core.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
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
import notification.api.DeliveryState;
import notification.api.transport.DeliveryResult;
import notification.testkit.postgresql.PostgresServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A node that keeps up with its mail takes its new submits as it stores them (SENDING under its lease, in the same
 * statement), and only then: a node behind its queue, or whose entries taken ahead nobody starts, leaves new mail
 * waiting its turn; a node that dies with such an entry loses it to another when its lease runs out.
 */
class PostgresTakenAtSubmitTest {
    private static final RetrySchedule SCHEDULE = new RetrySchedule(Duration.ofMinutes(5), Duration.ofHours(1),
            Duration.ofDays(5));
    @RegisterExtension
    static final FreshDatabase DB = new FreshDatabase("taken");
    @TempDir
    Path dir;

    private PostgresOutbox open(String node, Duration lease) throws IOException {
        HikariDataSource ds = DB.closedAfter(PostgresOutboxTest.pool(DB.url(), DB.server().password()));
        return DB.closedAfter(new PostgresOutbox(ds, new PostgresSettings(node, DB.url(), PostgresServer.USER, lease,
                Duration.ofMillis(200)), Clock.systemUTC(), dir.resolve(node)));
    }

    private static byte[] message(String id) {
        return ("Subject: " + id + "\r\n\r\nbody").getBytes(StandardCharsets.US_ASCII);
    }

    private static Dispatch claimNext(OutboxStore outbox) {
        OutboxStore.Due due = outbox.peekDue();
        return due == null ? null : outbox.claim(due);
    }

    private static void send(OutboxStore outbox, Dispatch d) {
        assertTrue(outbox.finish(d, DeliveryOutcome.of(d.entry(), DeliveryResult.sent("250 ok"), SCHEDULE,
                Instant.now()), "relay"));
    }

    /** The entry's row as the database has it: its state and the node holding its lease. */
    private String row(String id) throws Exception {
        try (HikariDataSource ds = PostgresOutboxTest.pool(DB.url(), DB.server().password());
                Connection c = ds.getConnection(); Statement s = c.createStatement();
                ResultSet r = s.executeQuery("SELECT state, lease_node, lease_until > clock_timestamp(), lease_token"
                        + " FROM outbox_entry WHERE id = '" + id + "'")) {
            r.next();
            return r.getString(1) + " " + r.getString(2) + " " + r.getObject(3) + " " + r.getInt(4);
        }
    }

    /** Node a claims one entry with nothing else due: from then on it keeps up. */
    private PostgresOutbox caughtUp(String node, Duration lease) throws Exception {
        PostgresOutbox a = open(node, lease);
        PostgresOutboxTest.add(a, "first", message("first"), "a@example.com");
        assertEquals("QUEUED null null 0", row("first"), "a node that never claimed takes nothing at submit");
        send(a, claimNext(a));
        return a;
    }

    @Test
    void aNodeThatKeepsUpTakesItsNewSubmitAsItStoresItAndSendsItWithoutAnotherClaim() throws Exception {
        PostgresOutbox a = caughtUp("node-a", Duration.ofMinutes(1));
        PostgresOutboxTest.add(a, "second", message("second"), "b@example.com");
        assertEquals("SENDING node-a true 1", row("second"), "stored as SENDING under node a's live lease");

        Dispatch d = claimNext(a);
        assertNotNull(d);
        assertEquals("second", d.id());
        assertEquals(1, d.token());
        assertEquals(1, d.attempt());
        assertArrayEquals(message("second"), PostgresOutboxTest.read(a, d), "the message comes from memory, whole");
        send(a, d);
        assertEquals(DeliveryState.SENT, a.find("second").orElseThrow().state());
        assertNull(claimNext(a), "nothing else is due");
    }

    @Test
    void aNodeBehindItsQueueLeavesNewSubmitsWaitingBehindTheOlderEntries() throws Exception {
        PostgresOutbox a = caughtUp("node-a", Duration.ofMinutes(1));
        PostgresOutbox b = open("node-b", Duration.ofMinutes(1));
        PostgresOutboxTest.add(b, "older", message("older"), "c@example.com");
        assertEquals("QUEUED null null 0", row("older"), "node b has claimed nothing: its submit waits");
        Dispatch older = claimNext(a);
        assertEquals("older", older.id(), "node a finds node b's entry due");
        PostgresOutbox c = open("node-c", Duration.ofMinutes(1));
        PostgresOutboxTest.add(c, "oldest-waiting", message("oldest-waiting"), "d@example.com");
        Thread.sleep(PostgresClaims.LOOK_EVERY.toMillis() + 200); // due for longer than a submit being stored takes
        assertEquals("oldest-waiting", a.peekDue().entry().id, "node a looks (no transport is free yet) and finds"
                + " node c's entry due");
        PostgresOutboxTest.add(a, "newer", message("newer"), "e@example.com");
        assertEquals("QUEUED null null 0", row("newer"), "node a saw an entry due before it: its own waits its turn");
        assertEquals("oldest-waiting", claimNext(a).id());
        assertEquals("newer", claimNext(a).id());
        send(a, older);
    }

    @Test
    void anEntryDueOnlyAMomentAgoDoesNotStopTheNodeTakingItsNewSubmits() throws Exception {
        PostgresOutbox a = caughtUp("node-a", Duration.ofMinutes(1));
        PostgresOutbox b = open("node-b", Duration.ofMinutes(1));
        PostgresOutboxTest.add(b, "just-stored", message("just-stored"), "c@example.com");
        assertEquals("just-stored", a.peekDue().entry().id);
        PostgresOutboxTest.add(a, "next", message("next"), "d@example.com");
        assertEquals("SENDING node-a true 1", row("next"), "an entry due for less than a look's interval may be one"
                + " stored while the node caught up: it is taken at its next look");
    }

    @Test
    void entriesTakenAtSubmitThatNobodyStartsGoBackAndTheNodeStopsTaking() throws Exception {
        PostgresOutbox a = caughtUp("node-a", Duration.ofMinutes(1));
        PostgresOutboxTest.add(a, "unstarted", message("unstarted"), "f@example.com");
        assertEquals("SENDING node-a true 1", row("unstarted"));
        Thread.sleep(PostgresClaims.STALE.toMillis() + 300); // no transport takes it
        OutboxStore.Due due = a.peekDue();
        assertEquals("QUEUED null null 1", row("unstarted"), "handed back, waiting for any node");
        assertEquals("unstarted", due.entry().id);
        PostgresOutboxTest.add(a, "after", message("after"), "g@example.com");
        assertEquals("QUEUED null null 0", row("after"), "a node whose taken entries went unstarted takes no more");
    }

    @Test
    void anEntryTakenAtSubmitByANodeThatDiesIsSentByAnotherWhenItsLeaseRunsOut() throws Exception {
        PostgresOutbox a = caughtUp("node-a", Duration.ofMillis(600));
        PostgresOutboxTest.add(a, "orphan", message("orphan"), "h@example.com");
        assertEquals("SENDING node-a true 1", row("orphan"));
        PostgresOutbox b = open("node-b", Duration.ofMinutes(1));
        assertNull(claimNext(b), "node a's lease still runs");
        a.close();
        try (HikariDataSource ds = PostgresOutboxTest.pool(DB.url(), DB.server().password());
                Connection c = ds.getConnection(); Statement s = c.createStatement()) {
            // close handed it back; a killed node does not: put its lease back as the submit left it
            s.executeUpdate("UPDATE outbox_entry SET state = 'SENDING', state_before_sending = 'QUEUED', lease_node ="
                    + " 'node-a', lease_until = clock_timestamp() + interval '600 milliseconds', lease_token = 1"
                    + " WHERE id = 'orphan'");
        }
        Dispatch again = null;
        for (Instant deadline = Instant.now().plusSeconds(10); again == null && Instant.now().isBefore(deadline); ) {
            Thread.sleep(50);
            again = claimNext(b);
        }
        assertNotNull(again, "node b takes the entry once node a's lease ran out");
        assertEquals("<orphan@test>", again.entry().messageId);
        assertEquals(2, again.token());
        assertArrayEquals(message("orphan"), PostgresOutboxTest.read(b, again));
        send(b, again);
    }
}
