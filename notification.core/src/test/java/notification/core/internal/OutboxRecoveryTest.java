package notification.core.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import notification.api.DeliveryState;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Recovery on its own: what it makes of the records a journal replay hands it. */
class OutboxRecoveryTest {
    private static final Instant NOW = Instant.parse("2026-12-03T12:00:00Z");
    @TempDir
    Path dir;

    private OutboxRecovery recovery() throws Exception {
        return new OutboxRecovery(Files.createDirectories(dir.resolve("messages")), Clock.fixed(NOW, ZoneOffset.UTC),
                new LocalOutboxFiles());
    }

    private static StoredEntry entry(String id, long sequence) {
        StoredEntry e = new StoredEntry(id, "<" + id + "@test>", null, null, List.of("a@example.com"), null, null, NOW);
        e.sequence = sequence;
        e.lifetimeStart = NOW;
        e.nextAttemptAt = NOW;
        e.updatedAt = NOW;
        return e;
    }

    private static EntryCodec.Decoded decoded(StoredEntry e, byte bodyKind) throws Exception {
        byte[] body = "Subject: x\r\n\r\nbody".getBytes();
        byte[] framed = bodyKind == EntryCodec.BODY_INLINE ? EntryCodec.entry(e, bodyKind, body, body.length, null)
                : EntryCodec.entry(e, bodyKind, null, 0, null);
        return EntryCodec.decode(Arrays.copyOfRange(framed, EntryCodec.HEADER, framed.length));
    }

    @Test
    void recoveredEntriesComeInSubmissionOrderWhateverTheOrderOfTheirRecords() throws Exception {
        OutboxRecovery recovery = recovery();
        Path journal = dir.resolve("journal.log");
        recovery.record(journal, 0, decoded(entry("entry-0002", 2), EntryCodec.BODY_INLINE));
        recovery.record(journal, 500, decoded(entry("entry-0001", 1), EntryCodec.BODY_INLINE));
        recovery.record(journal, 1000, decoded(entry("entry-0003", 3), EntryCodec.BODY_INLINE));
        assertEquals(List.of("entry-0001", "entry-0002", "entry-0003"),
                recovery.finish().stream().map(e -> e.id).toList());
    }

    @Test
    void anOutcomeWhoseSubmitRecordWasDamagedIsQuarantinedForItsMissingMessage() throws Exception {
        OutboxRecovery recovery = recovery();
        recovery.damaged(0, "entry-0001", "checksum mismatch");
        StoredEntry deferred = entry("entry-0001", 1);
        deferred.state = DeliveryState.DEFERRED;
        recovery.record(dir.resolve("journal.log"), 700, decoded(deferred, EntryCodec.BODY_UNCHANGED));
        StoredEntry back = recovery.finish().get(0);
        assertEquals(DeliveryState.QUARANTINED, back.state);
        assertEquals("the stored message is missing or incomplete; discard it", back.lastError);
    }

    @Test
    void aDamagedRecordOfAnUnknownEntryIsKeptAfterTheOthersWithASequenceOfItsOwn() throws Exception {
        OutboxRecovery recovery = recovery();
        Path journal = dir.resolve("journal.log");
        recovery.record(journal, 0, decoded(entry("entry-0001", 1), EntryCodec.BODY_INLINE));
        recovery.record(journal, 500, decoded(entry("entry-0002", 2), EntryCodec.BODY_INLINE));
        recovery.damaged(1000, null, "checksum mismatch");
        recovery.damaged(1500, null, "checksum mismatch");
        List<StoredEntry> back = recovery.finish();
        assertEquals(List.of("entry-0001", "entry-0002", "damaged-1000", "damaged-1500"),
                back.stream().map(e -> e.id).toList());
        assertEquals(List.of(1L, 2L, 3L, 4L), back.stream().map(e -> e.sequence).toList(),
                "an entry's sequence is its place in the outbox's order: no two share one");
        assertEquals(DeliveryState.QUARANTINED, back.get(2).state);
    }
}
