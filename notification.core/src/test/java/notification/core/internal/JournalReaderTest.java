package notification.core.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import notification.api.DeliveryState;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Replaying journal bytes: intact records at their exact positions, a torn tail cut off silently, damage in the middle
 * reported once with the entry's id and skipped up to the next intact record, wherever that lies.
 */
class JournalReaderTest {
    @TempDir
    Path dir;

    /** What a replay reported, as lines such as "record entry-0001 at 0" and "damaged entry-0002 at 120". */
    private static final class Seen implements JournalReader.Visitor {
        final List<String> lines = new ArrayList<>();
        final List<EntryCodec.Decoded> records = new ArrayList<>();

        @Override
        public void record(Path file, long position, EntryCodec.Decoded r) {
            lines.add("record " + r.id() + " at " + position);
            records.add(r);
        }

        @Override
        public void damaged(long position, String id, String problem) {
            lines.add("damaged " + id + " at " + position + ": " + problem);
        }
    }

    private static StoredEntry entry(String id) {
        StoredEntry e = new StoredEntry(id, "<" + id + "@test>", "job-" + id, "Scan " + id, List.of("a@example.com"),
                null, null, Instant.parse("2026-12-01T08:00:00Z"));
        e.sequence = 7;
        e.lifetimeStart = e.createdAt;
        e.nextAttemptAt = e.createdAt;
        e.updatedAt = e.createdAt;
        return e;
    }

    private static byte[] record(String id) {
        byte[] body = ("Subject: " + id + "\r\n\r\nbody").getBytes(StandardCharsets.US_ASCII);
        return EntryCodec.entry(entry(id), EntryCodec.BODY_INLINE, body, body.length, null);
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    private Seen replay(byte[] journal, long[] end) throws IOException {
        Path file = dir.resolve("journal-" + System.nanoTime() + ".log");
        Files.write(file, journal);
        Seen seen = new Seen();
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            end[0] = new JournalReader(file, ch).replay(seen);
        }
        return seen;
    }

    @Test
    void intactRecordsAreReplayedInOrderAtTheirPositions() throws Exception {
        byte[] a = record("entry-0001");
        byte[] d = EntryCodec.discard("entry-0001");
        byte[] b = record("entry-0002");
        long[] end = new long[1];
        Seen seen = replay(concat(a, d, b), end);

        assertEquals(List.of("record entry-0001 at 0", "record entry-0001 at " + a.length,
                "record entry-0002 at " + (a.length + d.length)), seen.lines);
        assertEquals(a.length + d.length + b.length, end[0]);
        assertEquals(EntryCodec.DISCARD, seen.records.get(1).type());
        assertNull(seen.records.get(1).entry());
    }

    @Test
    void anEmptyJournalEndsAtZero() throws Exception {
        long[] end = new long[1];
        assertEquals(List.of(), replay(new byte[0], end).lines);
        assertEquals(0, end[0]);
    }

    @Test
    void aTornTailIsCutOffAtEveryLengthWithoutAReport() throws Exception {
        byte[] a = record("entry-0001");
        byte[] b = record("entry-0002");
        for (int keep = 0; keep < b.length; keep++) {
            long[] end = new long[1];
            Seen seen = replay(concat(a, Arrays.copyOf(b, keep)), end);
            assertEquals(List.of("record entry-0001 at 0"), seen.lines, "torn after " + keep + " bytes");
            assertEquals(a.length, end[0], "the next record goes where the torn one started");
        }
    }

    @Test
    void aDamagedRecordIsReportedWithItsIdAndTheNextOneIsReplayed() throws Exception {
        byte[] a = record("entry-0001");
        byte[] b = record("entry-0002");
        byte[] c = record("entry-0003");
        b[b.length - 3] ^= 0x20; // in the message text: the checksum no longer matches
        long[] end = new long[1];
        Seen seen = replay(concat(a, b, c), end);

        assertEquals(List.of("record entry-0001 at 0",
                "damaged entry-0002 at " + a.length + ": checksum or framing error at byte " + a.length,
                "record entry-0003 at " + (a.length + b.length)), seen.lines);
        assertEquals(a.length + b.length + c.length, end[0]);
    }

    @Test
    void aDamagedRecordAtTheEndIsATornTail() throws Exception {
        byte[] a = record("entry-0001");
        byte[] b = record("entry-0002");
        b[b.length - 1] ^= 0x01;
        long[] end = new long[1];
        assertEquals(List.of("record entry-0001 at 0"), replay(concat(a, b), end).lines);
        assertEquals(a.length, end[0]);
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3, 4, 11, 12, 13, 65_532, 65_533, 65_534, 65_535, 65_536, 65_537, 140_000})
    void garbageOfAnyLengthIsSkippedUpToTheNextIntactRecord(int garbage) throws Exception {
        byte[] a = record("entry-0001");
        byte[] junk = new byte[garbage];
        Arrays.fill(junk, (byte) 0x5a);
        byte[] c = record("entry-0003");
        long[] end = new long[1];
        Seen seen = replay(concat(a, junk, c), end);

        assertEquals(List.of("record entry-0001 at 0",
                "damaged null at " + a.length + ": checksum or framing error at byte " + a.length,
                "record entry-0003 at " + (a.length + garbage)), seen.lines);
        assertEquals(a.length + garbage + c.length, end[0]);
    }

    @Test
    void damageAtTheVeryStartIsReportedAndTheRecordsAfterItAreReplayed() throws Exception {
        byte[] junk = new byte[40];
        Arrays.fill(junk, (byte) 0x5a);
        byte[] a = record("entry-0001");
        long[] end = new long[1];
        Seen seen = replay(concat(junk, a), end);

        assertEquals(List.of("damaged null at 0: checksum or framing error at byte 0", "record entry-0001 at 40"),
                seen.lines);
        assertEquals(junk.length + a.length, end[0]);
    }

    /** A framed record around any payload, with its checksum right. */
    private static byte[] framed(byte[] payload) {
        ByteBuffer b = ByteBuffer.allocate(EntryCodec.HEADER + payload.length);
        b.putInt(EntryCodec.MAGIC).putInt(payload.length).putInt(EntryCodec.crc(payload, 0, payload.length));
        return b.put(payload).array();
    }

    @Test
    void aOneBytePayloadIsAWholeRecordThatCannotBeReadNotATornOne() throws Exception {
        byte[] a = record("entry-0001");
        byte[] tiny = framed(new byte[] {EntryCodec.DISCARD});
        long[] end = new long[1];
        Seen seen = replay(concat(a, tiny), end);

        assertEquals(List.of("record entry-0001 at 0", "damaged null at " + a.length + ": unreadable record at byte "
                + a.length + ": java.io.EOFException"), seen.lines);
        assertEquals(a.length + tiny.length, end[0], "an intact record is not cut off, even one that says nothing");
    }

    @Test
    void aRecordOfTheLargestLengthAllowedIsWholeNotTorn() throws Exception {
        byte[] a = record("entry-0001");
        byte[] largest = framed(new byte[64 << 20]); // record type 0: intact, but not one this version knows
        long[] end = new long[1];
        Seen seen = replay(concat(a, largest), end);

        assertEquals(List.of("record entry-0001 at 0", "damaged null at " + a.length + ": unreadable record at byte "
                + a.length + ": java.io.IOException: unknown record type 0"), seen.lines);
        assertEquals(a.length + largest.length, end[0]);
    }

    @Test
    void aNextAttemptAtTheEpochIsKeptAndNotTakenForNone() throws Exception {
        StoredEntry e = entry("entry-0001");
        e.nextAttemptAt = Instant.EPOCH;
        StoredEntry back = EntryCodec.decode(payload(EntryCodec.entry(e, EntryCodec.BODY_FILE, null, 0,
                "entry-0001.eml"))).entry();
        assertEquals(Instant.EPOCH, back.nextAttemptAt);
    }

    @ParameterizedTest
    @ValueSource(ints = {0, -1, (64 << 20) + 1})
    void aRecordWithAnImpossibleLengthIsDamage(int length) throws Exception {
        byte[] a = record("entry-0001");
        byte[] b = record("entry-0002");
        ByteBuffer.wrap(b).putInt(4, length);
        byte[] c = record("entry-0003");
        long[] end = new long[1];
        Seen seen = replay(concat(a, b, c), end);
        assertEquals(3, seen.lines.size(), seen.lines.toString());
        assertEquals("damaged entry-0002 at " + a.length + ": checksum or framing error at byte " + a.length,
                seen.lines.get(1));
        assertEquals("record entry-0003 at " + (a.length + b.length), seen.lines.get(2));
    }

    @Test
    void aRecordWithAnIntactChecksumButUnknownTypeIsReportedAsUnreadable() throws Exception {
        byte[] a = record("entry-0001");
        byte[] odd = record("entry-0002");
        odd[EntryCodec.HEADER] = 9;
        ByteBuffer.wrap(odd).putInt(8, EntryCodec.crc(odd, EntryCodec.HEADER, odd.length - EntryCodec.HEADER));
        long[] end = new long[1];
        Seen seen = replay(concat(a, odd), end);
        assertEquals(List.of("record entry-0001 at 0", "damaged entry-0002 at " + a.length
                + ": unreadable record at byte " + a.length + ": java.io.IOException: unknown record type 9"),
                seen.lines);
        assertEquals(a.length + odd.length, end[0], "an unreadable but intact record is not cut off");
    }

    @Test
    void aStoredEntryDecodesToTheSameState() throws Exception {
        StoredEntry e = entry("entry-0001");
        e.pending = List.of();
        e.failed = new ArrayList<>(List.of("b@example.com"));
        e.state = DeliveryState.FAILED;
        e.attempts = 3;
        e.attemptsAtRetry = 1;
        e.nextAttemptAt = null;
        e.lastError = "550 5.1.1 unknown";
        e.transport = "relay";
        e.size = 4242;
        EntryCodec.Decoded d = EntryCodec.decode(payload(EntryCodec.entry(e, EntryCodec.BODY_FILE, null, 0,
                "entry-0001.eml")));
        StoredEntry back = d.entry();
        assertEquals(EntryCodec.ENTRY, d.type());
        assertEquals(EntryCodec.BODY_FILE, d.bodyKind());
        assertEquals("entry-0001.eml", d.bodyFile());
        assertEquals(e.snapshot(), back.snapshot());
        assertEquals(7, back.sequence);
        assertEquals(1, back.attemptsAtRetry);
        assertEquals(e.lifetimeStart, back.lifetimeStart);
        assertNull(back.nextAttemptAt);
        assertEquals(4242, back.size);
    }

    @Test
    void anEmptyTextDecodesEmptyAndAMissingOneMissing() throws Exception {
        StoredEntry e = entry("entry-0001");
        e.lastError = "";
        e.transport = null;
        StoredEntry back = EntryCodec.decode(payload(EntryCodec.entry(e, EntryCodec.BODY_FILE, null, 0,
                "entry-0001.eml"))).entry();
        assertEquals("", back.lastError);
        assertNull(back.transport);
    }

    @Test
    void anEntryFarLargerThanTheEncodersEstimateEncodesWhole() throws Exception {
        String address = "a".repeat(5000) + "@example.com";
        StoredEntry e = new StoredEntry("entry-0001", "<entry-0001@test>", null, null, List.of(address), null, null,
                Instant.parse("2026-12-01T08:00:00Z"));
        e.lifetimeStart = e.createdAt;
        e.updatedAt = e.createdAt;
        StoredEntry back = EntryCodec.decode(payload(EntryCodec.entry(e, EntryCodec.BODY_FILE, null, 0,
                "entry-0001.eml"))).entry();
        assertEquals(e.snapshot(), back.snapshot());
    }

    @Test
    void anInlineBodyIsFoundAtTheEndOfItsRecord() throws Exception {
        byte[] body = "Subject: x\r\n\r\nbody".getBytes(StandardCharsets.US_ASCII);
        byte[] framed = EntryCodec.entry(entry("entry-0001"), EntryCodec.BODY_INLINE, body, body.length, null);
        byte[] payload = payload(framed);
        EntryCodec.Decoded d = EntryCodec.decode(payload);
        assertEquals(body.length, d.bodyLength());
        assertArrayEquals(body, Arrays.copyOfRange(payload, d.bodyOffset(), d.bodyOffset() + d.bodyLength()));
    }

    @Test
    void anInlineBodyShorterThanItsRecordSaysIsRefused() {
        byte[] body = "Subject: x\r\n\r\nbody".getBytes(StandardCharsets.US_ASCII);
        byte[] payload = payload(EntryCodec.entry(entry("entry-0001"), EntryCodec.BODY_INLINE, body, body.length,
                null));
        IOException e = assertThrows(IOException.class,
                () -> EntryCodec.decode(Arrays.copyOf(payload, payload.length - 1)));
        assertEquals("inline message length does not match the record", e.getMessage());
    }

    @Test
    void aStringOrListLongerThanTheRecordIsRefused() {
        byte[] discard = payload(EntryCodec.discard("entry-0001"));
        ByteBuffer.wrap(discard).putInt(1, discard.length - 4); // one byte more than is left
        assertEquals("string length beyond the record",
                assertThrows(IOException.class, () -> EntryCodec.decode(discard)).getMessage());
        byte[] fits = payload(EntryCodec.discard("entry-0001")); // its id takes exactly what is left
        assertEquals("entry-0001", assertDoesNotThrow(() -> EntryCodec.decode(fits)).id());
    }

    @Test
    void anIdIsSalvagedOnlyWhenItLooksLikeOne() {
        assertEquals("entry-0001", EntryCodec.salvageId(payload(record("entry-0001"))));
        assertEquals("abcdefgh", EntryCodec.salvageId(payload(EntryCodec.discard("abcdefgh"))));
        assertNull(EntryCodec.salvageId(payload(EntryCodec.discard("abcdefg"))), "too short");
        assertNull(EntryCodec.salvageId(payload(EntryCodec.discard("Entry-0001"))), "not an id");
        assertNull(EntryCodec.salvageId(new byte[] {1, 0, 0}), "cut off");
    }

    private static byte[] payload(byte[] framed) {
        return Arrays.copyOfRange(framed, EntryCodec.HEADER, framed.length);
    }
}
