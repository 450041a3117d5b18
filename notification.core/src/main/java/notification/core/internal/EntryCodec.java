package notification.core.internal;

import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32;
import notification.api.DeliveryState;

/** Encodes outbox journal records (an entry's full state, or a discard) into framed, checksummed bytes and back. */
final class EntryCodec {
    static final int MAGIC = 0x4E4F5442;
    static final int HEADER = 12;
    static final byte ENTRY = 1;
    static final byte DISCARD = 2;
    static final byte BODY_UNCHANGED = 0;
    static final byte BODY_INLINE = 1;
    static final byte BODY_FILE = 2;
    static final byte BODY_NONE = 3;

    /** A decoded record; {@code entry} is null for a discard. */
    record Decoded(byte type, String id, StoredEntry entry, byte bodyKind, String bodyFile, int bodyOffset,
            int bodyLength) {
    }

    private EntryCodec() {
    }

    static byte[] discard(String id) {
        RecordWriter out = new RecordWriter(64);
        out.writeByte(DISCARD);
        out.writeString(id);
        return out.framed();
    }

    /**
     * Encodes an entry's state with its body.
     *
     * @param e the entry
     * @param bodyKind one of the BODY_ constants
     * @param inline the message bytes for BODY_INLINE, else null
     * @param inlineLength how many of {@code inline} to store
     * @param bodyFile the message file's name for BODY_FILE, else null
     * @return the framed record; an inline body is at its end
     */
    static byte[] entry(StoredEntry e, byte bodyKind, byte[] inline, int inlineLength, String bodyFile) {
        RecordWriter out = new RecordWriter(256 + inlineLength + (e.subject == null ? 0 : e.subject.length() * 2)
                + (e.lastError == null ? 0 : e.lastError.length() * 2) + e.recipients.size() * 64);
        out.writeByte(ENTRY);
        out.writeString(e.id);
        out.writeString(e.messageId);
        out.writeString(e.reference);
        out.writeString(e.subject);
        out.writeList(e.recipients);
        out.writeString(e.onBehalfName);
        out.writeString(e.onBehalfAddress);
        out.writeLong(e.createdAt.toEpochMilli());
        out.writeLong(e.sequence);
        out.writeList(e.pending);
        out.writeList(e.failed);
        out.writeString(e.state == DeliveryState.SENDING ? e.stateBeforeSending.name() : e.state.name());
        out.writeInt(e.attempts);
        out.writeInt(e.attemptsAtRetry);
        out.writeLong(e.lifetimeStart.toEpochMilli());
        out.writeLong(e.nextAttemptAt == null ? -1 : e.nextAttemptAt.toEpochMilli());
        out.writeLong(e.updatedAt.toEpochMilli());
        out.writeString(e.lastError);
        out.writeString(e.transport);
        out.writeLong(e.size);
        out.writeByte(bodyKind);
        if (bodyKind == BODY_FILE) {
            out.writeString(bodyFile);
        } else if (bodyKind == BODY_INLINE) {
            out.writeInt(inlineLength);
            out.write(inline, 0, inlineLength);
        }
        return out.framed();
    }

    static Decoded decode(byte[] payload) throws IOException {
        DataInputStream in = new DataInputStream(new ByteArrayInputStream(payload));
        byte type = in.readByte();
        String id = readString(in);
        if (type == DISCARD) {
            return new Decoded(type, id, null, BODY_NONE, null, 0, 0);
        }
        if (type != ENTRY) {
            throw new IOException("unknown record type " + type);
        }
        StoredEntry e = new StoredEntry(id, readString(in), readString(in), readString(in), readList(in),
                readString(in), readString(in), Instant.ofEpochMilli(in.readLong()));
        e.sequence = in.readLong();
        e.pending = readList(in);
        e.failed = new ArrayList<>(readList(in));
        e.state = DeliveryState.valueOf(readString(in));
        e.attempts = in.readInt();
        e.attemptsAtRetry = in.readInt();
        e.lifetimeStart = Instant.ofEpochMilli(in.readLong());
        long next = in.readLong();
        e.nextAttemptAt = next < 0 ? null : Instant.ofEpochMilli(next);
        e.updatedAt = Instant.ofEpochMilli(in.readLong());
        e.lastError = readString(in);
        e.transport = readString(in);
        e.size = in.readLong();
        byte bodyKind = in.readByte();
        String bodyFile = null;
        int bodyLength = 0;
        if (bodyKind == BODY_FILE) {
            bodyFile = readString(in);
        } else if (bodyKind == BODY_INLINE) {
            bodyLength = in.readInt();
            if (bodyLength != in.available()) {
                throw new IOException("inline message length does not match the record");
            }
        }
        return new Decoded(type, id, e, bodyKind, bodyFile, payload.length - bodyLength, bodyLength);
    }

    /** Reads the id at the start of a payload whose checksum failed, when it still looks like one. */
    static String salvageId(byte[] payload) {
        try {
            DataInputStream in = new DataInputStream(new ByteArrayInputStream(payload));
            in.readByte();
            String id = readString(in);
            return id != null && id.matches("[0-9a-z-]{8,64}") ? id : null;
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    static int crc(byte[] b, int off, int len) {
        CRC32 crc = new CRC32();
        crc.update(b, off, len);
        return (int) crc.getValue();
    }

    private static String readString(DataInputStream in) throws IOException {
        int len = in.readInt();
        if (len < 0) {
            return null;
        }
        if (len > in.available()) {
            throw new IOException("string length beyond the record");
        }
        return new String(in.readNBytes(len), StandardCharsets.UTF_8);
    }

    private static List<String> readList(DataInputStream in) throws IOException {
        int n = in.readInt();
        if (n < 0 || n > in.available()) {
            throw new IOException("list length beyond the record");
        }
        List<String> list = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            list.add(readString(in));
        }
        return List.copyOf(list);
    }
}
