package notification.core.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import notification.api.DeliveryState;
import notification.api.NotificationStoreException;
import notification.api.OutboxEntry;
import notification.api.transport.DeliveryResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Power cuts at every step of a scripted sequence (LazyFS-like: only forced bytes and synced names survive): every
 * acknowledged notification comes back whole, an outcome that was not forced comes back due with the same message,
 * and a discard that returned never comes undone.
 */
class OutboxPowerLossTest {
    /** Small enough that the script compacts the journal too. */
    private static final long COMPACT_ABOVE = 6 * 1024;

    @TempDir
    Path root;

    /** What the script was told succeeded: these are the promises to check after the power cut. */
    private static final class Acknowledged {
        final Set<String> submitted = new HashSet<>();
        final Set<String> discarded = new HashSet<>();
        final Set<String> retried = new HashSet<>();
        final Set<String> attempted = new TreeSet<>();
        final Map<String, Integer> sizes = new LinkedHashMap<>();
    }

    private static byte[] message(String id, int size) {
        StringBuilder b = new StringBuilder("Message-ID: <" + id + "@test>\r\nSubject: " + id + "\r\n\r\n");
        while (b.length() < size) {
            b.append(id).append(" scanned page\r\n");
        }
        return b.toString().getBytes(StandardCharsets.US_ASCII);
    }

    private static void submit(OutboxStore store, Acknowledged ack, String id, int size) {
        ack.sizes.put(id, size);
        try {
            StoredEntry e = new StoredEntry(id, "<" + id + "@test>", null, id, List.of("a@example.com"), null, null,
                    store.clock().instant());
            SpillBuffer body = store.newBody(id);
            body.write(message(id, size));
            store.submit(e, body);
            ack.submitted.add(id);
        } catch (Exception ignored) {
            // not acknowledged: the print server was told so
        }
    }

    private static void send(OutboxStore store, Acknowledged ack, String id, DeliveryResult result) {
        try {
            for (OutboxStore.Due due = store.peekDue(); due != null; due = store.peekDue()) {
                Dispatch d = store.claim(due);
                if (d.id().equals(id)) {
                    ack.attempted.add(id);
                    store.finish(d, DeliveryOutcome.of(d.entry(), result, OutboxStoreContract.SCHEDULE,
                            store.clock().instant()), "relay");
                    return;
                }
                store.handBack(d);
                return;
            }
        } catch (RuntimeException ignored) {
            // the power is gone
        }
    }

    private static void quarantine(OutboxStore store, String id) {
        try {
            OutboxStore.Due due = store.peekDue();
            if (due != null && due.entry().id.equals(id)) {
                store.quarantine(store.claim(due), "unreadable (test)");
            }
        } catch (RuntimeException ignored) {
            // the power is gone
        }
    }

    private static void retry(OutboxStore store, Acknowledged ack, String id) {
        try {
            if (store.retry(id)) {
                ack.retried.add(id);
            }
        } catch (RuntimeException ignored) {
            // not acknowledged
        }
    }

    private static void discard(OutboxStore store, Acknowledged ack, String id) {
        try {
            if (store.discard(id)) {
                ack.discarded.add(id);
            }
        } catch (RuntimeException ignored) {
            // not acknowledged
        }
    }

    /** Every kind of change, small and large messages, and (with the small threshold) a compaction or two. */
    private static void script(OutboxStore store, Acknowledged ack) {
        int large = Outbox.INLINE_LIMIT + 2048;
        submit(store, ack, "entry-0001", 900);
        submit(store, ack, "entry-0002", large);
        submit(store, ack, "entry-0003", 1200);
        send(store, ack, "entry-0001", DeliveryResult.sent("250 ok"));
        send(store, ack, "entry-0002", DeliveryResult.transientFailure("451 later"));
        send(store, ack, "entry-0003", DeliveryResult.permanentFailure("550 unknown"));
        retry(store, ack, "entry-0003");
        submit(store, ack, "entry-0004", large);
        discard(store, ack, "entry-0002");
        send(store, ack, "entry-0003", DeliveryResult.sent("250 ok"));
        send(store, ack, "entry-0004", DeliveryResult.sent("250 ok"));
        submit(store, ack, "entry-0005", 800);
        quarantine(store, "entry-0005");
        for (int i = 6; i < 14; i++) {
            submit(store, ack, String.format("entry-%04d", i), 700);
        }
        discard(store, ack, "entry-0001");
        send(store, ack, "entry-0006", DeliveryResult.sent("250 ok"));
        submit(store, ack, "entry-0014", 700);
    }

    /** Checks the promises on a reopened outbox; every entry still there is sendable with its own bytes. */
    private static void check(Outbox store, Acknowledged ack, Path messages, String when) throws Exception {
        Map<String, OutboxEntry> present = new LinkedHashMap<>();
        store.list(Set.of(), 1000).forEach(e -> present.put(e.id(), e));
        for (String id : ack.submitted) {
            if (!ack.discarded.contains(id)) {
                assertTrue(present.containsKey(id), when + ": acknowledged " + id + " is missing");
            }
        }
        for (String id : ack.discarded) {
            assertFalse(present.containsKey(id), when + ": discarded " + id + " came back");
        }
        for (OutboxEntry e : present.values()) {
            assertTrue(ack.sizes.containsKey(e.id()), when + ": unknown entry " + e.id());
            assertEquals("<" + e.id() + "@test>", e.messageId(), when);
            if (!ack.attempted.contains(e.id()) && !ack.retried.contains(e.id())) {
                assertTrue(e.state() == DeliveryState.QUEUED || e.state() == DeliveryState.QUARANTINED
                        && e.id().equals("entry-0005"), when + ": " + e.id() + " never sent is " + e.state());
            }
            if (ack.retried.contains(e.id())) {
                assertTrue(e.state() != DeliveryState.FAILED, when + ": the retry of " + e.id() + " was lost");
            }
            if (e.state() != DeliveryState.SENT && e.state() != DeliveryState.QUEUED
                    && e.state() != DeliveryState.DEFERRED) {
                assertTrue(store.retry(e.id()), when + ": " + e.id() + " can be retried");
            }
        }
        Set<String> sendable = new TreeSet<>();
        for (OutboxStore.Due due = store.peekDue(); due != null; due = store.peekDue()) {
            Dispatch d = store.claim(due);
            try (InputStream in = store.open(d)) {
                byte[] bytes = in.readAllBytes();
                assertEquals(new String(message(d.id(), ack.sizes.get(d.id())), StandardCharsets.US_ASCII),
                        new String(bytes, StandardCharsets.US_ASCII), when + ": the message of " + d.id());
            }
            sendable.add(d.id());
        }
        Set<String> notSent = new TreeSet<>();
        present.values().stream().filter(e -> e.state() != DeliveryState.SENT).forEach(e -> notSent.add(e.id()));
        assertEquals(notSent, sendable, when + ": everything not sent is due (deferred ones included)");
        try (Stream<Path> files = Files.list(messages)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                String id = f.getFileName().toString().replace(".eml", "");
                assertTrue(notSent.contains(id), when + ": message file " + f.getFileName() + " is an orphan");
            }
        }
    }

    @Test
    void everyAcknowledgedNotificationSurvivesAPowerCutAtEveryStep() throws Exception {
        int cuts = 0;
        for (int cutAt = 0; ; cutAt++) {
            Path dir = root.resolve("cut-" + cutAt + "/outbox");
            PowerCutFiles disk = new PowerCutFiles();
            OutboxStoreContract.TestClock clock = new OutboxStoreContract.TestClock();
            Acknowledged ack = new Acknowledged();
            Outbox store = new Outbox(dir, clock, COMPACT_ABOVE, disk.session());
            disk.cutAt(disk.operations() + cutAt);
            script(store, ack);
            boolean cut = disk.wasCut();
            store.close();
            disk.powerCut();
            clock.advance(Duration.ofDays(1)); // deferred entries are due again
            Outbox reopened = new Outbox(dir, clock, COMPACT_ABOVE, disk.session());
            try {
                check(reopened, ack, dir.resolve("messages"), "power cut at operation " + cutAt + " "
                        + disk.history().subList(Math.max(0, disk.history().size() - 4), disk.history().size()));
            } finally {
                reopened.close();
            }
            if (!cut) {
                break; // the script ran to its end before this cut point
            }
            cuts++;
        }
        assertTrue(cuts > 60, "the script has many cut points: " + cuts);
    }

    /** A compaction step that fails once. */
    private record CompactionFault(String name, PowerCutFiles.Op op, String fileSuffix) {
    }

    private static final List<CompactionFault> COMPACTION_FAULTS = List.of(
            new CompactionFault("creating the new journal", PowerCutFiles.Op.OPEN, ".log.tmp"),
            new CompactionFault("writing the new journal", PowerCutFiles.Op.WRITE, ".log.tmp"),
            new CompactionFault("syncing the new journal", PowerCutFiles.Op.FORCE, ".log.tmp"),
            new CompactionFault("renaming the new journal", PowerCutFiles.Op.MOVE, ".log"),
            new CompactionFault("syncing the folder after the rename", PowerCutFiles.Op.FORCE_DIRECTORY, "outbox"),
            new CompactionFault("deleting the old journal", PowerCutFiles.Op.DELETE, ".log"));

    @Test
    void aFailureAtAnyCompactionStepLosesNothingAndRefusesNoSubmit() throws Exception {
        for (CompactionFault f : COMPACTION_FAULTS) {
            for (boolean powerCut : new boolean[] {false, true}) {
                Path dir = root.resolve(f.op() + "-" + powerCut + "/outbox");
                PowerCutFiles disk = new PowerCutFiles();
                OutboxStoreContract.TestClock clock = new OutboxStoreContract.TestClock();
                Acknowledged ack = new Acknowledged();
                boolean[] moved = {false};
                int[] failed = {0};
                Outbox store = new Outbox(dir, clock, COMPACT_ABOVE, disk.session());
                disk.failAt((op, file, index) -> {
                    String name = file.getFileName().toString();
                    if (op == PowerCutFiles.Op.MOVE && name.endsWith(".log")) {
                        moved[0] = true;
                    }
                    boolean compacting = f.op() != PowerCutFiles.Op.FORCE_DIRECTORY || moved[0];
                    if (failed[0] == 0 && compacting && op == f.op() && name.endsWith(f.fileSuffix())) {
                        failed[0]++;
                        return true;
                    }
                    return false;
                });
                script(store, ack);
                String when = "a failure " + f.name() + (powerCut ? " then a power cut" : " then a restart");
                assertEquals(1, failed[0], when + ": the fault was injected");
                assertEquals(ack.sizes.size(), ack.submitted.size(), when + ": every submit was accepted");
                assertTrue(Files.list(dir).anyMatch(p -> p.getFileName().toString().matches("journal-0+[2-9]\\.log")),
                        when + ": a compaction did happen");
                if (powerCut) {
                    disk.powerCut();
                }
                store.close();
                clock.advance(Duration.ofDays(1));
                Outbox reopened = new Outbox(dir, clock, COMPACT_ABOVE, disk.session());
                try {
                    check(reopened, ack, dir.resolve("messages"), when);
                } finally {
                    reopened.close();
                }
            }
        }
    }

    @Test
    void anOldJournalThatCannotBeDeletedNeitherStopsTheOutboxNorComesBack() throws Exception {
        Path dir = root.resolve("outbox");
        PowerCutFiles disk = new PowerCutFiles();
        OutboxStoreContract.TestClock clock = new OutboxStoreContract.TestClock();
        Acknowledged ack = new Acknowledged();
        Outbox store = new Outbox(dir, clock, COMPACT_ABOVE, disk.session());
        disk.failAt((op, file, index) -> op == PowerCutFiles.Op.DELETE
                && file.getFileName().toString().matches("journal-\\d+\\.log"));
        script(store, ack);
        assertEquals(ack.sizes.size(), ack.submitted.size(), "every submit was accepted");
        disk.powerCut();
        store.close();
        disk.failAt((op, file, index) -> false);
        clock.advance(Duration.ofDays(1));
        List<String> journals = new ArrayList<>();
        try (Outbox reopened = new Outbox(dir, clock, 64L << 20, disk.session())) {
            try (Stream<Path> files = Files.list(dir)) {
                files.map(p -> p.getFileName().toString()).filter(n -> n.startsWith("journal-")).forEach(journals::add);
            }
            check(reopened, ack, dir.resolve("messages"), "old journals left behind");
        }
        assertEquals(1, journals.size(), "superseded journals are removed at the next start: " + journals);
    }

    @Test
    void anOutcomeFollowedByNothingIsForcedOnItsOwnSoonAfter() throws Exception {
        Path dir = root.resolve("outbox");
        PowerCutFiles disk = new PowerCutFiles();
        OutboxStoreContract.TestClock clock = new OutboxStoreContract.TestClock();
        Acknowledged ack = new Acknowledged();
        Outbox store = new Outbox(dir, clock, 64L << 20, disk.session());
        submit(store, ack, "entry-0001", 900);
        int before = disk.operations();
        send(store, ack, "entry-0001", DeliveryResult.sent("250 ok"));
        Poll.until("the outcome written and forced", Duration.ofSeconds(30), () -> {
            List<String> ops = disk.history();
            String joined = String.join("|", ops.subList(Math.min(before, ops.size()), ops.size()));
            return joined.matches(".*WRITE journal-\\d+\\.log\\|\\d+ FORCE journal-\\d+\\.log.*");
        }, () -> disk.history().toString());
        disk.powerCut();
        store.close();
        try (Outbox reopened = new Outbox(dir, clock, 64L << 20, disk.session())) {
            assertEquals(DeliveryState.SENT, reopened.find("entry-0001").orElseThrow().state(),
                    "forced: " + disk.history());
        }
    }

    /** Submits a message too large to keep inline, so that it is spilled to its own file; returns the failure. */
    private static NotificationStoreException submitLarge(Outbox store, String id) throws Exception {
        StoredEntry e = new StoredEntry(id, "<" + id + "@test>", null, "scan", List.of("a@example.com"), null, null,
                store.clock().instant());
        SpillBuffer body = store.newBody(id);
        body.write(new byte[Outbox.INLINE_LIMIT + 1]);
        return assertThrows(NotificationStoreException.class, () -> store.submit(e, body));
    }

    private static List<String> messageFiles(Path dir) throws Exception {
        try (Stream<Path> files = Files.list(dir.resolve("messages"))) {
            return files.map(p -> p.getFileName().toString()).toList();
        }
    }

    @Test
    void aLargeMessageThatCannotBeMovedIntoPlaceLeavesNoSpillFileBehind() throws Exception {
        Path dir = root.resolve("outbox");
        PowerCutFiles disk = new PowerCutFiles();
        try (Outbox store = new Outbox(dir, new OutboxStoreContract.TestClock(), COMPACT_ABOVE, disk.session())) {
            disk.failAt((op, file, index) -> op == PowerCutFiles.Op.MOVE);
            submitLarge(store, "entry-0001");
            assertEquals(List.of(), messageFiles(dir));
            assertTrue(store.find("entry-0001").isEmpty());
        }
    }

    @Test
    void aLargeMessageWhoseRecordCannotBeWrittenLeavesNoMessageFileBehind() throws Exception {
        Path dir = root.resolve("outbox");
        PowerCutFiles disk = new PowerCutFiles();
        try (Outbox store = new Outbox(dir, new OutboxStoreContract.TestClock(), COMPACT_ABOVE, disk.session())) {
            disk.failAt((op, file, index) -> op == PowerCutFiles.Op.WRITE && file.getFileName().toString()
                    .endsWith(".log"));
            submitLarge(store, "entry-0001");
            assertEquals(List.of(), messageFiles(dir));
            assertTrue(store.find("entry-0001").isEmpty());
        }
    }
}
