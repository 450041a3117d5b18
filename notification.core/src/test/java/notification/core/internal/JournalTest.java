package notification.core.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The journal writer on its own: records land in order at the positions it acknowledges, batches larger than its
 * buffer and records larger than it included; what close writes is durable; compaction is considered at the thresholds
 * it promises; a rewritten journal survives a power cut the moment the switch returns; a batch that cannot be forced
 * leaves nothing behind; every file it opens is closed.
 */
class JournalTest {
    @TempDir
    Path dir;
    private final PowerCutFiles disk = new PowerCutFiles();

    /** Positions of the records a replay found, and their ids. */
    private static final class Replayed implements JournalReader.Visitor {
        final List<Long> positions = new ArrayList<>();
        final List<String> ids = new ArrayList<>();
        final List<String> damage = new ArrayList<>();

        @Override
        public void record(Path file, long position, EntryCodec.Decoded r) {
            positions.add(position);
            ids.add(r.id());
        }

        @Override
        public void damaged(long position, String id, String problem) {
            damage.add(position + " " + problem);
        }
    }

    private Journal open(long compactAbove, Replayed replayed) throws IOException {
        return new Journal(dir, compactAbove, replayed, disk.session());
    }

    /** A discard record padded with its id to about {@code size} bytes: any framed record will do here. */
    private static byte[] record(int n, int size) {
        String id = String.format("entry-%06d-", n);
        return EntryCodec.discard(id + "x".repeat(Math.max(0, size - 17 - id.length())));
    }

    @Test
    void recordsAppendedWithoutWaitingLandInOrderAtTheirAcknowledgedPositions() throws Exception {
        List<CompletableFuture<Long>> done = new ArrayList<>();
        List<byte[]> records = new ArrayList<>();
        try (Journal j = open(1L << 40, new Replayed())) {
            for (int i = 0; i < 400; i++) {
                byte[] r = record(i, i == 200 ? 3 << 20 : 5000); // more than the 1 MB buffer, one record larger
                records.add(r);
                done.add(j.append(r, null));
            }
            for (CompletableFuture<Long> f : done) {
                f.get(60, TimeUnit.SECONDS);
            }
        }
        disk.powerCut();
        Replayed replayed = new Replayed();
        try (Journal again = open(1L << 40, replayed)) {
            long pos = 0;
            for (int i = 0; i < records.size(); i++) {
                assertEquals(pos, done.get(i).get(), "acknowledged position of record " + i);
                pos += records.get(i).length;
            }
            assertEquals(done.stream().map(CompletableFuture::join).toList(), replayed.positions);
            assertEquals(List.of(), replayed.damage);
            assertEquals(pos, Files.size(again.file()));
        }
    }

    @Test
    void aBatchLargerThanTheBufferLandsWholeAndInOrder() throws Exception {
        CountDownLatch writerHeld = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        List<CompletableFuture<Long>> done = new ArrayList<>();
        List<byte[]> records = new ArrayList<>();
        try (Journal j = open(1L << 40, new Replayed())) {
            records.add(record(0, 300));
            done.add(j.append(records.get(0), pos -> { // runs on the writer: the next records queue up meanwhile
                writerHeld.countDown();
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }));
            assertTrue(writerHeld.await(30, TimeUnit.SECONDS), "the first record reached the writer");
            for (int i = 1; i <= 300; i++) { // about 1.5 MB in one batch: more than the 1 MB buffer
                records.add(record(i, 5000));
                done.add(j.append(records.get(i), null));
            }
            release.countDown();
            for (CompletableFuture<Long> f : done) {
                f.get(30, TimeUnit.SECONDS);
            }
        }
        disk.powerCut();
        Replayed replayed = new Replayed();
        try (Journal again = open(1L << 40, replayed)) {
            assertEquals(done.stream().map(CompletableFuture::join).toList(), replayed.positions);
            for (int i = 0; i < records.size(); i++) {
                assertTrue(replayed.ids.get(i).startsWith(String.format("entry-%06d-", i)), "record " + i);
            }
            assertEquals(List.of(), replayed.damage);
            assertEquals(records.stream().mapToLong(r -> r.length).sum(), Files.size(again.file()));
        }
    }

    @Test
    void theDurableCallbackSeesTheRecordsPositionBeforeItsAcknowledgement() throws Exception {
        try (Journal j = open(1L << 40, new Replayed())) {
            j.append(record(1, 300), null).get();
            long[] seen = {-1};
            CompletableFuture<Long> f = j.append(record(2, 400), pos -> seen[0] = pos);
            assertEquals(300L, f.get());
            assertEquals(300L, seen[0]);
        }
    }

    @Test
    void aFailingDurableCallbackFailsOnlyItsOwnRecord() throws Exception {
        try (Journal j = open(1L << 40, new Replayed())) {
            CompletableFuture<Long> bad = j.append(record(1, 300), pos -> {
                throw new IllegalStateException("index full");
            });
            ExecutionException e = assertThrows(ExecutionException.class, bad::get);
            assertEquals("index full", e.getCause().getMessage());
            assertEquals(300L, j.append(record(2, 300), null).get());
        }
    }

    @Test
    void unforcedRecordsAreWrittenAndForcedByClose() throws Exception {
        Journal j = open(1L << 40, new Replayed());
        for (int i = 0; i < 5; i++) {
            j.appendUnforced(record(i, 200));
        }
        j.close();
        disk.powerCut();
        Replayed replayed = new Replayed();
        try (Journal again = open(1L << 40, replayed)) {
            assertEquals(List.of(0L, 200L, 400L, 600L, 800L), replayed.positions);
        }
    }

    @Test
    void unforcedRecordsBecomeDurableWithTheNextForcedOne() throws Exception {
        try (Journal j = open(1L << 40, new Replayed())) {
            j.appendUnforced(record(1, 200));
            j.append(record(2, 200), null).get();
            disk.powerCut();
        }
        Replayed replayed = new Replayed();
        try (Journal again = open(1L << 40, replayed)) {
            assertEquals(List.of(0L, 200L), replayed.positions);
        }
    }

    @Test
    void aClosedJournalRefusesRecords() throws Exception {
        Journal j = open(1L << 40, new Replayed());
        j.append(record(1, 200), null).get();
        j.close();
        ExecutionException e = assertThrows(ExecutionException.class, () -> j.append(record(2, 200), null).get());
        assertEquals("the outbox is closed", e.getCause().getMessage());
        j.appendUnforced(record(3, 200));
        Replayed replayed = new Replayed();
        try (Journal again = open(1L << 40, replayed)) {
            assertEquals(List.of(0L), replayed.positions);
        }
    }

    @Test
    void compactionIsConsideredAboveTheThresholdThenAboveTwiceTheSizeItLeft() throws Exception {
        List<Long> sizes = new ArrayList<>();
        Journal j = open(1000, new Replayed());
        j.setCompactor(journal -> sizes.add(Files.size(journal.file())));
        for (int i = 0; i < 12; i++) {
            j.append(record(i, 300), null).get();
        }
        j.close();
        assertEquals(List.of(1200L, 2700L), sizes, "a compaction that leaves 1200 bytes waits for 2400");
    }

    @Test
    void aFailedCompactionIsTriedAgainOnlyOnceTheJournalDoubled() throws Exception {
        List<Long> sizes = new ArrayList<>();
        Journal j = open(1000, new Replayed());
        j.setCompactor(journal -> {
            sizes.add(Files.size(journal.file()));
            throw new IOException("disk full");
        });
        for (int i = 0; i < 15; i++) {
            j.append(record(i, 300), null).get();
        }
        j.close();
        assertEquals(List.of(1200L, 2100L, 4200L), sizes);
    }

    @Test
    void aRewrittenJournalIsTheLiveOneAndSurvivesAPowerCutAtOnce() throws Exception {
        CountDownLatch switched = new CountDownLatch(1);
        Path[] files = new Path[2];
        Journal j = open(1000, new Replayed());
        j.setCompactor(journal -> {
            files[0] = journal.file();
            FileChannel out = journal.startRewrite();
            out.write(ByteBuffer.wrap(record(99, 500)));
            files[1] = journal.finishRewrite(out);
            switched.countDown();
        });
        for (int i = 0; i < 4; i++) {
            j.append(record(i, 300), null).get();
        }
        assertTrue(switched.await(30, TimeUnit.SECONDS));
        disk.powerCut();
        j.close();

        assertEquals(dir.resolve(JournalFiles.name(1)), files[0]);
        assertEquals(dir.resolve(JournalFiles.name(2)), files[1]);
        assertTrue(Files.notExists(JournalFiles.next(dir, 1)), "no half-made journal is left");
        Replayed replayed = new Replayed();
        try (Journal again = open(1L << 40, replayed)) {
            assertEquals(files[1], again.file());
            assertEquals(List.of(0L), replayed.positions, "only the rewritten journal is read");
            assertTrue(replayed.ids.get(0).startsWith("entry-000099-"), replayed.ids.toString());
        }
    }

    @Test
    void recordsAfterARewriteGoToTheNewJournal() throws Exception {
        Journal j = open(1000, new Replayed());
        rewriteOnce(j, true);
        assertEquals(500L, j.append(record(100, 300), null).get());
        disk.powerCut();
        j.close();
        Replayed replayed = new Replayed();
        try (Journal again = open(1L << 40, replayed)) {
            assertEquals(List.of(0L, 500L), replayed.positions);
            try (var names = Files.list(dir)) {
                assertEquals(List.of(again.file().getFileName().toString()),
                        names.map(p -> p.getFileName().toString()).toList(), "the old journal is gone");
            }
        }
    }

    @Test
    void aTornTailIsCutOffSoTheNextRecordFollowsTheLastIntactOne() throws Exception {
        try (Journal j = open(1L << 40, new Replayed())) {
            j.append(record(1, 300), null).get();
        }
        Path file = dir.resolve(JournalFiles.name(1));
        Files.write(file, new byte[] {0x4e, 0x4f, 0x54}, java.nio.file.StandardOpenOption.APPEND);
        try (Journal j = open(1L << 40, new Replayed())) {
            assertEquals(300L, Files.size(file), "cut off at open");
            assertEquals(300L, j.append(record(2, 300), null).get());
        }
        Replayed replayed = new Replayed();
        try (Journal again = open(1L << 40, replayed)) {
            assertEquals(List.of(0L, 300L), replayed.positions);
        }
    }

    @Test
    void whatTheJournalHoldsWhenItOpensIsMadeDurableBeforeItIsUsed() throws Exception {
        Path file = dir.resolve(JournalFiles.name(1));
        try (FileChannel written = disk.session().open(file, java.nio.file.StandardOpenOption.CREATE_NEW,
                java.nio.file.StandardOpenOption.WRITE)) {
            written.write(ByteBuffer.wrap(record(1, 300))); // by a process that died before its fsync
        }
        try (Journal j = open(1L << 40, new Replayed())) {
            disk.powerCut();
        }
        Replayed replayed = new Replayed();
        try (Journal again = open(1L << 40, replayed)) {
            assertEquals(List.of(0L), replayed.positions, "what the outbox acted on at open is still there");
        }
    }

    @Test
    void aBatchThatCannotBeMadeDurableLeavesNothingAndTheNextRecordTakesItsPlace() throws Exception {
        int[] forces = {0};
        disk.failAt((op, file, index) -> op == PowerCutFiles.Op.FORCE && ++forces[0] == 2); // 1: at open
        byte[] refused = record(1, 300);
        Journal j = open(1L << 40, new Replayed());
        ExecutionException e = assertThrows(ExecutionException.class, () -> j.append(refused, null).get());
        assertTrue(e.getCause().getMessage().startsWith("injected failure at FORCE"), e.getCause().toString());
        assertEquals(0L, j.append(record(2, 400), null).get());
        j.close();
        Replayed replayed = new Replayed();
        try (Journal again = open(1L << 40, replayed)) {
            assertEquals(List.of(0L), replayed.positions);
            assertTrue(replayed.ids.get(0).startsWith("entry-000002-"), "the refused record does not come back");
        }
    }

    @Test
    void aRecordAcknowledgedAfterARewriteWhoseFolderSyncFailedSurvivesAPowerCut() throws Exception {
        int[] syncs = {0};
        disk.failAt((op, file, index) -> op == PowerCutFiles.Op.FORCE_DIRECTORY && ++syncs[0] == 2); // 1: at open
        Journal j = open(1000, new Replayed());
        rewriteOnce(j, true);
        assertTrue(Files.exists(dir.resolve(JournalFiles.name(1))),
                "the old journal stays while the switch may be lost");
        assertEquals(500L, j.append(record(100, 300), null).get());
        assertTrue(Files.notExists(dir.resolve(JournalFiles.name(1))), "and goes once it is durable");
        disk.powerCut();
        j.close();
        Replayed replayed = new Replayed();
        try (Journal again = open(1L << 40, replayed)) {
            assertEquals(dir.resolve(JournalFiles.name(2)), again.file());
            assertEquals(List.of(0L, 500L), replayed.positions);
            assertTrue(replayed.ids.get(1).startsWith("entry-000100-"), replayed.ids.toString());
        }
    }

    /** Four 300-byte records pass the threshold of 1000; the compactor writes one record and keeps or drops it. */
    private FileChannel rewriteOnce(Journal j, boolean keep) throws Exception {
        CountDownLatch done = new CountDownLatch(1);
        FileChannel[] rewritten = new FileChannel[1];
        j.setCompactor(journal -> {
            rewritten[0] = journal.startRewrite();
            rewritten[0].write(ByteBuffer.wrap(record(99, 500)));
            if (keep) {
                journal.finishRewrite(rewritten[0]);
            } else {
                journal.abortRewrite(rewritten[0]);
            }
            j.setCompactor(null);
            done.countDown();
        });
        for (int i = 0; i < 4; i++) {
            j.append(record(i, 300), null).get();
        }
        assertTrue(done.await(30, TimeUnit.SECONDS), "the compactor ran");
        return rewritten[0];
    }

    @Test
    void anAbandonedRewriteClosesItsFileAndLeavesNoneBehind() throws Exception {
        Journal j = open(1000, new Replayed());
        FileChannel rewritten = rewriteOnce(j, false);
        assertFalse(rewritten.isOpen(), "its file is closed");
        assertTrue(Files.notExists(JournalFiles.next(dir, 1)), "and deleted");
        assertEquals(1200L, j.append(record(4, 300), null).get(), "the current journal stays in use");
        j.close();
        assertEquals(List.of(), disk.openFiles());
    }

    @Test
    void closingTheJournalClosesItsFile() throws Exception {
        Journal j = open(1000, new Replayed());
        FileChannel live = rewriteOnce(j, true);
        assertTrue(live.isOpen());
        j.close();
        assertFalse(live.isOpen());
        assertEquals(List.of(), disk.openFiles());
    }
}
