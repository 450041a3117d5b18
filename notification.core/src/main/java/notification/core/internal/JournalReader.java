package notification.core.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;

/**
 * Replays an outbox journal: hands every intact record to a visitor, reports damaged ones, and tells where the intact
 * data ends (a torn tail left by a crash is cut off there).
 */
final class JournalReader {
    private static final int MAX_PAYLOAD = 64 << 20;

    /** Receives what the journal holds. */
    interface Visitor {
        /**
         * An intact record.
         *
         * @param file the journal file
         * @param position where the record starts in the file
         * @param record the decoded record
         */
        void record(java.nio.file.Path file, long position, EntryCodec.Decoded record);

        /**
         * A damaged record followed by intact ones (so not a torn tail).
         *
         * @param position where the damage starts
         * @param id the entry id if it could still be read, else null
         * @param problem what is wrong
         */
        void damaged(long position, String id, String problem);
    }

    private final java.nio.file.Path file;
    private final FileChannel channel;
    private final long size;

    JournalReader(java.nio.file.Path file, FileChannel channel) throws IOException {
        this.file = file;
        this.channel = channel;
        this.size = channel.size();
    }

    /**
     * Replays the journal.
     *
     * @param visitor receives records and damage reports
     * @return the end of the intact data, where the next record belongs
     * @throws IOException if the file cannot be read
     */
    long replay(Visitor visitor) throws IOException {
        long pos = 0;
        while (pos < size) {
            byte[] payload = intactPayload(pos);
            if (payload != null) {
                deliver(pos, payload, visitor);
                pos += EntryCodec.HEADER + payload.length;
                continue;
            }
            long next = nextIntact(pos + 1);
            if (next < 0) {
                return pos;
            }
            visitor.damaged(pos, EntryCodec.salvageId(rawPayload(pos)), "checksum or framing error at byte " + pos);
            pos = next;
        }
        return pos;
    }

    private void deliver(long pos, byte[] payload, Visitor visitor) {
        try {
            visitor.record(file, pos, EntryCodec.decode(payload));
        } catch (IOException | RuntimeException e) {
            visitor.damaged(pos, EntryCodec.salvageId(payload), "unreadable record at byte " + pos + ": " + e);
        }
    }

    private long nextIntact(long from) throws IOException {
        ByteBuffer window = ByteBuffer.allocate(1 << 16);
        long base = from;
        while (base < size - EntryCodec.HEADER) {
            window.clear();
            int n = channel.read(window, base);
            if (n < 4) {
                return -1;
            }
            for (int i = 0; i + 4 <= n; i++) {
                if (window.getInt(i) == EntryCodec.MAGIC && intactPayload(base + i) != null) {
                    return base + i;
                }
            }
            base += n - 3;
        }
        return -1;
    }

    private byte[] intactPayload(long pos) throws IOException {
        ByteBuffer header = ByteBuffer.allocate(EntryCodec.HEADER);
        if (pos + EntryCodec.HEADER > size || readFully(header, pos) < EntryCodec.HEADER) {
            return null;
        }
        int length = header.getInt(4);
        if (header.getInt(0) != EntryCodec.MAGIC || length < 1 || length > MAX_PAYLOAD
                || pos + EntryCodec.HEADER + length > size) {
            return null;
        }
        ByteBuffer payload = ByteBuffer.allocate(length);
        if (readFully(payload, pos + EntryCodec.HEADER) < length) {
            return null;
        }
        byte[] bytes = payload.array();
        return EntryCodec.crc(bytes, 0, length) == header.getInt(8) ? bytes : null;
    }

    private byte[] rawPayload(long pos) throws IOException {
        int length = (int) Math.min(4096, Math.max(0, size - pos - EntryCodec.HEADER));
        ByteBuffer payload = ByteBuffer.allocate(length);
        readFully(payload, pos + EntryCodec.HEADER);
        return payload.array();
    }

    private int readFully(ByteBuffer buffer, long pos) throws IOException {
        int total = 0;
        while (buffer.hasRemaining()) {
            int n = channel.read(buffer, pos + total);
            if (n < 0) {
                break;
            }
            total += n;
        }
        return total;
    }
}
