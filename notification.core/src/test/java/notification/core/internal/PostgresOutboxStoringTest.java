package notification.core.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.zaxxer.hikari.HikariDataSource;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import notification.api.DeliveryState;
import notification.testkit.postgresql.PostgresServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The PostgreSQL outbox storing, retrying and forgetting entries, and taking new submits as they are stored. */
class PostgresOutboxStoringTest {
    @RegisterExtension
    static final FreshDatabase DB = new FreshDatabase("outbox_storing");
    /** So long that the store's own regular wake-up never comes during a test. */
    private static final Duration NEVER = Duration.ofHours(1);
    @TempDir
    Path dir;

    private PostgresOutbox open(String node, Clock clock, Duration poll) throws IOException {
        HikariDataSource ds = PostgresOutboxTest.pool(DB.url(), DB.server().password());
        DB.closedAfter(ds);
        PostgresOutbox outbox = new PostgresOutbox(ds, new PostgresSettings(node, DB.url(), PostgresServer.USER,
                Duration.ofMinutes(1), poll), clock, dir.resolve(node));
        DB.closedAfter(outbox);
        return outbox;
    }

    private PostgresOutbox open(String node) throws IOException {
        return open(node, Clock.systemUTC(), NEVER);
    }

    private static StoredEntry add(OutboxStore outbox, String id, byte[] body) throws IOException {
        return PostgresOutboxTest.add(outbox, id, body, "a@example.com");
    }

    private static byte[] message(int size) {
        byte[] body = new byte[size];
        Arrays.fill(body, (byte) 'x');
        return body;
    }

    private static void sql(String statement) throws Exception {
        try (HikariDataSource ds = PostgresOutboxTest.pool(DB.url(), DB.server().password());
                Connection c = ds.getConnection(); Statement s = c.createStatement()) {
            s.execute(statement);
        }
    }

    private static String text(String query) throws Exception {
        try (HikariDataSource ds = PostgresOutboxTest.pool(DB.url(), DB.server().password());
                Connection c = ds.getConnection(); Statement s = c.createStatement();
                ResultSet r = s.executeQuery(query)) {
            return r.next() ? r.getString(1) : null;
        }
    }

    private static String state(String id) throws Exception {
        return text("SELECT state FROM outbox_entry WHERE id = '" + id + "'");
    }

    /** Makes the node keep up with its mail: a claim that leaves nothing due behind. */
    private static Dispatch catchUp(PostgresOutbox outbox) throws IOException {
        add(outbox, "first", message(10));
        OutboxStore.Due due = outbox.peekDue();
        assertNotNull(due);
        Dispatch d = outbox.claim(due);
        assertNotNull(d);
        return d;
    }

    private static Dispatch take(PostgresOutbox outbox, StoredEntry e) {
        return outbox.claim(new OutboxStore.Due(e, Instant.now(), 1));
    }

    @Test
    void retryRequeuesAFailedEntryAndSaysSoButRefusesUnknownSentAndSendingOnes() throws Exception {
        PostgresOutbox outbox = open("node-a");
        add(outbox, "failed", message(10));
        add(outbox, "sent", message(10));
        add(outbox, "sending", message(10));
        sql("UPDATE outbox_entry SET state = 'FAILED', pending = '{}', failed = '{a@example.com}' WHERE id = 'failed'");
        sql("UPDATE outbox_entry SET state = 'SENT', pending = '{}' WHERE id = 'sent'");
        sql("UPDATE outbox_entry SET state = 'SENDING', state_before_sending = 'QUEUED', lease_node = 'node-b',"
                + " lease_until = now() + interval '1 hour' WHERE id = 'sending'");

        assertTrue(outbox.retry("failed"));
        assertEquals(DeliveryState.QUEUED, outbox.find("failed").orElseThrow().state());
        assertEquals(List.of("a@example.com"), outbox.find("failed").orElseThrow().pendingRecipients());
        assertFalse(outbox.retry("unknown"));
        assertFalse(outbox.retry("sent"));
        assertFalse(outbox.retry("sending"));
        assertEquals("SENT", state("sent"));
        assertEquals("SENDING", state("sending"));
    }

    @Test
    void retryAddsEachFailedRecipientToThePendingOnesOnce() throws Exception {
        PostgresOutbox outbox = open("node-a");
        add(outbox, "partly", message(10));
        sql("UPDATE outbox_entry SET state = 'FAILED', pending = '{a@example.com}',"
                + " failed = '{a@example.com,b@example.com}' WHERE id = 'partly'");

        assertTrue(outbox.retry("partly"));
        assertEquals(List.of("a@example.com", "b@example.com"),
                outbox.find("partly").orElseThrow().pendingRecipients());
    }

    @Test
    void aRefusedRetryLeavesTheEntryUnlockedForTheNextRetry() throws Exception {
        PostgresOutbox outbox = open("node-a");
        add(outbox, "sent", message(10));
        sql("UPDATE outbox_entry SET state = 'SENT', pending = '{}' WHERE id = 'sent'");
        for (int i = 0; i < 8; i++) { // more than the pool's connections: each must come back without the row lock
            assertFalse(outbox.retry("sent"));
        }
        sql("SET lock_timeout = '5s'; UPDATE outbox_entry SET subject = 'changed' WHERE id = 'sent'");
        assertEquals("changed", text("SELECT subject FROM outbox_entry WHERE id = 'sent'"));
    }

    @Test
    void retryAndSubmitWakeTheDispatcher() throws Exception {
        PostgresOutbox outbox = open("node-a");
        AtomicInteger wakes = new AtomicInteger();
        outbox.onChange(wakes::incrementAndGet);
        add(outbox, "small", message(10));
        assertEquals(1, wakes.get());
        add(outbox, "large", message(Outbox.INLINE_LIMIT + 1));
        assertEquals(2, wakes.get());
        sql("UPDATE outbox_entry SET state = 'FAILED' WHERE id = 'small'");
        assertTrue(outbox.retry("small"));
        assertEquals(3, wakes.get());
    }

    @Test
    void theStoreWakesTheDispatcherRegularlyToFindOtherNodesWork() throws Exception {
        PostgresOutbox outbox = open("node-a", Clock.systemUTC(), Duration.ofMillis(50));
        CountDownLatch woken = new CountDownLatch(3);
        outbox.onChange(woken::countDown);
        assertTrue(woken.await(60, TimeUnit.SECONDS), "the store never woke the dispatcher by itself");
    }

    @Test
    void aLargeSubmitLeavesNoSpillFileBehind() throws Exception {
        PostgresOutbox outbox = open("node-a");
        add(outbox, "large", message(Outbox.INLINE_LIMIT + 1));
        try (var files = Files.list(dir.resolve("node-a"))) {
            assertEquals(List.of(), files.toList());
        }
        assertEquals(Outbox.INLINE_LIMIT + 1, outbox.find("large").orElseThrow().size());
    }

    @Test
    void aSmallSubmitKeepsItsOnBehalfSender() throws Exception {
        PostgresOutbox outbox = open("node-a");
        StoredEntry e = new StoredEntry("behalf", "<behalf@test>", "ref", "subject", List.of("a@example.com"),
                "Ann Example", "ann@example.com", Instant.now());
        SpillBuffer body = outbox.newBody("behalf");
        body.write(message(10));
        outbox.submit(e, body);
        assertEquals("Ann Example|ann@example.com",
                text("SELECT on_behalf_name || '|' || on_behalf_address FROM outbox_entry WHERE id = 'behalf'"));
    }

    @Test
    void pruneForgetsSentEntriesOlderThanADayAndKeepsNewerOnesAndUnsentOnes() throws Exception {
        Instant now = Instant.parse("2026-06-01T12:00:00Z");
        PostgresOutbox outbox = open("node-a", Clock.fixed(now, ZoneOffset.UTC), NEVER);
        add(outbox, "old", message(10));
        add(outbox, "recent", message(10));
        add(outbox, "oldQueued", message(10));
        sql("UPDATE outbox_entry SET state = 'SENT', updated_at = '" + now.minus(Outbox.KEEP_SENT).minusSeconds(60)
                + "' WHERE id = 'old'");
        sql("UPDATE outbox_entry SET state = 'SENT', updated_at = '" + now.minus(Outbox.KEEP_SENT).plusSeconds(60)
                + "' WHERE id = 'recent'");
        sql("UPDATE outbox_entry SET updated_at = '2020-01-01T00:00:00Z' WHERE id = 'oldQueued'");

        outbox.prune();
        assertTrue(outbox.find("old").isEmpty());
        assertTrue(outbox.find("recent").isPresent());
        assertTrue(outbox.find("oldQueued").isPresent());
    }

    @Test
    void pruneKeepsOnlyTheNewestSentEntriesBeyondTheLimit() throws Exception {
        PostgresOutbox outbox = open("node-a");
        add(outbox, "queued", message(10));
        sql("INSERT INTO outbox_entry (id, message_id, subject, recipients, created_at, size, state, pending,"
                + " lifetime_start, next_attempt_at, updated_at) SELECT 'sent-' || i, '<' || i || '@test>', 's',"
                + " '{a@example.com}', now(), 1, 'SENT', '{}', now(), now(), now() FROM generate_series(1, "
                + (Outbox.MAX_SENT + 2) + ") i");

        outbox.prune();
        assertEquals(String.valueOf(Outbox.MAX_SENT), text("SELECT count(*) FROM outbox_entry WHERE state = 'SENT'"));
        assertTrue(outbox.find("sent-1").isEmpty());
        assertTrue(outbox.find("sent-2").isEmpty());
        assertTrue(outbox.find("sent-3").isPresent());
        assertTrue(outbox.find("queued").isPresent());
    }

    @Test
    void aNodeThatKeepsUpTakesItsNextSubmitsAsTheyAreStored() throws Exception {
        PostgresOutbox outbox = open("node-a");
        catchUp(outbox);
        add(outbox, "second", message(10));
        add(outbox, "third", message(10));
        assertEquals("SENDING", state("second"));
        assertEquals("SENDING", state("third"), "a submit taken at once does not stop the next from being taken");
    }

    @Test
    void aLargeSubmitMakesTheNextSmallOneWaitItsTurnInTheDatabase() throws Exception {
        PostgresOutbox outbox = open("node-a");
        catchUp(outbox);
        add(outbox, "large", message(Outbox.INLINE_LIMIT + 1));
        add(outbox, "small", message(10));
        assertEquals("QUEUED", state("large"));
        assertEquals("QUEUED", state("small"));
    }

    @Test
    void aSubmitNotTakenForWantOfRoomMakesTheNextOnesWaitInTheDatabaseToo() throws Exception {
        PostgresOutbox outbox = open("node-a");
        catchUp(outbox);
        List<StoredEntry> taken = new ArrayList<>();
        for (int i = 0; i < PostgresClaims.BATCH; i++) {
            taken.add(add(outbox, "taken-" + i, message(10)));
        }
        taken.forEach(e -> assertEquals(DeliveryState.SENDING, e.state));
        add(outbox, "waits", message(10));
        assertEquals("QUEUED", state("waits"));
        for (StoredEntry e : taken) {
            assertNotNull(take(outbox, e));
        }
        add(outbox, "behind", message(10));
        assertEquals("QUEUED", state("behind"), "a submit must not pass one that waits in the database");
    }

    @Test
    void aSubmitTakenAsItWasStoredIsNotOfferedAgainWhileItIsSent() throws Exception {
        PostgresOutbox outbox = open("node-a");
        catchUp(outbox);
        StoredEntry e = add(outbox, "second", message(10));
        assertEquals(DeliveryState.SENDING, e.state);
        assertNotNull(take(outbox, e));
        assertNull(outbox.peekDue(), "nothing is due: this node sends both entries");
    }

    @Test
    void aMessageOfExactlyTheInlineSizeTakenAsItWasStoredIsSentFromMemory() throws Exception {
        PostgresOutbox outbox = open("node-a");
        catchUp(outbox);
        byte[] body = message(PostgresClaims.INLINE);
        StoredEntry e = add(outbox, "edge", body);
        assertEquals(DeliveryState.SENDING, e.state);
        Dispatch d = take(outbox, e);
        assertNotNull(d);
        sql("UPDATE outbox_entry SET message = NULL WHERE id = 'edge'"); // only the copy in memory is left
        try (InputStream in = outbox.open(d)) {
            assertArrayEquals(body, in.readAllBytes());
        }
    }

    @Test
    void peekDueOffersAnEntryItLookedUpAgainUntilItIsClaimed() throws Exception {
        PostgresOutbox outbox = open("node-a");
        add(outbox, "waiting", message(10));
        OutboxStore.Due first = outbox.peekDue();
        assertNotNull(first);
        OutboxStore.Due again = outbox.peekDue();
        assertNotNull(again, "an entry due stays offered until it is claimed");
        assertEquals("waiting", again.entry().id);
    }
}
