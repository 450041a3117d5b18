package notification.core.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import notification.api.DeliveryState;
import notification.api.transport.DeliveryResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Compaction of a journal holding more live messages than the compactor's 1 MB buffer: every message that waits is
 * read back byte for byte from the new journal, at once (not held in memory any more) and after a restart.
 */
class OutboxCompactionTest {
    private static final int ENTRIES = 8;
    private static final int SIZE = 200 * 1024;

    @TempDir
    Path dir;
    private final PowerCutFiles disk = new PowerCutFiles();
    private final OutboxStoreContract.TestClock clock = new OutboxStoreContract.TestClock();

    private static byte[] message(String id) {
        StringBuilder b = new StringBuilder("Message-ID: <" + id + "@test>\r\n\r\n");
        for (int line = 0; b.length() < SIZE; line++) {
            b.append(id).append(" line ").append(line).append("\r\n");
        }
        return b.toString().getBytes(StandardCharsets.US_ASCII);
    }

    private static void submit(Outbox o, String id) throws Exception {
        StoredEntry e = new StoredEntry(id, "<" + id + "@test>", null, id, List.of("a@example.com"), null, null,
                o.clock().instant());
        SpillBuffer body = o.newBody(id);
        body.write(message(id));
        o.submit(e, body);
    }

    private static String id(int i) {
        return String.format("entry-%04d", i);
    }

    private long generation() throws Exception {
        try (Stream<Path> files = Files.list(dir.resolve("outbox"))) {
            return files.map(p -> p.getFileName().toString()).filter(n -> n.matches("journal-\\d+\\.log"))
                    .mapToLong(n -> Long.parseLong(n.substring(8, n.length() - 4))).max().orElse(0);
        }
    }

    /** Claims every due entry and checks its message, deferring it again; returns how many there were. */
    private static int sendAll(Outbox o, DeliveryResult result) throws Exception {
        int n = 0;
        for (OutboxStore.Due due = o.peekDue(); due != null && !due.at().isAfter(o.clock().instant());
                due = o.peekDue()) {
            Dispatch d = o.claim(due);
            try (InputStream in = o.open(d)) {
                assertArrayEquals(message(d.id()), in.readAllBytes(), d.id());
            }
            o.finish(d, DeliveryOutcome.of(d.entry(), result, OutboxStoreContract.SCHEDULE, o.clock().instant()),
                    "relay");
            n++;
        }
        return n;
    }

    @Test
    void messagesMovedByACompactionAreReadFromTheNewJournal() throws Exception {
        Outbox o = new Outbox(dir.resolve("outbox"), clock, 3L << 20, disk.session());
        for (int i = 0; i < ENTRIES; i++) {
            submit(o, id(i));
        }
        assertEquals(ENTRIES, sendAll(o, DeliveryResult.transientFailure("451 later")), "first attempts, from memory");
        int i = ENTRIES;
        for (; generation() < 2; i++) {
            submit(o, id(i)); // grows the journal beyond its threshold
            assertEquals(1, sendAll(o, DeliveryResult.sent("250 ok")));
        }
        clock.advance(Duration.ofMinutes(5));
        assertEquals(ENTRIES, sendAll(o, DeliveryResult.transientFailure("451 again")), "read from the new journal");
        o.close();
        disk.powerCut();

        clock.advance(Duration.ofMinutes(10));
        try (Outbox again = new Outbox(dir.resolve("outbox"), clock, 3L << 20, disk.session())) {
            assertEquals(DeliveryState.DEFERRED, again.find(id(0)).orElseThrow().state());
            assertEquals(2, again.find(id(0)).orElseThrow().attempts());
            assertEquals(ENTRIES, sendAll(again, DeliveryResult.sent("250 ok")), "and after a restart");
            assertEquals(DeliveryState.SENT, again.find(id(i - 1)).orElseThrow().state());
            assertNull(again.peekDue());
        }
    }

    @Test
    void aCompactionThatCannotWriteItsNewJournalLeavesNoPartOfItBehind() throws Exception {
        int[] failures = {0};
        disk.failAt((op, file, index) -> {
            boolean fails = op == PowerCutFiles.Op.WRITE && file.getFileName().toString().endsWith(".log.tmp");
            failures[0] += fails ? 1 : 0;
            return fails;
        });
        try (Outbox o = new Outbox(dir.resolve("outbox"), clock, 64 * 1024, disk.session())) {
            for (int i = 0; i < ENTRIES; i++) {
                submit(o, id(i));
            }
        }
        assertTrue(failures[0] > 0, "a compaction was tried");
        try (Stream<Path> files = Files.list(dir.resolve("outbox"))) {
            assertEquals(List.of(), files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".tmp"))
                    .toList());
        }
        assertEquals(1, generation(), "the journal stays the one in use");
    }

    @Test
    void anEntryWhoseRecordIsLargerThanWhatIsLeftOfTheCompactorsBufferIsMovedWholeAfterTheOnesBefore()
            throws Exception {
        String domain = "d".repeat(60) + "." + "d".repeat(60) + "." + "d".repeat(60) + ".example.com";
        List<String> many = IntStream.range(0, 3000).mapToObj(n -> String.format("r%04d@%s", n, domain)).toList();
        String big = id(1);
        try (Outbox o = new Outbox(dir.resolve("outbox"), clock, 64 * 1024, disk.session())) {
            submit(o, id(0)); // compacted alone: the next compaction is above 400 KB
            StoredEntry e = new StoredEntry(big, "<" + big + "@test>", null, big, many, null, null,
                    o.clock().instant());
            SpillBuffer body = o.newBody(big);
            body.write(message(big));
            o.submit(e, body); // about 1.4 MB with its recipients twice (all, pending): more than 1 MB
            submit(o, id(2)); // written once the compaction that followed is over
            assertEquals(3, generation(), "the journal was compacted with both entries");
            assertEquals(3, sendAll(o, DeliveryResult.transientFailure("451 later")), "first attempts, from memory");
            clock.advance(Duration.ofMinutes(5));
            assertEquals(3, sendAll(o, DeliveryResult.transientFailure("451 again")), "read from the new journal");
        }
        disk.powerCut();
        clock.advance(Duration.ofMinutes(10));
        try (Outbox again = new Outbox(dir.resolve("outbox"), clock, 1L << 40, disk.session())) {
            assertEquals(many, again.find(big).orElseThrow().recipients());
            assertEquals(many, again.find(big).orElseThrow().pendingRecipients());
            assertEquals(3, sendAll(again, DeliveryResult.sent("250 ok")), "and after a restart");
        }
    }
}
