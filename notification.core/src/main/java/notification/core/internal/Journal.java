package notification.core.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.LongConsumer;

/**
 * The outbox's append-only journal file with group commit: one writer thread appends the records of all concurrent
 * callers and makes them durable with a single fsync, then acknowledges each of them.
 */
final class Journal implements AutoCloseable {
    /** Rewrites the live entries into a fresh journal; runs on the writer thread. */
    interface Compactor {
        void compact(Journal journal) throws IOException;
    }

    private record Append(byte[] bytes, LongConsumer onDurable, CompletableFuture<Long> done, boolean force) {
    }

    /** How long a record appended with {@link #appendUnforced} may stay written but not fsync'd, at most. */
    static final long UNFORCED_DELAY_MILLIS = 200;

    private final Path dir;
    private final OutboxFiles files;
    private final LinkedBlockingQueue<Append> queue = new LinkedBlockingQueue<>();
    private final Thread writer;
    private final long compactAbove;
    private volatile Compactor compactor;
    private Path file;
    private FileChannel channel;
    private long generation;
    private long compactThreshold;
    private volatile boolean closed;
    private boolean unforced;
    /** Whether the live journal's name is durable: false after a compaction whose directory sync failed. */
    private boolean nameDurable = true;
    /** The journal a compaction replaced, deleted once the new one's name is durable. */
    private Path superseded;
    /** The writer thread's staging buffer: a batch goes to the file in one write, without per-record copies. */
    private ByteBuffer staging = ByteBuffer.allocateDirect(1 << 20);

    /**
     * Opens the newest journal in a directory (creating one if there is none), replays it and starts the writer.
     *
     * @param dir the outbox directory
     * @param compactAbove journal size in bytes from which a compaction is considered
     * @param visitor receives the replayed records
     * @param files creates, renames, deletes and syncs the journal's files
     * @throws IOException if the directory cannot be used
     */
    Journal(Path dir, long compactAbove, JournalReader.Visitor visitor, OutboxFiles files) throws IOException {
        this.files = files;
        this.dir = files.createDirectories(dir);
        this.compactAbove = compactAbove;
        this.compactThreshold = compactAbove;
        generation = JournalFiles.liveGeneration(dir, files);
        file = dir.resolve(JournalFiles.name(generation));
        channel = files.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
        try {
            long end = new JournalReader(file, channel).replay(visitor);
            if (end < channel.size()) {
                channel.truncate(end);
            }
            channel.position(end);
            channel.force(true);
            files.forceDirectory(dir);
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
        writer = new Thread(this::writeLoop, "notification-outbox-writer");
        writer.setDaemon(true);
        writer.start();
    }

    void setCompactor(Compactor compactor) {
        this.compactor = compactor;
    }

    /** The journal file records are appended to now. */
    Path file() {
        return file;
    }

    /**
     * Appends a record; the future completes once it is durable.
     *
     * @param record the framed record
     * @param onDurable run on the writer thread with the record's position once durable, before the next batch
     * @return completes with the record's position, or exceptionally if it could not be stored
     */
    CompletableFuture<Long> append(byte[] record, LongConsumer onDurable) {
        CompletableFuture<Long> done = new CompletableFuture<>();
        if (closed) {
            done.completeExceptionally(new IOException("the outbox is closed"));
            return done;
        }
        queue.add(new Append(record, onDurable, done, true));
        return done;
    }

    /**
     * Appends a record that nobody waits for and whose loss in a power failure is harmless (a delivery outcome: losing
     * it only means the message is sent again with the same Message-ID). It is written with the next batch and
     * fsync'd with the next batch that needs it, or within {@link #UNFORCED_DELAY_MILLIS}, sparing an fsync per
     * delivery.
     *
     * @param record the framed record
     */
    void appendUnforced(byte[] record) {
        if (!closed) {
            queue.add(new Append(record, null, new CompletableFuture<>(), false));
        }
    }

    private void writeLoop() {
        List<Append> batch = new ArrayList<>();
        while (true) {
            try {
                Append first = unforced ? queue.poll(UNFORCED_DELAY_MILLIS, TimeUnit.MILLISECONDS) : queue.take();
                if (first == null) {
                    forceUnforced();
                    continue;
                }
                batch.add(first);
            } catch (InterruptedException e) {
                break;
            }
            queue.drainTo(batch, 4096);
            boolean stop = writeBatch(batch);
            batch.clear();
            if (stop) {
                break;
            }
            maybeCompact();
        }
    }

    private boolean writeBatch(List<Append> batch) {
        boolean stop = false;
        boolean force = false;
        List<Append> writes = new ArrayList<>(batch.size());
        for (Append a : batch) {
            if (a.bytes == null) {
                stop = true;
                force = true;
            } else {
                writes.add(a);
                force |= a.force;
            }
        }
        long start = -1;
        try {
            start = channel.position();
            for (Append a : writes) {
                if (a.bytes.length > staging.remaining()) {
                    flush();
                    if (a.bytes.length > staging.capacity()) {
                        writeFully(ByteBuffer.wrap(a.bytes));
                        continue;
                    }
                }
                staging.put(a.bytes);
            }
            flush();
            if (force) {
                channel.force(false);
                syncName();
            }
            unforced = !force;
        } catch (IOException e) {
            rollBack(start);
            writes.forEach(a -> a.done.completeExceptionally(e));
            return stop;
        }
        long pos = start;
        for (Append a : writes) {
            try {
                if (a.onDurable != null) {
                    a.onDurable.accept(pos);
                }
                a.done.complete(pos);
            } catch (RuntimeException e) {
                a.done.completeExceptionally(e);
            }
            pos += a.bytes.length;
        }
        batch.stream().filter(a -> a.bytes == null).forEach(a -> a.done.complete(-1L));
        return stop;
    }

    /** Makes the live journal's name durable if a compaction could not; the old journal then goes. */
    private void syncName() throws IOException {
        if (!nameDurable) {
            files.forceDirectory(dir);
            nameDurable = true;
        }
        if (superseded != null) {
            try {
                files.delete(superseded);
            } catch (IOException ignored) {
                // an older generation is removed when the outbox next opens
            }
            superseded = null;
        }
    }

    private void forceUnforced() {
        try {
            channel.force(false);
            unforced = false;
        } catch (IOException e) {
            unforced = false; // the next forced batch tries again; these records only spare a duplicate
        }
    }

    private void flush() throws IOException {
        staging.flip();
        try {
            writeFully(staging);
        } finally {
            staging.clear();
        }
    }

    private void writeFully(ByteBuffer b) throws IOException {
        while (b.hasRemaining()) {
            channel.write(b);
        }
    }

    private void rollBack(long start) {
        try {
            if (start >= 0) {
                channel.truncate(start);
                channel.position(start);
            }
        } catch (IOException ignored) {
            // the next replay cuts off whatever is left behind
        }
    }

    private void maybeCompact() {
        Compactor c = compactor;
        try {
            if (c != null && channel.size() > compactThreshold) {
                c.compact(this);
                compactThreshold = Math.max(compactAbove, channel.size() * 2);
            }
        } catch (IOException | RuntimeException e) {
            compactThreshold = compactThreshold * 2;
        }
    }

    /**
     * Starts a compacted journal; only the writer thread (inside {@link Compactor#compact}) calls this.
     *
     * @return the new journal's channel, positioned at its start
     * @throws IOException if it cannot be created
     */
    FileChannel startRewrite() throws IOException {
        Path next = JournalFiles.next(dir, generation);
        files.delete(next); // left by a compaction whose clean-up failed
        return files.open(next, StandardOpenOption.CREATE_NEW, StandardOpenOption.READ, StandardOpenOption.WRITE);
    }

    /**
     * Abandons a compaction; the current journal stays in use.
     *
     * @param rewritten the channel from {@link #startRewrite()}
     */
    void abortRewrite(FileChannel rewritten) {
        try {
            rewritten.close();
            files.delete(JournalFiles.next(dir, generation));
        } catch (IOException ignored) {
            // removed when the outbox next opens
        }
    }

    /**
     * Makes the compacted journal the live one and deletes the old one once the switch is durable.
     *
     * <p>Once renamed, the new journal is the one the next start reads, so it is used from then on whatever fails
     * next. If the folder cannot be synced, no record is acknowledged until it can (the next forced batch syncs it
     * first), and the old journal stays until then: a power failure meanwhile falls back to it, losing nothing
     * acknowledged.
     *
     * @param rewritten the channel from {@link #startRewrite()}, fully written
     * @return the new journal file
     * @throws IOException if it cannot be switched (then the current journal stays in use)
     */
    Path finishRewrite(FileChannel rewritten) throws IOException {
        rewritten.force(true);
        Path next = dir.resolve(JournalFiles.name(generation + 1));
        files.move(JournalFiles.next(dir, generation), next);
        try {
            channel.close();
        } catch (IOException ignored) {
            // everything in it was forced or is in the new journal
        }
        superseded = file;
        channel = rewritten;
        file = next;
        generation++;
        nameDurable = false;
        try {
            syncName();
        } catch (IOException e) {
            // retried before the next acknowledgement
        }
        return next;
    }

    /** Writes every pending record, then stops the writer and closes the file. */
    @Override
    public void close() {
        closed = true;
        CompletableFuture<Long> stopped = new CompletableFuture<>();
        queue.add(new Append(null, null, stopped, true));
        try {
            writer.join(30_000);
            channel.close();
            for (Append a = queue.poll(); a != null; a = queue.poll()) {
                a.done.completeExceptionally(new IOException("the outbox is closed"));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException ignored) {
            // nothing more to write
        }
    }
}
