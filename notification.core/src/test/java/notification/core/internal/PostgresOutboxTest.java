package notification.core.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.zaxxer.hikari.HikariDataSource;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import notification.api.DeliveryState;
import notification.api.OutboxEntry;
import notification.api.NotificationStoreException;
import notification.api.transport.DeliveryResult;
import notification.testkit.postgresql.PostgresServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The PostgreSQL outbox against a real server: chunks, leases shared by nodes, and the sentences for faults. */
class PostgresOutboxTest {
    private static final RetrySchedule SCHEDULE = new RetrySchedule(Duration.ofMinutes(5), Duration.ofHours(1),
            Duration.ofDays(5));
    @RegisterExtension
    static final FreshDatabase DB = new FreshDatabase("outbox");
    @TempDir
    Path dir;

    static HikariDataSource pool(String url, String password) {
        return pool(url, password, Duration.ofSeconds(15));
    }

    /** A pool that gives up on a connection after the given time (short where the database is meant to be down). */
    static HikariDataSource pool(String url, String password, Duration connectionTimeout) {
        HikariDataSource ds = new HikariDataSource();
        ds.setJdbcUrl(url);
        ds.setUsername(PostgresServer.USER);
        ds.setPassword(password);
        ds.setMaximumPoolSize(4);
        ds.setConnectionTimeout(connectionTimeout.toMillis());
        ds.setInitializationFailTimeout(-1);
        // as the product's pool (PostgresPoolComponent): an answer that never comes fails the call
        ds.addDataSourceProperty("socketTimeout", "30");
        ds.addDataSourceProperty("tcpKeepAlive", "true");
        return ds;
    }

    private PostgresOutbox open(String node, Duration lease) throws IOException {
        return open(node, lease, Duration.ofSeconds(15));
    }

    private PostgresOutbox open(String node, Duration lease, Duration connectionTimeout) throws IOException {
        HikariDataSource ds = pool(DB.url(), DB.server().password(), connectionTimeout);
        DB.closedAfter(ds);
        PostgresOutbox outbox = new PostgresOutbox(ds, new PostgresSettings(node, DB.url(),
                PostgresServer.USER, lease, Duration.ofMillis(200)), Clock.systemUTC(), dir.resolve(node));
        DB.closedAfter(outbox);
        return outbox;
    }

    static StoredEntry add(OutboxStore outbox, String id, byte[] body, String... recipients) throws IOException {
        StoredEntry e = new StoredEntry(id, "<" + id + "@test>", "ref-" + id, "subject " + id, List.of(recipients),
                null, null, Instant.now());
        SpillBuffer buffer = outbox.newBody(id);
        buffer.write(body);
        outbox.submit(e, buffer);
        return e;
    }

    static byte[] read(OutboxStore outbox, Dispatch d) throws IOException {
        try (InputStream in = outbox.open(d)) {
            return in.readAllBytes();
        }
    }

    private Dispatch claimNext(OutboxStore outbox) {
        OutboxStore.Due due = outbox.peekDue();
        return due == null ? null : outbox.claim(due);
    }

    private long chunks(String id) throws Exception {
        try (HikariDataSource ds = pool(DB.url(), DB.server().password());
                Connection c = ds.getConnection(); Statement s = c.createStatement();
                ResultSet r = s.executeQuery("SELECT count(*) FROM outbox_chunk WHERE entry_id = '" + id + "'")) {
            r.next();
            return r.getLong(1);
        }
    }

    @Test
    void aSmallMessageIsKeptInItsEntrysRowWithoutAChunkAndClearedOnceSent() throws Exception {
        PostgresOutbox outbox = open("node-a", Duration.ofMinutes(1));
        byte[] body = "Subject: small\r\n\r\nbody".getBytes(StandardCharsets.US_ASCII);
        add(outbox, "small", body, "a@example.com");
        assertEquals(0, chunks("small"));
        assertEquals(body.length, rowMessageLength("small"));

        Dispatch d = claimNext(outbox);
        assertNotNull(d);
        assertArrayEquals(body, read(outbox, d));
        assertTrue(outbox.finish(d, DeliveryOutcome.of(d.entry(), DeliveryResult.sent("250 ok"), SCHEDULE, Instant.now()),
                "relay"));
        assertEquals(DeliveryState.SENT, outbox.find("small").orElseThrow().state());
        assertEquals(-1, rowMessageLength("small"), "a sent message's bytes are cleared from its row");
    }

    @Test
    void aDatabaseMadeByTheOldSchemaMigratesAndItsChunkedEntryIsStillSent() throws Exception {
        byte[] body = "Subject: old\r\n\r\nstored before migration 3".getBytes(StandardCharsets.US_ASCII);
        try (HikariDataSource ds = pool(DB.url(), DB.server().password()); Connection c = ds.getConnection();
                Statement s = c.createStatement()) {
            // what a node of the previous version left: scripts 1 and 2 applied, an entry with its message as a chunk
            s.execute("CREATE TABLE notification_schema_version (version integer PRIMARY KEY, script text NOT NULL,"
                    + " applied_at timestamptz NOT NULL DEFAULT now())");
            List<String> old = List.of("1-outbox.sql", "2-sending-budget.sql");
            for (int v = 1; v <= old.size(); v++) {
                try (InputStream in = PostgresSchema.class.getResourceAsStream("postgresql/" + old.get(v - 1))) {
                    s.execute(new String(in.readAllBytes(), StandardCharsets.UTF_8));
                }
                s.execute("INSERT INTO notification_schema_version (version, script) VALUES (" + v + ", '"
                        + old.get(v - 1) + "')");
            }
            s.execute("INSERT INTO outbox_entry (id, message_id, subject, recipients, created_at, size, state, pending,"
                    + " lifetime_start, next_attempt_at, updated_at) VALUES ('old', '<old@test>', 'old', '{a@example.com}',"
                    + " now(), " + body.length + ", 'QUEUED', '{a@example.com}', now(), now() - interval '1 second',"
                    + " now())");
            try (var p = c.prepareStatement("INSERT INTO outbox_chunk (entry_id, seq, data) VALUES ('old', 0, ?)")) {
                p.setBytes(1, body);
                p.executeUpdate();
            }
        }

        PostgresOutbox outbox = open("node-a", Duration.ofMinutes(1));
        Dispatch d = claimNext(outbox);
        assertNotNull(d, "the old entry is due after the migration");
        assertEquals("<old@test>", d.entry().messageId);
        assertArrayEquals(body, read(outbox, d));
        assertTrue(outbox.finish(d, DeliveryOutcome.of(d.entry(), DeliveryResult.sent("250 ok"), SCHEDULE, Instant.now()),
                "relay"));
        assertEquals(DeliveryState.SENT, outbox.find("old").orElseThrow().state());
        assertEquals(0, chunks("old"), "its chunk is deleted once sent, as before");
        assertEquals(-1, rowMessageLength("old"));
        assertEquals(PostgresSchema.SCRIPTS.size(), schemaVersion(), "every script applied, each once");
        assertEquals(List.of("outbox_entry_due", "outbox_entry_leased", "outbox_entry_pkey", "outbox_entry_sequence_key"),
                indexes("outbox_entry"), "migration 4 dropped the index on the state that every claim and outcome"
                + " rewrote");
    }

    private List<String> indexes(String table) throws Exception {
        try (HikariDataSource ds = pool(DB.url(), DB.server().password());
                Connection c = ds.getConnection(); Statement s = c.createStatement();
                ResultSet r = s.executeQuery("SELECT indexname FROM pg_indexes WHERE tablename = '" + table
                        + "' ORDER BY indexname")) {
            List<String> names = new ArrayList<>();
            while (r.next()) {
                names.add(r.getString(1));
            }
            return names;
        }
    }

    /** The length of the message kept in the entry's row, -1 if none. */
    private long rowMessageLength(String id) throws Exception {
        try (HikariDataSource ds = pool(DB.url(), DB.server().password());
                Connection c = ds.getConnection(); Statement s = c.createStatement();
                ResultSet r = s.executeQuery("SELECT coalesce(octet_length(message), -1) FROM outbox_entry WHERE id = '"
                        + id + "'")) {
            r.next();
            return r.getLong(1);
        }
    }

    private int schemaVersion() throws Exception {
        try (HikariDataSource ds = pool(DB.url(), DB.server().password());
                Connection c = ds.getConnection(); Statement s = c.createStatement();
                ResultSet r = s.executeQuery("SELECT max(version) FROM notification_schema_version")) {
            r.next();
            return r.getInt(1);
        }
    }

    @Test
    void aLargeScanIsStoredInChunksAndReadBackByteForByte() throws Exception {
        PostgresOutbox outbox = open("node-a", Duration.ofMinutes(1));
        byte[] scan = new byte[3 * PostgresChunks.CHUNK + 12345];
        new Random(7).nextBytes(scan);
        add(outbox, "large", scan, "a@example.com");
        assertEquals(4, chunks("large"));

        Dispatch d = claimNext(outbox);
        assertNotNull(d);
        assertEquals(scan.length, d.entry().size);
        assertArrayEquals(scan, read(outbox, d));
        assertTrue(outbox.finish(d, DeliveryOutcome.of(d.entry(), DeliveryResult.sent("250 ok"), SCHEDULE, Instant.now()),
                "relay"));
        assertEquals(DeliveryState.SENT, outbox.find("large").orElseThrow().state());
        assertEquals(0, chunks("large"), "a sent message's bytes are deleted");
    }

    @Test
    void aScanRenderedInSmallPiecesIsStoredWholeIncludingTheLastBufferedPiece() throws Exception {
        PostgresOutbox outbox = open("node-a", Duration.ofMinutes(1));
        byte[] scan = new byte[PostgresChunks.CHUNK + 5000];
        new Random(11).nextBytes(scan);
        StoredEntry e = new StoredEntry("pieces", "<pieces@test>", "ref-pieces", "subject", List.of("a@example.com"),
                null, null, Instant.now());
        SpillBuffer buffer = outbox.newBody("pieces");
        for (int off = 0; off < scan.length; off += 1000) {
            buffer.write(scan, off, Math.min(1000, scan.length - off)); // as a renderer writes: the tail stays buffered
        }
        outbox.submit(e, buffer);
        assertEquals(2, chunks("pieces"));

        Dispatch d = claimNext(outbox);
        assertNotNull(d);
        assertArrayEquals(scan, read(outbox, d));
    }

    @Test
    void aMissingChunkIsAnErrorNamingTheEntryAndHowFarTheReadGotAndTheEntryCanBeSetAside() throws Exception {
        PostgresOutbox outbox = open("node-a", Duration.ofMinutes(1));
        byte[] scan = new byte[2 * PostgresChunks.CHUNK + 10];
        new Random(8).nextBytes(scan);
        add(outbox, "large", scan, "a@example.com");
        try (HikariDataSource ds = pool(DB.url(), DB.server().password()); Connection c = ds.getConnection();
                Statement s = c.createStatement()) {
            s.executeUpdate("DELETE FROM outbox_chunk WHERE entry_id = 'large' AND seq = 1");
        }
        Dispatch d = claimNext(outbox);
        assertNotNull(d);
        IOException e = assertThrows(IOException.class, () -> read(outbox, d));
        assertEquals("the stored message of large is missing from the database after " + PostgresChunks.CHUNK + " of "
                + scan.length + " bytes", e.getMessage());
        outbox.quarantine(d, "the message cannot be read: " + e.getMessage());
        assertEquals(DeliveryState.QUARANTINED, outbox.find("large").orElseThrow().state());
    }

    @Test
    void aMessageWhoseReadWasCutByTheDatabaseGoingAwayStaysQueuedInsteadOfBeingSetAside() throws Exception {
        PostgresOutbox outbox = open("node-a", Duration.ofMinutes(1), Duration.ofSeconds(3));
        byte[] scan = new byte[2 * PostgresChunks.CHUNK + 10];
        new Random(9).nextBytes(scan);
        add(outbox, "large", scan, "a@example.com");
        Dispatch d = claimNext(outbox);
        assertNotNull(d);
        try (HikariDataSource ds = pool(DB.url(), DB.server().password()); Connection c = ds.getConnection();
                Statement s = c.createStatement()) {
            s.execute("CHECKPOINT"); // the claim commits without waiting for the disk: make it outlive the halt
        }
        try (InputStream in = outbox.open(d)) {
            assertEquals(PostgresChunks.CHUNK, in.readNBytes(PostgresChunks.CHUNK).length);
            DB.server().halt();
            try {
                IOException e = assertThrows(IOException.class, in::read);
                assertTrue(e.getMessage().startsWith("the stored message of large cannot be read from the database"),
                        e.getMessage());
            } finally {
                DB.server().resume();
            }
        }
        // a read tries past the pool's connections that died with the server; the hand-back below is a single write
        outbox.counts();
        outbox.quarantine(d, "the message cannot be read");
        OutboxEntry entry = outbox.find("large").orElseThrow();
        assertEquals(DeliveryState.QUEUED, entry.state());
        Dispatch again = claimNext(outbox);
        assertNotNull(again);
        assertArrayEquals(scan, read(outbox, again));
    }

    @Test
    void anOutcomeMeetingPooledConnectionsThatDiedWithTheirSessionsIsRecordedOnALiveOne() throws Exception {
        PostgresOutbox outbox = open("node-a", Duration.ofMinutes(1));
        try (HikariDataSource ds = pool(DB.url(), DB.server().password()); Connection c = ds.getConnection();
                Statement admin = c.createStatement()) {
            Dispatch d = claimedThenSessionsEnded(outbox, admin, "restarted");

            assertTrue(outbox.finish(d, DeliveryOutcome.of(d.entry(), DeliveryResult.sent("250 ok"), SCHEDULE,
                    Instant.now()), "relay"), "the outcome counts: the message is not sent again");
            assertEquals(DeliveryState.SENT, outbox.find("restarted").orElseThrow().state());
        }
    }

    @Test
    void aHandBackMeetingPooledConnectionsThatDiedWithTheirSessionsReturnsTheEntryAtOnce() throws Exception {
        PostgresOutbox outbox = open("node-a", Duration.ofMinutes(10));
        try (HikariDataSource ds = pool(DB.url(), DB.server().password()); Connection c = ds.getConnection();
                Statement admin = c.createStatement()) {
            Dispatch d = claimedThenSessionsEnded(outbox, admin, "handed-back");

            outbox.handBack(d);
            try (ResultSet r = admin.executeQuery("SELECT state, lease_node FROM outbox_entry WHERE id = 'handed-back'")) {
                assertTrue(r.next());
                assertEquals("QUEUED", r.getString(1), "not left SENDING until its ten-minute lease runs out");
                assertNull(r.getString(2));
            }
        }
    }

    /**
     * Stores and claims an entry, then ends every other session on the test's database, as a restart of the server
     * does, under connections the store's pool lent a moment ago (which it lends again without checking them).
     */
    private Dispatch claimedThenSessionsEnded(PostgresOutbox outbox, Statement admin, String id) throws Exception {
        add(outbox, id, "hello".getBytes(StandardCharsets.UTF_8), "a@example.com");
        Dispatch d = claimNext(outbox);
        assertNotNull(d);
        endOtherSessions(admin);
        return d;
    }

    /** Ends every other session on the test's database and waits until they have ended. */
    private static void endOtherSessions(Statement admin) throws Exception {
        List<Integer> ended = new ArrayList<>();
        try (ResultSet r = admin.executeQuery("SELECT pid, pg_terminate_backend(pid) FROM pg_stat_activity"
                + " WHERE datname = current_database() AND pid <> pg_backend_pid()")) {
            while (r.next()) {
                ended.add(r.getInt(1));
            }
        }
        assertFalse(ended.isEmpty(), "the store holds pooled connections");
        String still = "SELECT count(*) FROM pg_stat_activity WHERE pid IN ("
                + String.join(", ", ended.stream().map(String::valueOf).toList()) + ")";
        for (;;) {
            try (ResultSet r = admin.executeQuery(still)) {
                r.next();
                if (r.getLong(1) == 0) {
                    return;
                }
            }
            Thread.sleep(5);
        }
    }

    @Test
    void anEntryIsHandedToOneNodeAtATime() throws Exception {
        PostgresOutbox a = open("node-a", Duration.ofMinutes(1));
        PostgresOutbox b = open("node-b", Duration.ofMinutes(1));
        add(a, "one", "Subject: one\r\n\r\nbody".getBytes(StandardCharsets.US_ASCII), "a@example.com");

        OutboxStore.Due seenByB = b.peekDue();
        Dispatch d = claimNext(a);
        assertNotNull(d);
        assertNull(b.claim(seenByB), "node b cannot take what node a is sending");
        assertEquals(DeliveryState.SENDING, b.find("one").orElseThrow().state());
        assertFalse(b.discard("one"), "an entry being sent cannot be discarded from another node");
    }

    @Test
    void aDeadNodesEntryIsSentByAnotherOnceItsLeaseRunsOutWithTheSameMessageId() throws Exception {
        PostgresOutbox a = open("node-a", Duration.ofMillis(600));
        PostgresOutbox b = open("node-b", Duration.ofMinutes(1));
        byte[] body = "Subject: one\r\n\r\nbody".getBytes(StandardCharsets.US_ASCII);
        add(a, "one", body, "a@example.com");
        Dispatch first = claimNext(a);
        assertNotNull(first);
        a.close(); // stops renewing; as if the node were killed, its claim stays in the database
        // (close hands back what it holds; a killed node does not: take the claim back as it was)
        Dispatch again = claimAfterKill(a, b, first);
        assertEquals("<one@test>", again.entry().messageId);
        assertArrayEquals(body, read(b, again));
        assertFalse(a.finish(first, DeliveryOutcome.of(first.entry(), DeliveryResult.sent("250 ok"), SCHEDULE, Instant.now()),
                "relay"), "the dead node's late outcome no longer counts");
        assertTrue(b.finish(again, DeliveryOutcome.of(again.entry(), DeliveryResult.sent("250 ok"), SCHEDULE, Instant.now()),
                "relay"));
    }

    private Dispatch claimAfterKill(PostgresOutbox a, PostgresOutbox b, Dispatch first) throws Exception {
        try (HikariDataSource ds = pool(DB.url(), DB.server().password());
                Connection c = ds.getConnection(); Statement s = c.createStatement()) {
            s.executeUpdate("UPDATE outbox_entry SET state = 'SENDING', state_before_sending = 'QUEUED', lease_node ="
                    + " 'node-a', lease_until = clock_timestamp() + interval '600 milliseconds', lease_token = "
                    + first.token() + " WHERE id = 'one'");
        }
        assertNull(claimNext(b), "the lease still runs");
        Instant deadline = Instant.now().plusSeconds(10);
        while (Instant.now().isBefore(deadline)) {
            Dispatch d = claimNext(b);
            if (d != null) {
                return d;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("node b never took the expired claim");
    }

    @Test
    void aClaimWhoseAnswerWasLostIsTakenAgainByTheSameNodeWhenItsLeaseRunsOut() throws Exception {
        PostgresOutbox a = open("node-a", Duration.ofMillis(600));
        byte[] body = "Subject: one\r\n\r\nbody".getBytes(StandardCharsets.US_ASCII);
        add(a, "one", body, "a@example.com");
        // the claim committed, but the connection broke before node a had its answer: node a does not know it holds it
        try (HikariDataSource ds = pool(DB.url(), DB.server().password());
                Connection c = ds.getConnection(); Statement s = c.createStatement()) {
            s.executeUpdate("UPDATE outbox_entry SET state = 'SENDING', state_before_sending = 'QUEUED', lease_node ="
                    + " 'node-a', lease_until = clock_timestamp() + interval '600 milliseconds', lease_token = 1"
                    + " WHERE id = 'one'");
        }
        OutboxStore.Due due = a.peekDue();
        assertNotNull(due, "node a still sees the entry it does not know it holds");
        assertNull(a.claim(due), "not before the lease runs out");
        Thread.sleep(800); // the lease's 600 ms run out
        Instant pickersNow = Instant.now();
        OutboxStore.Due expired = a.peekDue();
        assertFalse(expired.at().isAfter(pickersNow), "an expired lease is due already for a picker that read the"
                + " clock first, not at the store's own later now");
        Dispatch again = a.claim(expired);
        assertNotNull(again, "node a takes the entry again");
        assertEquals("<one@test>", again.entry().messageId);
        assertArrayEquals(body, read(a, again));
        assertTrue(a.finish(again, DeliveryOutcome.of(again.entry(), DeliveryResult.sent("250 ok"), SCHEDULE,
                Instant.now()), "relay"));
        assertEquals(DeliveryState.SENT, a.find("one").orElseThrow().state());
    }

    @Test
    void anEntryThisNodeIsSendingIsNotOfferedToItAgain() throws Exception {
        PostgresOutbox a = open("node-a", Duration.ofMillis(600));
        add(a, "one", "Subject: one\r\n\r\nbody".getBytes(StandardCharsets.US_ASCII), "a@example.com");
        Dispatch d = claimNext(a);
        assertNotNull(d);
        Thread.sleep(1000); // beyond the lease's length: renewed meanwhile
        assertNull(a.peekDue(), "what the node sends itself is not due for it");
        assertTrue(a.finish(d, DeliveryOutcome.of(d.entry(), DeliveryResult.sent("250 ok"), SCHEDULE, Instant.now()),
                "relay"));
    }

    @Test
    void aLongSendKeepsItsClaimBecauseTheLeaseIsRenewed() throws Exception {
        PostgresOutbox a = open("node-a", Duration.ofMillis(600));
        PostgresOutbox b = open("node-b", Duration.ofMinutes(1));
        add(a, "one", "Subject: one\r\n\r\nbody".getBytes(StandardCharsets.US_ASCII), "a@example.com");
        Dispatch d = claimNext(a);
        assertNotNull(d);
        for (int i = 0; i < 10; i++) {
            Thread.sleep(200); // three lease lengths in all
            assertNull(claimNext(b), "node b never takes a renewed claim");
        }
        assertTrue(a.finish(d, DeliveryOutcome.of(d.entry(), DeliveryResult.sent("250 ok"), SCHEDULE, Instant.now()),
                "relay"));
    }

    @Test
    void aClaimTakesTheNextDueEntriesAlongAndHandsBackThoseNotStartedInTime() throws Exception {
        PostgresOutbox a = open("node-a", Duration.ofMinutes(1));
        PostgresOutbox b = open("node-b", Duration.ofMinutes(1));
        for (String id : List.of("one", "two", "three")) {
            add(a, id, ("Subject: " + id + "\r\n\r\nbody").getBytes(StandardCharsets.US_ASCII), "a@example.com");
        }
        Dispatch first = claimNext(a);
        assertEquals("one", first.id());
        assertEquals(DeliveryState.SENDING, a.find("two").orElseThrow().state(), "taken along with the first");
        assertNull(claimNext(b), "node b finds nothing: node a holds all three");
        Dispatch second = claimNext(a);
        assertEquals("two", second.id(), "the next one comes without a query, in order");
        assertArrayEquals("Subject: two\r\n\r\nbody".getBytes(StandardCharsets.US_ASCII), read(a, second));

        Thread.sleep(PostgresClaims.STALE.toMillis() + 200); // no transport took "three" meanwhile
        OutboxStore.Due due = a.peekDue();
        assertEquals("three", due.entry().id);
        assertEquals(DeliveryState.QUEUED, a.find("three").orElseThrow().state(), "handed back, unchanged");
        Dispatch third = claimNext(b);
        assertEquals("three", third.id(), "another node can send it now");
        assertEquals(0, third.entry().attempts);
        assertTrue(a.finish(first, DeliveryOutcome.of(first.entry(), DeliveryResult.sent("250 ok"), SCHEDULE,
                Instant.now()), "relay"));
    }

    @Test
    void concurrentSubmitsAreStoredTogetherAndABadOneFailsAlone() throws Exception {
        PostgresOutbox a = open("node-a", Duration.ofMinutes(1));
        add(a, "taken", "Subject: x\r\n\r\nx".getBytes(StandardCharsets.US_ASCII), "a@example.com");
        List<Thread> threads = new ArrayList<>();
        List<String> failed = java.util.Collections.synchronizedList(new ArrayList<>());
        for (int i = 0; i < 24; i++) {
            String id = i == 11 ? "taken" : "entry-" + i; // the same id again: refused by the primary key
            threads.add(new Thread(() -> {
                try {
                    add(a, id, ("Subject: " + id + "\r\n\r\n" + id).getBytes(StandardCharsets.US_ASCII),
                            "a@example.com");
                } catch (NotificationStoreException | IOException e) {
                    failed.add(id);
                }
            }));
        }
        threads.forEach(Thread::start);
        for (Thread t : threads) {
            t.join();
        }
        assertEquals(List.of("taken"), failed);
        assertEquals(24L, a.counts().get(DeliveryState.QUEUED));
        for (int i = 0; i < 24; i++) {
            Dispatch d = claimNext(a);
            String text = d.id().equals("taken") ? "x" : d.id();
            assertEquals("Subject: " + text + "\r\n\r\n" + text, new String(read(a, d), StandardCharsets.US_ASCII));
        }
    }

    @Test
    void concurrentOutcomesAreRecordedTogetherAndEachCountsOnlyForItsOwnAttempt() throws Exception {
        PostgresOutbox a = open("node-a", Duration.ofMinutes(1));
        for (int i = 0; i < 12; i++) {
            add(a, "entry-" + i, ("Subject: " + i + "\r\n\r\n" + i).getBytes(StandardCharsets.US_ASCII),
                    "a@example.com", "b@example.com");
        }
        List<Dispatch> taken = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            taken.add(claimNext(a));
        }
        Dispatch handedBack = taken.get(5);
        a.handBack(handedBack); // its outcome, arriving late, must not count
        Instant now = Instant.now();
        java.util.Map<String, Boolean> counted = new java.util.concurrent.ConcurrentHashMap<>();
        java.util.concurrent.CountDownLatch start = new java.util.concurrent.CountDownLatch(1);
        List<Thread> threads = new ArrayList<>();
        for (Dispatch d : taken) {
            boolean sent = taken.indexOf(d) % 3 != 0;
            DeliveryOutcome o = DeliveryOutcome.of(d.entry(), sent ? DeliveryResult.sent("250 ok")
                    : DeliveryResult.transientFailure("421 busy"), SCHEDULE, now);
            threads.add(new Thread(() -> {
                try {
                    start.await();
                } catch (InterruptedException e) {
                    return;
                }
                counted.put(d.id(), a.finish(d, o, "relay"));
            }));
        }
        threads.forEach(Thread::start);
        start.countDown();
        for (Thread t : threads) {
            t.join();
        }
        for (Dispatch d : taken) {
            OutboxEntry e = a.find(d.id()).orElseThrow();
            if (d == handedBack) {
                assertFalse(counted.get(d.id()), "an outcome for an attempt handed back does not count");
                assertEquals(DeliveryState.QUEUED, e.state());
                assertEquals(0, e.attempts());
            } else if (taken.indexOf(d) % 3 != 0) {
                assertTrue(counted.get(d.id()));
                assertEquals(DeliveryState.SENT, e.state(), d.id());
                assertEquals(1, e.attempts());
            } else {
                assertTrue(counted.get(d.id()));
                assertEquals(DeliveryState.DEFERRED, e.state(), d.id());
                assertEquals(List.of("a@example.com", "b@example.com"), e.pendingRecipients(), d.id());
                assertTrue(e.lastError().contains("421 busy"), e.lastError());
                assertTrue(e.nextAttemptAt().isAfter(now), "deferred to a later attempt");
            }
        }
    }

    @Test
    void retryAndDiscardFromAnyNodeActOnTheSharedEntry() throws Exception {
        PostgresOutbox a = open("node-a", Duration.ofMinutes(1));
        PostgresOutbox b = open("node-b", Duration.ofMinutes(1));
        add(a, "one", "Subject: one\r\n\r\nbody".getBytes(StandardCharsets.US_ASCII), "a@example.com");
        Dispatch d = claimNext(a);
        a.finish(d, DeliveryOutcome.of(d.entry(), DeliveryResult.permanentFailure("550 5.1.1 no such user"),
                SCHEDULE, Instant.now()), "relay");
        assertEquals(DeliveryState.FAILED, b.find("one").orElseThrow().state());

        assertTrue(b.retry("one"));
        assertEquals(DeliveryState.QUEUED, a.find("one").orElseThrow().state());
        assertEquals(List.of("a@example.com"), a.find("one").orElseThrow().pendingRecipients());
        assertTrue(a.discard("one"));
        assertTrue(b.find("one").isEmpty());
        assertEquals(0, chunks("one"));
        assertEquals(0L, b.counts().values().stream().mapToLong(Long::longValue).sum());
    }

    @Test
    void aSubmitWhileTheDatabaseIsDownFailsWithTheReasonAndStoresNothing() throws Exception {
        PostgresOutbox outbox = open("node-a", Duration.ofMinutes(1), Duration.ofSeconds(3));
        add(outbox, "before", "Subject: x\r\n\r\nx".getBytes(StandardCharsets.US_ASCII), "a@example.com");
        DB.server().halt();
        try {
            NotificationStoreException e = assertThrows(NotificationStoreException.class, () -> add(outbox, "during",
                    "Subject: y\r\n\r\ny".getBytes(StandardCharsets.US_ASCII), "a@example.com"));
            assertTrue(e.getMessage().contains("cannot be reached"), e.getMessage());
            assertFalse(e.getMessage().contains(DB.server().password()));
            assertNull(outbox.peekDue(), "deliveries pause");
            assertNotNull(outbox.unavailable());
        } finally {
            DB.server().resume();
        }
        assertEquals(Set.of("before"), Set.copyOf(outbox.list(Set.of(), 10).stream().map(x -> x.id()).toList()));
        assertNotNull(outbox.peekDue(), "deliveries resume");
        assertNull(outbox.unavailable());
    }

    @Test
    void afterAnOutageTheLeaseRenewalAloneFindsTheDatabaseReachableAgain() throws Exception {
        PostgresOutbox outbox = open("node-a", Duration.ofSeconds(3), Duration.ofSeconds(3));
        outbox.counts();
        DB.server().halt();
        try {
            assertNull(outbox.peekDue(), "deliveries pause");
            assertFalse(outbox.status().reachable());
        } finally {
            DB.server().resume();
        }
        // no dispatcher looks again: the renewal, every second, is what notices that the database is back
        Instant deadline = Instant.now().plusSeconds(20);
        while (!outbox.status().reachable()) {
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("still reported unreachable: " + outbox.status());
            }
            Thread.sleep(100);
        }
        assertNull(outbox.unavailable());
    }

    @Test
    void closingTheStoreOnAnInterruptedThreadKeepsTheThreadsInterruptFlag() throws Exception {
        PostgresOutbox outbox = open("node-a", Duration.ofSeconds(3));
        outbox.counts();
        try (HikariDataSource ds = pool(DB.url(), DB.server().password()); Connection c = ds.getConnection();
                Statement s = c.createStatement(); Connection looking = ds.getConnection();
                Statement look = looking.createStatement()) {
            // the next renewal waits for this lock, so the store's close has to wait for the renewal to end
            c.setAutoCommit(false);
            s.execute("LOCK TABLE outbox_node IN SHARE MODE");
            Instant deadline = Instant.now().plusSeconds(20);
            while (!renewalWaits(look)) { // asked outside the locking transaction, which sees one snapshot of it
                if (Instant.now().isAfter(deadline)) {
                    throw new AssertionError("no renewal waits for the lock");
                }
                Thread.sleep(100);
            }
            Thread.currentThread().interrupt();
            try {
                outbox.close();
            } finally {
                assertTrue(Thread.interrupted(), "the interrupt is not swallowed");
                c.rollback();
            }
        }
    }

    private static boolean renewalWaits(Statement s) throws SQLException {
        try (ResultSet r = s.executeQuery("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()"
                + " AND wait_event_type = 'Lock' AND query LIKE 'INSERT INTO outbox_node%'")) {
            r.next();
            return r.getInt(1) > 0;
        }
    }

    @Test
    void aWrongPasswordIsReportedWithItsFix() throws Exception {
        HikariDataSource ds = pool(DB.url(), "not-the-password", Duration.ofSeconds(3));
        DB.closedAfter(ds);
        PostgresOutbox outbox = new PostgresOutbox(ds, new PostgresSettings("node-a", DB.url(),
                PostgresServer.USER, Duration.ofMinutes(1), Duration.ofSeconds(1)), Clock.systemUTC(), dir);
        DB.closedAfter(outbox);
        NotificationStoreException e = assertThrows(NotificationStoreException.class, () -> add(outbox, "x",
                "Subject: x\r\n\r\nx".getBytes(StandardCharsets.US_ASCII), "a@example.com"));
        assertTrue(e.getMessage().contains("refused the password of user 'postgres'"), e.getMessage());
        assertTrue(e.getMessage().contains("jdbcPassword"), e.getMessage());
        assertFalse(e.getMessage().contains("not-the-password"));
    }

    @Test
    void aMissingDatabaseIsReportedWithItsFix() throws Exception {
        HikariDataSource ds = pool(DB.server().jdbcUrl("nowhere"), DB.server().password(), Duration.ofSeconds(3));
        DB.closedAfter(ds);
        PostgresOutbox outbox = new PostgresOutbox(ds, new PostgresSettings("node-a", DB.server().jdbcUrl("nowhere"),
                PostgresServer.USER, Duration.ofMinutes(1), Duration.ofSeconds(1)), Clock.systemUTC(), dir);
        DB.closedAfter(outbox);
        NotificationStoreException e = assertThrows(NotificationStoreException.class, () -> add(outbox, "x",
                "Subject: x\r\n\r\nx".getBytes(StandardCharsets.US_ASCII), "a@example.com"));
        assertTrue(e.getMessage().contains("does not exist") && e.getMessage().contains("createdb"), e.getMessage());
    }

    @Test
    void theSchemaIsMigratedOnceWhateverTheNumberOfNodes() throws Exception {
        PostgresOutbox a = open("node-a", Duration.ofMinutes(1));
        PostgresOutbox b = open("node-b", Duration.ofMinutes(1));
        a.counts();
        b.counts();
        try (HikariDataSource ds = pool(DB.url(), DB.server().password());
                Connection c = ds.getConnection(); Statement s = c.createStatement();
                ResultSet r = s.executeQuery("SELECT count(*), max(version) FROM notification_schema_version")) {
            r.next();
            assertEquals(PostgresSchema.SCRIPTS.size(), r.getInt(1));
            assertEquals(PostgresSchema.SCRIPTS.size(), r.getInt(2));
            assertEquals(0, PostgresSchema.migrate(c), "nothing left to apply");
        }
    }
}
