package notification.core.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import notification.api.DeliveryState;

/**
 * Rewrites the outbox journal with only what is still needed (live entries with their messages, sent entries without),
 * so the journal does not grow forever. Runs on the journal's writer thread.
 */
final class OutboxCompactor implements Journal.Compactor {
    private final Outbox outbox;

    OutboxCompactor(Outbox outbox) {
        this.outbox = outbox;
    }

    private record Moved(StoredEntry entry, long offset, long length) {
    }

    @Override
    public void compact(Journal journal) throws IOException {
        synchronized (outbox.lock) {
            FileChannel out = journal.startRewrite();
            ByteBuffer staging = ByteBuffer.allocate(1 << 20);
            List<Moved> moved = new ArrayList<>();
            List<StoredEntry> sent = new ArrayList<>();
            Path file;
            try {
                long pos = 0;
                for (StoredEntry e : outbox.entriesLocked()) {
                    byte[] record;
                    BodyLocation b = e.body;
                    if (e.state == DeliveryState.SENT || b == null) {
                        record = EntryCodec.entry(e, EntryCodec.BODY_NONE, null, 0, null);
                        sent.add(e);
                    } else if (b.separateFile()) {
                        record = EntryCodec.entry(e, EntryCodec.BODY_FILE, null, 0, b.file().getFileName().toString());
                    } else {
                        byte[] bytes = e.held != null
                                ? Arrays.copyOfRange(e.held, e.held.length - (int) e.size, e.held.length) : read(b);
                        record = EntryCodec.entry(e, EntryCodec.BODY_INLINE, bytes, bytes.length, null);
                        moved.add(new Moved(e, pos + record.length - bytes.length, bytes.length));
                    }
                    if (record.length > staging.remaining()) {
                        flush(staging, out);
                    }
                    if (record.length > staging.remaining()) {
                        writeFully(ByteBuffer.wrap(record), out);
                    } else {
                        staging.put(record);
                    }
                    pos += record.length;
                }
                flush(staging, out);
                file = journal.finishRewrite(out);
            } catch (IOException | RuntimeException ex) {
                journal.abortRewrite(out);
                throw ex;
            }
            for (Moved m : moved) {
                m.entry().body = new BodyLocation(file, m.offset(), m.length(), false);
            }
            sent.forEach(e -> e.body = null);
        }
    }

    /** Writes out the records gathered in the staging buffer and empties it. */
    private static void flush(ByteBuffer staging, FileChannel out) throws IOException {
        staging.flip();
        writeFully(staging, out);
        staging.clear();
    }

    private static void writeFully(ByteBuffer b, FileChannel out) throws IOException {
        while (b.hasRemaining()) {
            out.write(b);
        }
    }

    private static byte[] read(BodyLocation b) throws IOException {
        try (InputStream in = b.open()) {
            return in.readAllBytes();
        }
    }
}
