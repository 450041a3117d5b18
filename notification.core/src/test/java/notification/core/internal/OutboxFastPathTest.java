package notification.core.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import notification.api.DeliveryState;
import notification.api.transport.DeliveryResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The outbox's shortcuts: a message is sent from memory on its first attempt with exactly the stored bytes, later
 * attempts read the disk, and delivery outcomes journaled without an fsync of their own still reach the journal.
 */
class OutboxFastPathTest {
    private static final RetrySchedule SCHEDULE = new RetrySchedule(Duration.ofMinutes(5), Duration.ofHours(1),
            Duration.ofDays(5));
    @TempDir
    Path dir;

    private Outbox open(Path outboxDir) throws Exception {
        return new Outbox(outboxDir, Clock.systemUTC(), 64L << 20);
    }

    private static String held(Dispatch d) {
        ByteBuffer b = d.held();
        return new String(b.array(), b.arrayOffset(), b.capacity(), StandardCharsets.UTF_8);
    }

    @Test
    void theFirstAttemptSendsFromMemoryExactlyWhatIsStoredAndLaterOnesReadTheDisk() throws Exception {
        Outbox outbox = open(dir.resolve("outbox"));
        String body = "Subject: Grüße\r\n\r\n" + "zeile ".repeat(300);
        OutboxDurabilityTest.add(outbox, "entry-0001", body, "a@example.com");
        Dispatch first = outbox.claim(outbox.peekDue());
        assertNotNull(first.held(), "a small message just stored is still in memory");
        assertEquals(body, held(first));
        assertEquals(body, OutboxDurabilityTest.read(outbox, first), "the disk holds the same bytes");

        DeliveryResult busy = DeliveryResult.transientFailure("451 busy");
        assertTrue(outbox.finish(first, DeliveryOutcome.of(first.entry(), busy, SCHEDULE, Instant.now()), "t"));
        assertTrue(outbox.retry("entry-0001"));
        Dispatch second = outbox.claim(outbox.peekDue());
        assertNull(second.held(), "after its first attempt the message is read from the journal again");
        assertEquals(body, OutboxDurabilityTest.read(outbox, second));
        outbox.close();
    }

    @Test
    void aLargeMessageIsNeverHeldInMemory() throws Exception {
        Outbox outbox = open(dir.resolve("outbox"));
        String body = "x".repeat(Outbox.INLINE_LIMIT + 10);
        OutboxDurabilityTest.add(outbox, "entry-0001", body, "a@example.com");
        Dispatch d = outbox.claim(outbox.peekDue());
        assertNull(d.held());
        assertEquals(body, OutboxDurabilityTest.read(outbox, d));
        outbox.close();
    }

    @Test
    void outcomesJournaledWithoutTheirOwnFsyncReachTheJournal() throws Exception {
        Path live = dir.resolve("outbox");
        Outbox outbox = open(live);
        for (int i = 0; i < 5; i++) {
            OutboxDurabilityTest.add(outbox, String.format("entry-%04d", i), "body " + i, "a@example.com");
        }
        for (int i = 0; i < 3; i++) {
            Dispatch d = outbox.claim(outbox.peekDue());
            outbox.finish(d, DeliveryOutcome.of(d.entry(), DeliveryResult.sent("250"), SCHEDULE, Instant.now()), "t");
        }
        Thread.sleep(Journal.UNFORCED_DELAY_MILLIS * 3);
        // a copy of the files as they are now, the outbox still open: what a kill -9 would leave
        Path copy = Files.createDirectories(dir.resolve("copy"));
        try (Stream<Path> files = Files.list(live)) {
            for (Path p : files.filter(Files::isRegularFile).toList()) {
                Files.copy(p, copy.resolve(p.getFileName()), StandardCopyOption.REPLACE_EXISTING);
            }
        }
        Outbox recovered = open(copy);
        assertEquals(3L, recovered.counts().get(DeliveryState.SENT));
        assertEquals(2L, recovered.counts().get(DeliveryState.QUEUED));
        recovered.close();
        outbox.close();
    }

    @Test
    void underASteadyLoadSentEntriesStayNearTheirLimitBetweenPrunes() throws Exception {
        Outbox outbox = open(dir.resolve("outbox"));
        int total = Outbox.MAX_SENT + Outbox.MAX_SENT / 10 + 50;
        ExecutorService pool = Executors.newFixedThreadPool(16);
        List<Future<?>> added = new ArrayList<>();
        for (int i = 0; i < total; i++) {
            String id = String.format("entry-%05d", i);
            added.add(pool.submit(() -> OutboxDurabilityTest.add(outbox, id, "body", "a@example.com")));
        }
        for (Future<?> f : added) {
            f.get();
        }
        pool.shutdown();
        for (OutboxStore.Due e = outbox.peekDue(); e != null; e = outbox.peekDue()) {
            Dispatch d = outbox.claim(e);
            outbox.finish(d, DeliveryOutcome.of(d.entry(), DeliveryResult.sent("250"), SCHEDULE, Instant.now()), "t");
        }
        long sent = outbox.counts().get(DeliveryState.SENT);
        assertTrue(sent <= Outbox.MAX_SENT + Outbox.MAX_SENT / 10, sent + " sent entries kept");
        assertTrue(sent >= Outbox.MAX_SENT, sent + " sent entries kept");
        assertTrue(outbox.find(String.format("entry-%05d", total - 1)).isPresent(), "the newest stay");
        outbox.close();
    }

    @Test
    void recordsRoundTripWithNonAsciiTextAndMissingValues() throws Exception {
        StoredEntry e = new StoredEntry("entry-0001", "<m@test>", null, "Scan für Zoë 日本", List.of("a@example.com",
                "b@example.com"), "Jürgen", "j@example.com", Instant.ofEpochMilli(1_700_000_000_000L));
        e.sequence = 42;
        e.lastError = "451 überlastet";
        byte[] message = "Subject: x\r\n\r\nbody".getBytes(StandardCharsets.UTF_8);
        byte[] record = EntryCodec.entry(e, EntryCodec.BODY_INLINE, Arrays.copyOf(message, 100), message.length,
                null);
        byte[] payload = Arrays.copyOfRange(record, EntryCodec.HEADER, record.length);
        assertEquals(ByteBuffer.wrap(record).getInt(4), payload.length);
        assertEquals(ByteBuffer.wrap(record).getInt(8), EntryCodec.crc(payload, 0, payload.length));
        EntryCodec.Decoded r = EntryCodec.decode(payload);
        assertEquals("Scan für Zoë 日本", r.entry().subject);
        assertNull(r.entry().reference);
        assertEquals("Jürgen", r.entry().onBehalfName);
        assertEquals("451 überlastet", r.entry().lastError);
        assertEquals(List.of("a@example.com", "b@example.com"), r.entry().pending);
        assertEquals(42, r.entry().sequence);
        ByteArrayOutputStream stored = new ByteArrayOutputStream();
        stored.write(payload, r.bodyOffset(), r.bodyLength());
        assertEquals("Subject: x\r\n\r\nbody", stored.toString(StandardCharsets.UTF_8));
    }

    @Test
    void atMost16MbOfWaitingMessagesAreHeldAndWhatLeavesMakesRoomAgain() throws Exception {
        Outbox outbox = open(dir.resolve("outbox"));
        String body = "y".repeat(200 * 1024);
        int fit = 0;
        for (int i = 0; i < 90; i++) {
            OutboxDurabilityTest.add(outbox, String.format("entry-%04d", i), body, "a@example.com");
        }
        List<Dispatch> claimed = new ArrayList<>();
        for (OutboxStore.Due due = outbox.peekDue(); due != null; due = outbox.peekDue()) {
            Dispatch d = outbox.claim(due);
            claimed.add(d);
            fit += d.held() != null ? 1 : 0;
        }
        assertEquals(90, claimed.size());
        assertTrue(fit >= 70 && fit < 90, "held: " + fit);
        for (int i = 0; i < fit; i++) {
            assertNotNull(claimed.get(i).held(), "the first ones are held, in order: " + i);
        }
        for (Dispatch d : claimed) {
            outbox.finish(d, DeliveryOutcome.of(d.entry(), DeliveryResult.sent("250"), SCHEDULE, Instant.now()), "t");
        }
        OutboxDurabilityTest.add(outbox, "entry-0090", body, "a@example.com");
        Dispatch next = outbox.claim(outbox.peekDue());
        assertNotNull(next.held(), "sent messages left memory and made room");
        assertEquals(body, held(next));
        outbox.close();
    }
}
