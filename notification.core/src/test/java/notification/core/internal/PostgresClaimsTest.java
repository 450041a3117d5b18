package notification.core.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.zaxxer.hikari.HikariDataSource;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import notification.testkit.postgresql.PostgresServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A node's claims: the entries it takes ahead are handed out once, in the order they fell due, and go back when
 * nobody starts them; a claim that leaves room ahead makes the node take its own new mail as it is stored, as many
 * as there is room for.
 */
class PostgresClaimsTest {
    @RegisterExtension
    static final FreshDatabase DB = new FreshDatabase("claims");
    @TempDir
    Path dir;

    private final Map<String, Integer> held = new HashMap<>();
    private final PostgresClaims claims = new PostgresClaims("me", Duration.ofMinutes(1), held);

    private static Dispatch attempt(String id) {
        StoredEntry e = new StoredEntry(id, "<" + id + "@test>", "ref-" + id, "subject " + id,
                List.of(id + "@example.com"), null, null, Instant.parse("2026-12-03T10:00:00Z"));
        return new Dispatch(e, 1, e.pending, 1, null, null);
    }

    private static List<Dispatch> attempts(int n) {
        return IntStream.range(0, n).mapToObj(i -> attempt("ahead-" + i)).toList();
    }

    /** A store holding the given entries, QUEUED (its node has claimed nothing, so it takes none at submit). */
    private Connection storeWith(String... ids) throws Exception {
        HikariDataSource ds = DB.closedAfter(PostgresOutboxTest.pool(DB.url(), DB.server().password()));
        PostgresOutbox store = DB.closedAfter(new PostgresOutbox(ds, new PostgresSettings("store", DB.url(),
                PostgresServer.USER, Duration.ofMinutes(1), Duration.ofMillis(200)), Clock.systemUTC(),
                dir.resolve("store")));
        for (String id : ids) {
            PostgresOutboxTest.add(store, id, ("Subject: " + id + "\r\n\r\nbody").getBytes(StandardCharsets.US_ASCII),
                    id + "@example.com");
        }
        return DB.closedAfter(ds.getConnection());
    }

    private static StoredEntry entry(String id) {
        return attempt(id).entry();
    }

    @Test
    void anEntryTakenAheadIsHandedOutOnceForItsOwnEntryOrAnotherWithItsId() {
        Dispatch x = attempt("x");
        Dispatch y = attempt("y");
        claims.adopt(0, List.of(x, y));

        assertNull(claims.take(entry("z")), "z was not taken ahead");
        assertSame(y, claims.take(y.entry()), "the second entry ahead, asked by its own entry");
        assertSame(x, claims.take(entry("x")), "the first, asked by another entry with its id (read again)");
        assertNull(claims.take(x.entry()), "handed out once only");
        assertNull(claims.next());
    }

    @Test
    void closingHandsBackEveryEntryTakenAheadAndKeepsNone() {
        Dispatch x = attempt("x");
        Dispatch y = attempt("y");
        claims.adopt(0, List.of(x, y));

        assertEquals(List.of(x, y), claims.all());
        assertEquals(List.of(), claims.all(), "nothing is handed back twice");
        assertNull(claims.next());
        assertNull(claims.take(x.entry()));
    }

    @Test
    void anEntryTakenAMomentAgoIsNextAndNotStale() {
        long start = System.nanoTime();
        Dispatch x = attempt("x");
        claims.adopt(0, List.of(x));
        List<Dispatch> stale = claims.stale();
        OutboxStore.Due next = claims.next();
        assumeTrue(System.nanoTime() - start < PostgresClaims.STALE.toNanos(), "the test itself was held up");

        assertEquals(List.of(), stale);
        assertNotNull(next, "the entry waits ahead");
        assertSame(x.entry(), next.entry());
        assertEquals(x.entry().nextAttemptAt, next.at());
        assertEquals(1, next.recipients());
    }

    @Test
    void anEntryNobodyStartsGoesBackOnceAndIsNoLongerTakenAhead() {
        Dispatch x = attempt("x");
        claims.adopt(0, List.of(x));
        List<Dispatch> back = new ArrayList<>();
        Poll.until("the entry to go stale", PostgresClaims.STALE.multipliedBy(5), () -> {
            back.addAll(claims.stale());
            return !back.isEmpty();
        });

        assertEquals(List.of(x), back);
        assertEquals(List.of(), claims.stale(), "handed back once");
        assertNull(claims.take(x.entry()), "no longer handed out from ahead");
        assertEquals(List.of(), claims.all());
    }

    @Test
    void aNodeThatJustLookedDoesNotLookAgainYet() {
        long start = System.nanoTime();
        claims.looked();
        boolean again = claims.lookAgain();
        assumeTrue(System.nanoTime() - start < PostgresClaims.LOOK_EVERY.toNanos(), "the test itself was held up");

        assertFalse(again);
    }

    @Test
    void aClaimWithNothingElseDueCatchesUpAndPromisesNewSubmitsOnlyTheRoomAhead() throws Exception {
        Connection c = storeWith("asked");
        assertEquals(0, claims.promise(1), "a node that has not claimed takes nothing at submit");

        Dispatch mine = claims.claim(c, entry("asked"), Instant.now());
        assertEquals("asked", mine.id());
        assertEquals(Map.of("asked", 1), held);
        assertNull(claims.next(), "nothing else was due");

        assertEquals(10, claims.promise(10));
        assertEquals(6, claims.promise(10), "ten places are promised already");
        assertEquals(0, claims.promise(1));
        claims.adopt(16, List.of());
        assertEquals(16, claims.promise(16), "adopting frees the places promised");
        claims.adopt(16, attempts(15));
        assertEquals(1, claims.promise(16), "fifteen entries wait ahead");
    }

    @Test
    void aClaimThatLeavesRoomAheadCatchesUp() throws Exception {
        claims.adopt(0, attempts(13));
        Connection c = storeWith("asked", "other");

        assertEquals("asked", claims.claim(c, entry("asked"), Instant.now()).id());
        assertEquals(1, claims.promise(1), "one place of the two was left");
    }

    @Test
    void aClaimThatFillsTheRoomAheadLeavesTheRestWaitingAndDoesNotCatchUp() throws Exception {
        claims.adopt(0, attempts(13));
        Connection c = storeWith("asked", "second", "third", "fourth");

        assertEquals("asked", claims.claim(c, entry("asked"), Instant.now()).id());
        assertEquals(0, claims.promise(1), "more may be due: new submits wait their turn in the database");
        assertEquals(Map.of("asked", 1, "second", 1, "third", 1), held, "room for two more than the asked one");
        assertEquals(15, claims.all().size());
    }

    @Test
    void aClaimThatFillsTheRoomAheadDoesNotCatchUpWhenTheAskedEntryIsGone() throws Exception {
        claims.adopt(0, attempts(13));
        Connection c = storeWith("second", "third");

        assertNull(claims.claim(c, entry("sent-meanwhile"), Instant.now()));
        assertEquals(Map.of("second", 1, "third", 1), held);
        assertEquals(0, claims.promise(1), "more may be due: new submits wait their turn in the database");
    }

    @Test
    void entriesTakenWithAClaimAreHandedOutInTheOrderTheyFellDue() throws Exception {
        List<String> stored = IntStream.range(0, 10).mapToObj(i -> "entry-" + i).toList();
        Connection c = storeWith(IntStream.range(-1, 10).mapToObj(i -> i < 0 ? "asked" : "entry-" + i)
                .toArray(String[]::new));
        try (Statement s = c.createStatement()) {
            s.executeUpdate("UPDATE outbox_entry SET next_attempt_at = date_trunc('second', clock_timestamp())"
                    + " - interval '1 hour'");
            // rows written again in another order: the database now keeps them in that order
            for (int i = stored.size() - 1; i >= 0; i -= 2) {
                s.executeUpdate("UPDATE outbox_entry SET subject = subject WHERE id = '" + stored.get(i) + "'");
            }
        }
        Instant now = Instant.now();

        assertEquals("asked", claims.claim(c, entry("asked"), now).id());
        OutboxStore.Due first = claims.next();
        assertEquals(first.entry().nextAttemptAt, first.at(), "due an hour ago, not now");
        assertTrue(first.at().isBefore(now.minusSeconds(3000)));
        List<String> handedOut = new ArrayList<>();
        for (OutboxStore.Due d = first; d != null; d = claims.next()) {
            handedOut.add(claims.take(d.entry()).id());
        }
        assertEquals(stored, handedOut, "all due at the same time: in the order they were stored");
    }
}
