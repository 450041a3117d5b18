package notification.core.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import notification.api.DeliveryState;
import notification.api.NotificationStoreException;
import notification.api.OutboxEntry;
import notification.api.transport.DeliveryResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The outbox journal: what was acknowledged survives a crash; torn or damaged records never get sent. */
class OutboxDurabilityTest {
    private static final RetrySchedule SCHEDULE = new RetrySchedule(Duration.ofMinutes(5), Duration.ofHours(1),
            Duration.ofDays(5));
    @TempDir
    Path dir;

    private Outbox open() throws IOException {
        return open(64L << 20);
    }

    private Outbox open(long compactAbove) throws IOException {
        return new Outbox(dir.resolve("outbox"), Clock.systemUTC(), compactAbove);
    }

    static StoredEntry add(Outbox outbox, String id, String body, String... recipients) throws IOException {
        StoredEntry e = new StoredEntry(id, "<" + id + "@test>", "ref-" + id, "subject " + id, List.of(recipients),
                null, null, Instant.now());
        SpillBuffer buffer = outbox.newBody(id);
        buffer.write(body.getBytes(StandardCharsets.UTF_8));
        outbox.submit(e, buffer);
        return e;
    }

    static String read(Outbox outbox, Dispatch d) throws IOException {
        try (InputStream in = outbox.open(d)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private Path journal() throws IOException {
        try (Stream<Path> files = Files.list(dir.resolve("outbox"))) {
            return files.filter(p -> p.getFileName().toString().endsWith(".log")).findFirst().orElseThrow();
        }
    }

    @Test
    void acknowledgedEntriesSurviveAndAHalfWrittenOneIsNeverSeen() throws Exception {
        Outbox outbox = open();
        add(outbox, "entry-0001", "Subject: one\r\n\r\nfirst", "a@example.com");
        add(outbox, "entry-0002", "Subject: two\r\n\r\nsecond", "b@example.com");
        outbox.close();
        long intact = Files.size(journal());

        Outbox other = open();
        add(other, "entry-0003", "Subject: three\r\n\r\nthird, torn by the crash", "c@example.com");
        other.close();
        try (RandomAccessFile f = new RandomAccessFile(journal().toFile(), "rw")) {
            f.setLength(intact + (f.length() - intact) / 2);
        }

        Outbox reopened = open();
        assertEquals(List.of("entry-0002", "entry-0001"),
                reopened.list(Set.of(), 10).stream().map(OutboxEntry::id).toList());
        assertEquals(intact, Files.size(journal()), "the torn tail is cut off");
        Dispatch d = reopened.claim(reopened.peekDue());
        assertEquals("Subject: one\r\n\r\nfirst", read(reopened, d));
        add(reopened, "entry-0004", "Subject: four\r\n\r\nafter", "d@example.com");
        reopened.close();
        assertEquals(3, open().list(Set.of(), 10).size());
    }

    @Test
    void entriesBeingSentAtTheCrashAreDueAgainWithTheSameMessageId() throws Exception {
        Outbox outbox = open();
        add(outbox, "entry-0001", "Subject: one\r\n\r\nbody", "a@example.com");
        Dispatch d = outbox.claim(outbox.peekDue());
        assertEquals(DeliveryState.SENDING, outbox.find("entry-0001").get().state());
        outbox.close();

        Outbox reopened = open();
        OutboxEntry e = reopened.find("entry-0001").get();
        assertEquals(DeliveryState.QUEUED, e.state());
        assertEquals("<entry-0001@test>", e.messageId());
        Dispatch again = reopened.claim(reopened.peekDue());
        assertEquals(d.attempt(), again.attempt());
        assertEquals("Subject: one\r\n\r\nbody", read(reopened, again));
    }

    @Test
    void theRetryScheduleAndPendingRecipientsSurviveARestart() throws Exception {
        Outbox outbox = open();
        add(outbox, "entry-0001", "body", "a@example.com", "b@example.com");
        Dispatch d = outbox.claim(outbox.peekDue());
        DeliveryResult partial = DeliveryResult.perRecipient(List.of(
                new DeliveryResult.RecipientResult("a@example.com", DeliveryResult.Status.SENT, "250 ok"),
                new DeliveryResult.RecipientResult("b@example.com", DeliveryResult.Status.TRANSIENT, "451 busy")),
                "partial");
        Instant now = Instant.now();
        assertTrue(outbox.finish(d, DeliveryOutcome.of(d.entry(), partial, SCHEDULE, now), "relay"));
        outbox.close();

        OutboxEntry e = open().find("entry-0001").get();
        assertEquals(DeliveryState.DEFERRED, e.state());
        assertEquals(List.of("b@example.com"), e.pendingRecipients());
        assertEquals(1, e.attempts());
        assertEquals("relay", e.transport());
        assertTrue(e.lastError().contains("partial"), e.lastError());
        assertEquals(now.plus(Duration.ofMinutes(5)).toEpochMilli(), e.nextAttemptAt().toEpochMilli());
    }

    @Test
    void aDamagedEntryIsQuarantinedAndDoesNotBlockTheOthers() throws Exception {
        Outbox outbox = open();
        add(outbox, "entry-0001", "Subject: one\r\n\r\n" + "x".repeat(1000), "a@example.com");
        long secondStart = Files.size(journal());
        add(outbox, "entry-0002", "Subject: two\r\n\r\n" + "y".repeat(1000), "b@example.com");
        add(outbox, "entry-0003", "Subject: three\r\n\r\n" + "z".repeat(1000), "c@example.com");
        outbox.close();
        try (RandomAccessFile f = new RandomAccessFile(journal().toFile(), "rw")) {
            f.seek(secondStart + 600);
            f.write("DAMAGE".getBytes(StandardCharsets.US_ASCII));
        }

        Outbox reopened = open();
        assertEquals(DeliveryState.QUARANTINED, reopened.find("entry-0002").get().state());
        assertTrue(reopened.find("entry-0002").get().lastError().contains("damaged"));
        List<String> due = new ArrayList<>();
        for (OutboxStore.Due e = reopened.peekDue(); e != null; e = reopened.peekDue()) {
            Dispatch d = reopened.claim(e);
            due.add(d.id() + ":" + read(reopened, d).substring(0, 12));
        }
        assertEquals(List.of("entry-0001:Subject: one", "entry-0003:Subject: thr"), due);
        assertEquals(1L, reopened.counts().get(DeliveryState.QUARANTINED));
        assertTrue(reopened.discard("entry-0002"));
        assertTrue(reopened.find("entry-0002").isEmpty());
    }

    @Test
    void aMissingMessageFileQuarantinesItsEntry() throws Exception {
        Outbox outbox = open();
        StoredEntry e = new StoredEntry("entry-big1", "<big@test>", null, "big", List.of("a@example.com"), null, null,
                Instant.now());
        SpillBuffer buffer = new SpillBuffer(16, dir.resolve("outbox/messages/entry-big1.tmp"), new LocalOutboxFiles());
        buffer.write(new byte[1000]);
        outbox.submit(e, buffer);
        outbox.close();
        Files.delete(dir.resolve("outbox/messages/entry-big1.eml"));
        OutboxEntry reopened = open().find("entry-big1").get();
        assertEquals(DeliveryState.QUARANTINED, reopened.state());
    }

    @Test
    void concurrentSubmittersShareFsyncsAndAllSurvive() throws Exception {
        Outbox outbox = open();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        List<Future<?>> futures = new ArrayList<>();
        for (int i = 0; i < 400; i++) {
            String id = String.format("entry-%04d", i);
            futures.add(pool.submit(() -> add(outbox, id, "body " + id, "a@example.com")));
        }
        for (Future<?> f : futures) {
            f.get();
        }
        pool.shutdown();
        outbox.close();
        Outbox reopened = open();
        assertEquals(400L, reopened.counts().get(DeliveryState.QUEUED));
        Dispatch d = reopened.claim(reopened.peekDue());
        assertEquals("body " + d.id(), read(reopened, d));
    }

    @Test
    void compactionKeepsLiveEntriesAndDropsDiscardedOnes() throws Exception {
        Outbox outbox = open(4096);
        for (int i = 0; i < 40; i++) {
            add(outbox, String.format("entry-%04d", i), "Subject: " + i + "\r\n\r\n" + "b".repeat(200), "a@x.example");
        }
        for (int i = 0; i < 10; i++) {
            Dispatch d = outbox.claim(outbox.peekDue());
            outbox.finish(d, DeliveryOutcome.of(d.entry(), DeliveryResult.sent("250"), SCHEDULE, Instant.now()), "t");
        }
        assertTrue(outbox.discard("entry-0039"));
        for (int i = 40; i < 80; i++) {
            add(outbox, String.format("entry-%04d", i), "Subject: " + i + "\r\n\r\n" + "b".repeat(200), "a@x.example");
        }
        outbox.close();
        assertFalse(journal().getFileName().toString().endsWith("000000000001.log"), "the journal was compacted");

        Outbox reopened = open(4096);
        assertEquals(10L, reopened.counts().get(DeliveryState.SENT));
        assertEquals(69L, reopened.counts().get(DeliveryState.QUEUED));
        assertTrue(reopened.find("entry-0039").isEmpty());
        for (OutboxStore.Due e = reopened.peekDue(); e != null; e = reopened.peekDue()) {
            Dispatch d = reopened.claim(e);
            String id = d.id();
            assertEquals("Subject: " + Integer.parseInt(id.substring(6)) + "\r\n\r\n" + "b".repeat(200),
                    read(reopened, d));
        }
        assertNull(reopened.peekDue());
        assertNotNull(reopened.find("entry-0000").get());
    }

    private Path messageFile(String id) {
        return dir.resolve("outbox").resolve("messages").resolve(id + ".eml");
    }

    private static DeliveryOutcome outcome(Dispatch d, DeliveryResult r) {
        return DeliveryOutcome.of(d.entry(), r, SCHEDULE, Instant.now());
    }

    @Test
    void discardingASeparatelyStoredEntryDeletesItsMessageFileAtOnce() throws Exception {
        try (Outbox outbox = open()) {
            add(outbox, "entry-0001", "Subject: scan\r\n\r\n" + "s".repeat(Outbox.INLINE_LIMIT + 1), "a@example.com");
            assertTrue(Files.exists(messageFile("entry-0001")));
            assertTrue(outbox.discard("entry-0001"));
            assertFalse(Files.exists(messageFile("entry-0001")), "the message file is deleted with the discard");
            assertTrue(outbox.find("entry-0001").isEmpty());
        }
    }

    @Test
    void discardAndRetryRefuseAnUnknownEntryAndOneBeingSent() throws Exception {
        try (Outbox outbox = open()) {
            add(outbox, "entry-0001", "body", "a@example.com");
            outbox.claim(outbox.peekDue());
            assertFalse(outbox.discard("entry-0001"));
            assertFalse(outbox.retry("entry-0001"));
            assertFalse(outbox.discard("entry-none"));
            assertFalse(outbox.retry("entry-none"));
            assertEquals(DeliveryState.SENDING, outbox.find("entry-0001").get().state());
        }
    }

    @Test
    void retryingAFailedEntryIsAcceptedAndMakesItDueWhileASentOneIsRefused() throws Exception {
        try (Outbox outbox = open()) {
            add(outbox, "entry-0001", "one", "a@example.com");
            add(outbox, "entry-0002", "two", "b@example.com");
            Dispatch first = outbox.claim(outbox.peekDue());
            assertTrue(outbox.finish(first, outcome(first, DeliveryResult.permanentFailure("550 no such user")), "t"));
            Dispatch second = outbox.claim(outbox.peekDue());
            assertTrue(outbox.finish(second, outcome(second, DeliveryResult.sent("250 ok")), "t"));
            assertNull(outbox.peekDue());

            assertFalse(outbox.retry(second.id()), "a sent entry is not sent again");
            assertTrue(outbox.retry(first.id()));
            assertEquals(DeliveryState.QUEUED, outbox.find(first.id()).get().state());
            assertEquals(first.id(), outbox.peekDue().entry().id);
        }
    }

    @Test
    void onlyTheCurrentAttemptCanFinishAnEntry() throws Exception {
        try (Outbox outbox = open()) {
            add(outbox, "entry-0001", "body", "a@example.com");
            Dispatch stale = outbox.claim(outbox.peekDue());
            outbox.handBack(stale);
            Dispatch current = outbox.claim(outbox.peekDue());
            assertFalse(outbox.finish(stale, outcome(stale, DeliveryResult.sent("250 stale")), "t"));
            assertEquals(DeliveryState.SENDING, outbox.find("entry-0001").get().state());
            assertTrue(outbox.finish(current, outcome(current, DeliveryResult.sent("250 ok")), "t"));
            assertEquals(DeliveryState.SENT, outbox.find("entry-0001").get().state());
            assertFalse(outbox.finish(current, outcome(current, DeliveryResult.sent("250 twice")), "t"));
        }
    }

    private static final String HELD_BODY = "h".repeat(Outbox.INLINE_LIMIT - 1000);

    /** Submits inline entries until the outbox stops holding their messages in memory; returns them. */
    private static List<StoredEntry> fillTheHeldMessages(Outbox outbox) throws IOException {
        List<StoredEntry> entries = new ArrayList<>();
        for (int i = 0; entries.isEmpty() || entries.get(entries.size() - 1).held != null; i++) {
            entries.add(add(outbox, String.format("entry-%04d", i), HELD_BODY, "a@example.com"));
            assertTrue(i < 2 * Outbox.HOLD_LIMIT / Outbox.INLINE_LIMIT, "the outbox holds messages without limit");
        }
        assertTrue(entries.stream().mapToLong(e -> e.held == null ? 0 : e.held.length).sum() <= Outbox.HOLD_LIMIT,
                "the messages held in memory stay within the limit");
        return entries;
    }

    @Test
    void aDiscardedEntryLetsGoOfItsMessageInMemory() throws Exception {
        try (Outbox outbox = open()) {
            List<StoredEntry> entries = fillTheHeldMessages(outbox);
            assertTrue(outbox.discard(entries.get(0).id));
            StoredEntry next = add(outbox, "entry-next", HELD_BODY, "a@example.com");
            assertNotNull(next.held, "the discarded entry's memory is free for the next message");
        }
    }

    @Test
    void aQuarantinedEntryLetsGoOfItsMessageInMemory() throws Exception {
        try (Outbox outbox = open()) {
            List<StoredEntry> entries = fillTheHeldMessages(outbox);
            StoredEntry first = entries.get(0);
            Dispatch d = outbox.claim(new OutboxStore.Due(first, first.nextAttemptAt, first.pending.size()));
            assertNotNull(d.held());
            outbox.quarantine(d, "cannot be sent");
            assertEquals(DeliveryState.QUARANTINED, outbox.find(first.id).get().state());
            StoredEntry next = add(outbox, "entry-next", HELD_BODY, "a@example.com");
            assertNotNull(next.held, "the quarantined entry's memory is free for the next message");
        }
    }

    @Test
    void sentEntriesOlderThanADayAreForgottenWhenTheOutboxOpens() throws Exception {
        OutboxStoreContract.TestClock clock = new OutboxStoreContract.TestClock();
        try (Outbox outbox = new Outbox(dir.resolve("outbox"), clock, 64L << 20)) {
            add(outbox, "entry-0001", "one", "a@example.com");
            add(outbox, "entry-0002", "two", "b@example.com");
            Dispatch d = outbox.claim(outbox.peekDue());
            assertTrue(outbox.finish(d, DeliveryOutcome.of(d.entry(), DeliveryResult.sent("250 ok"), SCHEDULE,
                    clock.instant()), "t"));
        }
        clock.advance(Outbox.KEEP_SENT.plusMinutes(1));
        try (Outbox reopened = new Outbox(dir.resolve("outbox"), clock, 64L << 20)) {
            assertTrue(reopened.find("entry-0001").isEmpty(), "the old sent entry is forgotten");
            assertEquals(DeliveryState.QUEUED, reopened.find("entry-0002").get().state());
        }
    }

    @Test
    void anEntryHandedBackOrFinishedTellsTheDispatcherToLookAgain() throws Exception {
        try (Outbox outbox = open()) {
            int[] looks = {0};
            add(outbox, "entry-0001", "body", "a@example.com");
            outbox.onChange(() -> looks[0]++);
            Dispatch d = outbox.claim(outbox.peekDue());
            outbox.handBack(d);
            assertEquals(1, looks[0], "after a hand-back");
            d = outbox.claim(outbox.peekDue());
            outbox.finish(d, outcome(d, DeliveryResult.transientFailure("451 busy")), "t");
            assertEquals(2, looks[0], "after an outcome");
        }
    }

    @Test
    void eachClaimCarriesTheNumberOfTheAttemptItIs() throws Exception {
        try (Outbox outbox = open()) {
            add(outbox, "entry-0001", "body", "a@example.com");
            Dispatch first = outbox.claim(outbox.peekDue());
            assertEquals(1, first.attempt());
            outbox.finish(first, outcome(first, DeliveryResult.transientFailure("451 busy")), "t");
            OutboxStore.Due due = outbox.peekDue();
            assertEquals(2, outbox.claim(due).attempt());
        }
    }

    @Test
    void aRetryOrQuarantineTheDiskCannotKeepIsReportedNotAcknowledged() throws Exception {
        PowerCutFiles disk = new PowerCutFiles();
        try (Outbox outbox = new Outbox(dir.resolve("outbox"), Clock.systemUTC(), 64L << 20, disk.session())) {
            add(outbox, "entry-0001", "one", "a@example.com");
            add(outbox, "entry-0002", "two", "b@example.com");
            Dispatch d = outbox.claim(outbox.peekDue());
            assertTrue(outbox.finish(d, outcome(d, DeliveryResult.permanentFailure("550 no")), "t"));
            Dispatch other = outbox.claim(outbox.peekDue());
            disk.failAt((op, file, index) -> op == PowerCutFiles.Op.FORCE);
            assertThrows(NotificationStoreException.class, () -> outbox.retry("entry-0001"));
            assertThrows(NotificationStoreException.class, () -> outbox.quarantine(other, "unreadable"));
            disk.failAt((op, file, index) -> false);
        }
    }

    @Test
    void underASteadyLoadOldSentEntriesAreForgottenEveryTenthOfTheSentLimit() throws Exception {
        OutboxStoreContract.TestClock clock = new OutboxStoreContract.TestClock();
        int every = Outbox.MAX_SENT / 10;
        try (Outbox outbox = new Outbox(dir.resolve("outbox"), clock, 64L << 20)) {
            for (int i = 0; i < every; i++) {
                add(outbox, String.format("entry-%04d", i), "body", "a@example.com");
            }
            for (int i = 0; i < every; i++) {
                Dispatch d = outbox.claim(outbox.peekDue());
                outbox.finish(d, DeliveryOutcome.of(d.entry(), DeliveryResult.sent("250 ok"), SCHEDULE,
                        clock.instant()), "t");
                if (i == 0) {
                    clock.advance(Outbox.KEEP_SENT.plusMinutes(1));
                }
                assertEquals(i < every - 1, outbox.find("entry-0000").isPresent(), "after outcome " + (i + 1));
            }
        }
    }

    @Test
    void messagesThatFillTheMemoryLimitExactlyAreAllHeld() throws Exception {
        try (Outbox outbox = open()) {
            StoredEntry first = add(outbox, "entry-0000", HELD_BODY, "a@example.com");
            long overhead = first.held.length - HELD_BODY.length();
            long held = first.held.length;
            int i = 1;
            for (; held + first.held.length <= Outbox.HOLD_LIMIT; i++) {
                held += add(outbox, String.format("entry-%04d", i), HELD_BODY, "a@example.com").held.length;
            }
            StoredEntry last = add(outbox, String.format("entry-%04d", i),
                    "h".repeat((int) (Outbox.HOLD_LIMIT - held - overhead)), "a@example.com");
            assertNotNull(last.held, "the message that reaches the limit exactly is still held");
            assertEquals(Outbox.HOLD_LIMIT, held + last.held.length);
            assertNull(add(outbox, "entry-over", "h", "a@example.com").held, "one byte more is not");
        }
    }

    @Test
    void aMessageThatCannotBeStoredIsRefusedWithTheDiskFailureAsItsCause() throws Exception {
        PowerCutFiles disk = new PowerCutFiles();
        try (Outbox outbox = new Outbox(dir.resolve("outbox"), Clock.systemUTC(), 64L << 20, disk.session())) {
            disk.failAt((op, file, index) -> op == PowerCutFiles.Op.MOVE);
            NotificationStoreException notMoved = assertThrows(NotificationStoreException.class,
                    () -> add(outbox, "entry-0001", "x".repeat(Outbox.INLINE_LIMIT + 1), "a@example.com"));
            assertInstanceOf(IOException.class, notMoved.getCause());
            assertTrue(notMoved.getMessage().contains(notMoved.getCause().getMessage()), notMoved.getMessage());

            disk.failAt((op, file, index) -> op == PowerCutFiles.Op.WRITE
                    && file.getFileName().toString().endsWith(".log"));
            NotificationStoreException notWritten = assertThrows(NotificationStoreException.class,
                    () -> add(outbox, "entry-0002", "small", "a@example.com"));
            assertInstanceOf(IOException.class, notWritten.getCause());
            assertTrue(notWritten.getMessage().contains(notWritten.getCause().getMessage()), notWritten.getMessage());
        }
    }

    @Test
    void aMessageClaimedBeforeACompactionIsReadFromTheNewJournal() throws Exception {
        try (Outbox outbox = open(64 * 1024)) {
            StoredEntry e = add(outbox, "entry-0001", "Subject: one\r\n\r\nfirst", "a@example.com");
            Dispatch d = outbox.claim(new OutboxStore.Due(e, e.nextAttemptAt, e.pending.size()));
            Path before = d.body().file();
            for (int i = 0; Files.exists(before); i++) {
                assertTrue(i < 10_000, "the journal was never compacted");
                add(outbox, String.format("filler-%04d", i), "f".repeat(4096), "b@example.com");
            }
            assertEquals("Subject: one\r\n\r\nfirst", read(outbox, d));
        }
    }
}
