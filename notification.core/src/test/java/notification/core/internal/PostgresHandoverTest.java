package notification.core.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.zaxxer.hikari.HikariDataSource;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import notification.api.DeliveryState;
import notification.api.OutboxEntry;
import notification.api.transport.DeliveryResult;
import notification.api.transport.DeliveryResult.RecipientResult;
import notification.api.transport.DeliveryResult.Status;
import notification.testkit.postgresql.PostgresServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A lone node switching back from the shared outbox to its journal hands what waits in the database over to the
 * journal (a real PostgreSQL server, a real journal in a temporary folder); with other nodes at work, or without the
 * database, nothing moves and the sentence says why and what to do.
 */
class PostgresHandoverTest {
    private static final RetrySchedule SCHEDULE = new RetrySchedule(Duration.ofMinutes(5), Duration.ofHours(1),
            Duration.ofDays(5));
    private static final int LARGE = PostgresChunks.CHUNK * 3 + 4096;
    @RegisterExtension
    static final FreshDatabase DB = new FreshDatabase("handover");
    @TempDir
    Path dir;
    private HikariDataSource pool;
    private PostgresSettings settings;
    private StoreSwitch stores;
    private OutboxNotificationService service;

    @AfterEach
    void close() {
        if (service != null) {
            service.close();
        }
        if (stores != null) {
            stores.close();
        }
    }

    /** This node: its journal, and the shared store attached for new notifications. */
    private void open(Duration connectionTimeout) throws Exception {
        pool = DB.closedAfter(PostgresOutboxTest.pool(DB.url(), DB.server().password(), connectionTimeout));
        settings = new PostgresSettings("node-a", DB.url(), PostgresServer.USER, Duration.ofMinutes(1),
                Duration.ofMillis(200));
        stores = new StoreSwitch(OutboxNotificationService.journalStore(dir.resolve("outbox"), Clock.systemUTC()));
        stores.attach(new PostgresOutbox(pool, settings, Clock.systemUTC(), dir.resolve("spool")));
    }

    /** Switches this node back to the journal, handing over within the given time. */
    private PostgresHandover.Result switchBack(Duration limit) {
        AtomicReference<PostgresHandover.Result> result = new AtomicReference<>();
        PostgresHandover handover = new PostgresHandover(pool, settings, limit);
        stores.detach(Duration.ofSeconds(5), journal -> result.set(handover.moveInto(journal)));
        return result.get();
    }

    private static byte[] message(String id, int size) {
        StringBuilder b = new StringBuilder("Message-ID: <" + id + "@test>\r\nSubject: " + id + "\r\n\r\n");
        for (int line = 0; b.length() < size; line++) {
            b.append(id).append(" line ").append(line).append(" of the scanned document\r\n");
        }
        return b.toString().getBytes(StandardCharsets.US_ASCII);
    }

    private StoredEntry submit(String id, int size, String... recipients) throws Exception {
        return PostgresOutboxTest.add(stores, id, message(id, size), recipients);
    }

    /** Sends the only entry due now and records what the transport answered. */
    private void attempt(DeliveryResult result) {
        Dispatch d = stores.claim(stores.peekDue());
        assertTrue(stores.finish(d, DeliveryOutcome.of(d.entry(), result, SCHEDULE, Instant.now()), "relay"));
    }

    private long count(String sql) throws Exception {
        try (HikariDataSource ds = PostgresOutboxTest.pool(DB.url(), DB.server().password());
                Connection c = ds.getConnection(); Statement s = c.createStatement();
                ResultSet r = s.executeQuery(sql)) {
            r.next();
            return r.getLong(1);
        }
    }

    private void execute(String sql) throws Exception {
        try (HikariDataSource ds = PostgresOutboxTest.pool(DB.url(), DB.server().password());
                Connection c = ds.getConnection(); Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    private static Instant millis(Instant t) {
        return t.truncatedTo(ChronoUnit.MILLIS);
    }

    @Test
    void aLoneNodeSwitchingBackMovesEveryWaitingNotificationIntoTheJournalWhereItIsSentWithItsMessageId()
            throws Exception {
        open(Duration.ofSeconds(15));
        submit("deferred", 600, "a@example.com", "b@example.com");
        attempt(DeliveryResult.perRecipient(List.of(
                new RecipientResult("a@example.com", Status.PERMANENT, "550 5.1.1 unknown"),
                new RecipientResult("b@example.com", Status.TRANSIENT, "452 4.2.2 mailbox full")), "250 partly"));
        submit("refused", 600, "c@example.com");
        attempt(DeliveryResult.permanentFailure("550 5.7.1 refused"));
        OutboxEntry deferred = stores.find("deferred").orElseThrow();
        assertEquals(DeliveryState.DEFERRED, deferred.state());
        submit("small", 600, "d@example.com", "e@example.com");
        submit("large", LARGE, "f@example.com");
        submit("orphan", 600, "g@example.com");
        // a node that died while sending: its lease ran out and it is not seen any more
        execute("UPDATE outbox_entry SET state = 'SENDING', state_before_sending = 'QUEUED', lease_node = 'node-dead',"
                + " lease_until = now() - interval '1 minute' WHERE id = 'orphan'");
        execute("INSERT INTO outbox_node VALUES ('node-dead', now() - interval '2 hours', now() - interval '1 hour')");
        assertTrue(count("SELECT count(*) FROM outbox_chunk WHERE entry_id = 'large'") > 1, "stored in chunks");

        PostgresHandover.Result r = switchBack(PostgresHandover.TIME_LIMIT);

        assertEquals(4, r.moved(), r.sentence());
        assertEquals(0, r.left(), r.sentence());
        assertTrue(r.sentence().contains("moved 4 notification(s) waiting in the outbox database " + DB.url()
                + " into this server's journal"), r.sentence());
        assertEquals(0, count("SELECT count(*) FROM outbox_entry WHERE state <> 'FAILED'"), "none left to send there");
        assertEquals(0, count("SELECT count(*) FROM outbox_chunk"), "the large one's chunks went with its row");
        assertEquals(1, count("SELECT count(*) FROM outbox_entry WHERE id = 'refused'"), "a failed one stays");
        assertEquals(Map.of(DeliveryState.QUEUED, 3L, DeliveryState.DEFERRED, 1L), nonZero(stores.counts()));

        stores.close(); // the journal stops; after a restart it finds what it took over
        stores = null;
        ScriptedTransport relay = new ScriptedTransport("relay@example.com", "Relay");
        service = new OutboxNotificationService(dir.resolve("outbox"), new CoreSettings(List.of("relay"),
                Duration.ofMinutes(5), Duration.ofHours(1), Duration.ofDays(5), "{name}", 998), Clock.systemUTC());
        service.bind("relay", relay);
        for (String id : List.of("small", "large", "orphan")) {
            Poll.until(id + " sent", Duration.ofSeconds(30),
                    () -> service.find(id).orElseThrow().state() == DeliveryState.SENT);
        }
        for (String id : List.of("small", "large", "orphan")) {
            ScriptedTransport.Delivered d = relay.delivered.stream().filter(x -> x.id().equals(id)).findFirst()
                    .orElseThrow();
            assertEquals("<" + id + "@test>", d.messageId());
            assertEquals(1, d.attempt());
            assertTrue(d.text().endsWith(new String(message(id, id.equals("large") ? LARGE : 600),
                    StandardCharsets.US_ASCII)), id + ": the stored bytes, whole");
        }
        assertEquals(List.of("d@example.com", "e@example.com"), relay.delivered.stream()
                .filter(x -> x.id().equals("small")).findFirst().orElseThrow().recipients());
        assertEquals(3, relay.delivered.size(), "the deferred one waits for its next attempt");

        OutboxEntry kept = service.find("deferred").orElseThrow();
        assertEquals(DeliveryState.DEFERRED, kept.state());
        assertEquals(deferred.messageId(), kept.messageId());
        assertEquals(1, kept.attempts());
        assertEquals(List.of("b@example.com"), kept.pendingRecipients());
        assertEquals(millis(deferred.nextAttemptAt()), millis(kept.nextAttemptAt()));
        assertEquals(deferred.lastError(), kept.lastError());
        assertEquals(millis(deferred.createdAt()), millis(kept.createdAt()));
        assertEquals("ref-deferred", kept.reference());
        assertEquals("subject deferred", kept.subject());
        assertEquals("relay", kept.transport());
        assertTrue(service.find("refused").isEmpty(), "the failed one stayed in the database");
        assertTrue(service.retry("deferred"));
        Poll.until("the deferred one sent once retried", Duration.ofSeconds(30),
                () -> service.find("deferred").orElseThrow().state() == DeliveryState.SENT);
        ScriptedTransport.Delivered last = relay.delivered.get(relay.delivered.size() - 1);
        assertEquals("<deferred@test>", last.messageId());
        assertEquals(List.of("b@example.com", "a@example.com"), last.recipients(),
                "the pending recipient and the failed one, as a retry from the database would send");
    }

    private static Map<DeliveryState, Long> nonZero(Map<DeliveryState, Long> counts) {
        Map<DeliveryState, Long> m = new java.util.EnumMap<>(DeliveryState.class);
        counts.forEach((s, n) -> {
            if (n > 0) {
                m.put(s, n);
            }
        });
        return m;
    }

    @Test
    void aDeliveryUnderWayEndsInTheDatabaseAndWhatThisNodeHadTakenAheadMovesToo() throws Exception {
        open(Duration.ofSeconds(15));
        submit("busy", 600, "a@example.com");
        submit("ahead-1", 600, "b@example.com");
        submit("ahead-2", LARGE, "c@example.com");
        Dispatch busy = stores.claim(stores.peekDue()); // the claim takes the other two ahead, for this node
        assertEquals("busy", busy.id());
        assertEquals(3, count("SELECT count(*) FROM outbox_entry WHERE state = 'SENDING' AND lease_node = 'node-a'"));
        Thread delivery = new Thread(() -> {
            // the send ends once the switch has begun: the store waits for it before it closes
            Poll.until("the switch begun", Duration.ofSeconds(30), () -> stores.shared() == null);
            stores.finish(busy, DeliveryOutcome.of(busy.entry(), DeliveryResult.sent("250 ok"), SCHEDULE,
                    Instant.now()), "relay");
        });
        delivery.start();

        PostgresHandover.Result r = switchBack(PostgresHandover.TIME_LIMIT);
        delivery.join();

        assertEquals(2, r.moved(), r.sentence());
        assertEquals(1, count("SELECT count(*) FROM outbox_entry WHERE id = 'busy' AND state = 'SENT'"),
                "its outcome was recorded where it was sent from");
        assertEquals(0, count("SELECT count(*) FROM outbox_entry WHERE id <> 'busy'"));
        assertTrue(stores.find("busy").isEmpty(), "sent, so not moved");
        for (String id : List.of("ahead-1", "ahead-2")) {
            OutboxEntry e = stores.find(id).orElseThrow();
            assertEquals(DeliveryState.QUEUED, e.state(), id);
            assertEquals(0, e.attempts(), id);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"seen lately", "sending under a lease"})
    void withAnotherNodeAtWorkNothingMovesAndTheSentenceNamesIt(String atWork) throws Exception {
        open(Duration.ofSeconds(15));
        submit("one", 600, "a@example.com");
        submit("two", LARGE, "b@example.com");
        if (atWork.equals("seen lately")) {
            execute("INSERT INTO outbox_node VALUES ('node-b', now() - interval '1 hour', now())");
        } else {
            execute("UPDATE outbox_entry SET state = 'SENDING', state_before_sending = 'QUEUED', lease_node = 'node-b',"
                    + " lease_until = now() + interval '1 minute' WHERE id = 'two'");
        }

        PostgresHandover.Result r = switchBack(PostgresHandover.TIME_LIMIT);

        assertEquals(0, r.moved());
        long waiting = atWork.equals("seen lately") ? 2 : 1;
        assertEquals(waiting, r.left());
        assertEquals("Switched to the journal: the " + waiting + " notification(s) waiting in the outbox database "
                + DB.url() + " stay there for the other nodes using it (node-b) to send", r.sentence());
        assertEquals(2, count("SELECT count(*) FROM outbox_entry"));
        assertEquals(List.of(), stores.list(Set.of(), 10), "the journal took nothing");
    }

    @Test
    void withTheDatabaseStoppedAtTheSwitchNothingIsLostAndTheSentenceSaysTheyWaitThere() throws Exception {
        open(Duration.ofSeconds(1));
        submit("one", 600, "a@example.com");
        submit("two", LARGE, "b@example.com");
        DB.server().halt();
        PostgresHandover.Result r;
        try {
            r = switchBack(PostgresHandover.TIME_LIMIT);
        } finally {
            DB.server().resume();
        }

        assertEquals(0, r.moved());
        assertEquals(-1, r.left());
        assertTrue(r.sentence().startsWith("Switched to the journal, but PostgreSQL at " + DB.url()
                + " cannot be reached"), r.sentence());
        assertTrue(r.sentence().endsWith("the notifications waiting in that database stay there: switch this node back"
                + " to store=postgresql, or let another node using that database run, to send them"), r.sentence());
        assertEquals(List.of(), stores.list(Set.of(), 10));
        assertEquals(2, count("SELECT count(*) FROM outbox_entry WHERE state = 'QUEUED'"), "both still there");
    }

    @Test
    void aHandOverOutOfTimeLeavesTheRestInTheDatabaseAndSaysHowMany() throws Exception {
        open(Duration.ofSeconds(15));
        submit("one", 600, "a@example.com");
        submit("two", 600, "b@example.com");

        PostgresHandover.Result r = switchBack(Duration.ZERO);

        assertEquals(0, r.moved());
        assertEquals(2, r.left());
        assertTrue(r.sentence().endsWith("moved 0 notification(s) waiting in the outbox database " + DB.url()
                + " into this server's journal, each with its Message-ID and schedule; 2 more still wait in the"
                + " database (the time limit of 0 s was reached): switch this node to store=postgresql and back to"
                + " store=journal to move them, or let another node using that database send them"), r.sentence());
        assertEquals(2, count("SELECT count(*) FROM outbox_entry WHERE state = 'QUEUED'"));
    }

    @Test
    void entriesJustOverOneBatchAllMoveInOneHandOver() throws Exception {
        open(Duration.ofSeconds(15));
        int batch = 64;
        for (int i = 0; i <= batch; i++) {
            submit(String.format("e%03d", i), 300, "a@example.com");
        }

        PostgresHandover.Result r = switchBack(PostgresHandover.TIME_LIMIT);

        assertEquals(batch + 1, r.moved(), r.sentence());
        assertEquals(0, r.left(), r.sentence());
        assertEquals(0, count("SELECT count(*) FROM outbox_entry"), "none left in the database");
        assertEquals(Map.of(DeliveryState.QUEUED, (long) batch + 1), nonZero(stores.counts()));
        assertTrue(stores.find("e064").isPresent(), "the one after the first batch moved too");
    }

    @Test
    void anEntryLeftSendingAfterADeferralMovesAsDeferred() throws Exception {
        open(Duration.ofSeconds(15));
        submit("again", 600, "a@example.com");
        attempt(DeliveryResult.transientFailure("451 4.3.0 try later"));
        OutboxEntry deferred = stores.find("again").orElseThrow();
        assertEquals(DeliveryState.DEFERRED, deferred.state());
        // its next attempt began on a node that died: the lease ran out, the row says what it was before
        execute("UPDATE outbox_entry SET state = 'SENDING', state_before_sending = 'DEFERRED', lease_node = 'node-dead',"
                + " lease_until = now() - interval '1 minute' WHERE id = 'again'");
        execute("INSERT INTO outbox_node VALUES ('node-dead', now() - interval '2 hours', now() - interval '1 hour')");

        PostgresHandover.Result r = switchBack(PostgresHandover.TIME_LIMIT);

        assertEquals(1, r.moved(), r.sentence());
        OutboxEntry moved = stores.find("again").orElseThrow();
        assertEquals(DeliveryState.DEFERRED, moved.state(), "it waits for its next attempt, as before");
        assertEquals(millis(deferred.nextAttemptAt()), millis(moved.nextAttemptAt()));
        assertEquals(1, moved.attempts());
    }

    @Test
    void theHandOverLeavesNoWatchdogThreadBehind() throws Exception {
        open(Duration.ofSeconds(15));
        submit("one", 600, "a@example.com");
        Set<Thread> before = watchdogs();

        PostgresHandover.Result r = switchBack(PostgresHandover.TIME_LIMIT);

        assertEquals(1, r.moved(), r.sentence());
        Set<Thread> started = new java.util.HashSet<>(watchdogs());
        started.removeAll(before);
        for (Thread t : started) {
            t.join(Duration.ofSeconds(10).toMillis());
            assertTrue(!t.isAlive(), t + " still runs after the hand-over");
        }
    }

    private static Set<Thread> watchdogs() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().equals("notification-outbox-watchdog") && t.isAlive())
                .collect(java.util.stream.Collectors.toSet());
    }

    @Test
    void aHandOverThatLeavesEntriesBehindLogsItsSentenceAsAWarning() throws Exception {
        open(Duration.ofSeconds(15));
        submit("one", 600, "a@example.com");
        AtomicReference<PostgresHandover.Result> r = new AtomicReference<>();

        String log = stderrOf(() -> r.set(switchBack(Duration.ZERO)));

        assertEquals(1, r.get().left(), r.get().sentence());
        assertTrue(log.contains("WARN " + PostgresHandover.class.getName() + " - " + r.get().sentence()), log);
    }

    /** What the test logger (slf4j-simple, writing to the standard error stream) printed while the action ran. */
    private static String stderrOf(Runnable action) {
        java.io.PrintStream old = System.err;
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        System.setErr(new java.io.PrintStream(out, true, StandardCharsets.UTF_8));
        try {
            action.run();
        } finally {
            System.setErr(old);
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void anEntryLockedByAnotherTransactionIsSkippedAndStaysInTheDatabase() throws Exception {
        open(Duration.ofSeconds(15));
        submit("locked", 600, "a@example.com");
        submit("free", 600, "b@example.com");
        PostgresHandover.Result r;
        try (HikariDataSource ds = PostgresOutboxTest.pool(DB.url(), DB.server().password());
                Connection c = ds.getConnection(); Statement s = c.createStatement()) {
            c.setAutoCommit(false);
            s.execute("SELECT id FROM outbox_entry WHERE id = 'locked' FOR UPDATE");

            r = switchBack(PostgresHandover.TIME_LIMIT);

            c.rollback();
        }
        assertEquals(1, r.moved(), r.sentence());
        assertEquals(1, r.left(), r.sentence());
        assertTrue(stores.find("free").isPresent());
        assertTrue(stores.find("locked").isEmpty(), "the locked one was not copied");
        assertEquals(1, count("SELECT count(*) FROM outbox_entry WHERE id = 'locked' AND state = 'QUEUED'"));
        assertEquals(0, count("SELECT count(*) FROM outbox_entry WHERE id = 'free'"));
    }
}
