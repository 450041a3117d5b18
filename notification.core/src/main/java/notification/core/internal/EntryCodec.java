package notification.core.internal;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
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
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream(64);
            DataOutputStream out = new DataOutputStream(bytes);
            out.writeByte(DISCARD);
            writeString(out, id);
            return frame(bytes.toByteArray());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
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
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream(512 + inlineLength);
            DataOutputStream out = new DataOutputStream(bytes);
            out.writeByte(ENTRY);
            writeString(out, e.id);
            writeString(out, e.messageId);
            writeString(out, e.reference);
            writeString(out, e.subject);
            writeList(out, e.recipients);
            writeString(out, e.onBehalfName);
            writeString(out, e.onBehalfAddress);
            out.writeLong(e.createdAt.toEpochMilli());
            out.writeLong(e.sequence);
            writeList(out, e.pending);
            writeList(out, e.failed);
            writeString(out, e.state == DeliveryState.SENDING ? e.stateBeforeSending.name() : e.state.name());
            out.writeInt(e.attempts);
            out.writeInt(e.attemptsAtRetry);
            out.writeLong(e.lifetimeStart.toEpochMilli());
            out.writeLong(e.nextAttemptAt == null ? -1 : e.nextAttemptAt.toEpochMilli());
            out.writeLong(e.updatedAt.toEpochMilli());
            writeString(out, e.lastError);
            writeString(out, e.transport);
            out.writeLong(e.size);
            out.writeByte(bodyKind);
            if (bodyKind == BODY_FILE) {
                writeString(out, bodyFile);
            } else if (bodyKind == BODY_INLINE) {
                out.writeInt(inlineLength);
                out.write(inline, 0, inlineLength);
            }
            return frame(bytes.toByteArray());
        } catch (IOException ex) {
            throw new IllegalStateException(ex);
        }
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

    private static byte[] frame(byte[] payload) {
        byte[] framed = new byte[HEADER + payload.length];
        putInt(framed, 0, MAGIC);
        putInt(framed, 4, payload.length);
        putInt(framed, 8, crc(payload, 0, payload.length));
        System.arraycopy(payload, 0, framed, HEADER, payload.length);
        return framed;
    }

    private static void putInt(byte[] b, int off, int v) {
        b[off] = (byte) (v >>> 24);
        b[off + 1] = (byte) (v >>> 16);
        b[off + 2] = (byte) (v >>> 8);
        b[off + 3] = (byte) v;
    }

    private static void writeString(DataOutputStream out, String s) throws IOException {
        if (s == null) {
            out.writeInt(-1);
        } else {
            byte[] b = s.getBytes(StandardCharsets.UTF_8);
            out.writeInt(b.length);
            out.write(b);
        }
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

    private static void writeList(DataOutputStream out, List<String> list) throws IOException {
        out.writeInt(list.size());
        for (String s : list) {
            writeString(out, s);
        }
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
