package notification.core.internal;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * Builds one framed journal record in a single array: the header (magic, payload length, CRC) is filled in at the
 * end, so the payload is never copied into a frame. Writes the same big-endian layout as {@link java.io.DataOutput}.
 */
final class RecordWriter {
    private byte[] buf;
    private int pos = EntryCodec.HEADER;

    RecordWriter(int expectedPayload) {
        buf = new byte[EntryCodec.HEADER + Math.max(64, expectedPayload)];
    }

    void writeByte(int v) {
        ensure(1);
        buf[pos++] = (byte) v;
    }

    void writeInt(int v) {
        ensure(4);
        putInt(buf, pos, v);
        pos += 4;
    }

    void writeLong(long v) {
        writeInt((int) (v >>> 32));
        writeInt((int) v);
    }

    void write(byte[] b, int off, int len) {
        ensure(len);
        System.arraycopy(b, off, buf, pos, len);
        pos += len;
    }

    /** A string as its UTF-8 byte length and bytes; null as length -1. */
    void writeString(String s) {
        if (s == null) {
            writeInt(-1);
            return;
        }
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        writeInt(b.length);
        write(b, 0, b.length);
    }

    void writeList(List<String> list) {
        writeInt(list.size());
        for (String s : list) {
            writeString(s);
        }
    }

    /** Fills in the header and returns the record, exactly as long as it is. */
    byte[] framed() {
        int payload = pos - EntryCodec.HEADER;
        putInt(buf, 0, EntryCodec.MAGIC);
        putInt(buf, 4, payload);
        putInt(buf, 8, EntryCodec.crc(buf, EntryCodec.HEADER, payload));
        return pos == buf.length ? buf : Arrays.copyOf(buf, pos);
    }

    private void ensure(int more) {
        if (pos + more > buf.length) {
            buf = Arrays.copyOf(buf, Math.max(pos + more, buf.length * 2));
        }
    }

    private static void putInt(byte[] b, int off, int v) {
        b[off] = (byte) (v >>> 24);
        b[off + 1] = (byte) (v >>> 16);
        b[off + 2] = (byte) (v >>> 8);
        b[off + 3] = (byte) v;
    }
}
