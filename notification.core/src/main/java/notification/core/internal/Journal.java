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

    private record Append(byte[] bytes, LongConsumer onDurable, CompletableFuture<Long> done) {
    }

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
        queue.add(new Append(record, onDurable, done));
        return done;
    }

    private void writeLoop() {
        List<Append> batch = new ArrayList<>();
        while (true) {
            try {
                batch.add(queue.take());
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
        List<Append> writes = new ArrayList<>(batch.size());
        for (Append a : batch) {
            if (a.bytes == null) {
                stop = true;
            } else {
                writes.add(a);
            }
        }
        long start = -1;
        try {
            start = channel.position();
            ByteBuffer[] buffers = new ByteBuffer[writes.size()];
            long total = 0;
            for (int i = 0; i < buffers.length; i++) {
                buffers[i] = ByteBuffer.wrap(writes.get(i).bytes);
                total += buffers[i].remaining();
            }
            long written = 0;
            while (written < total) {
                written += channel.write(buffers);
            }
            channel.force(false);
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
        queue.add(new Append(null, null, stopped));
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
