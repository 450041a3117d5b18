package notification.core.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
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
    /** The writer thread's staging buffer: a batch goes to the file in one write, without per-record copies. */
    private ByteBuffer staging = ByteBuffer.allocateDirect(1 << 20);

    /**
     * Opens the newest journal in a directory (creating one if there is none), replays it and starts the writer.
     *
     * @param dir the outbox directory
     * @param compactAbove journal size in bytes from which a compaction is considered
     * @param visitor receives the replayed records
     * @throws IOException if the directory cannot be used
     */
    Journal(Path dir, long compactAbove, JournalReader.Visitor visitor) throws IOException {
        this.dir = Files.createDirectories(dir);
        this.compactAbove = compactAbove;
        this.compactThreshold = compactAbove;
        generation = JournalFiles.liveGeneration(dir);
        file = dir.resolve(JournalFiles.name(generation));
        channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
        long end = new JournalReader(file, channel).replay(visitor);
        if (end < channel.size()) {
            channel.truncate(end);
        }
        channel.position(end);
        channel.force(true);
        JournalFiles.forceDirectory(dir);
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
        return FileChannel.open(JournalFiles.next(dir, generation), StandardOpenOption.CREATE_NEW,
                StandardOpenOption.READ, StandardOpenOption.WRITE);
    }

    /**
     * Abandons a compaction; the current journal stays in use.
     *
     * @param rewritten the channel from {@link #startRewrite()}
     */
    void abortRewrite(FileChannel rewritten) {
        try {
            rewritten.close();
            Files.deleteIfExists(JournalFiles.next(dir, generation));
        } catch (IOException ignored) {
            // removed when the outbox next opens
        }
    }

    /**
     * Makes the compacted journal the live one, durably, and deletes the old one.
     *
     * @param rewritten the channel from {@link #startRewrite()}, fully written
     * @return the new journal file
     * @throws IOException if it cannot be switched
     */
    Path finishRewrite(FileChannel rewritten) throws IOException {
        rewritten.force(true);
        Path next = dir.resolve(JournalFiles.name(generation + 1));
        Files.move(JournalFiles.next(dir, generation), next, StandardCopyOption.ATOMIC_MOVE);
        JournalFiles.forceDirectory(dir);
        Path old = file;
        channel.close();
        channel = rewritten;
        file = next;
        generation++;
        Files.deleteIfExists(old);
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
