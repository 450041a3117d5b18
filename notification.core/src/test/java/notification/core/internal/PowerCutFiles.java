package notification.core.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.file.Files;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The outbox's files on a disk that loses power, like LazyFS below a file system: it remembers what was made durable
 * (a file's bytes when its channel was forced, a folder's names when the folder was synced) and on {@link #powerCut()}
 * puts back exactly that: unforced bytes vanish, unsynced creations, renames and deletions are undone. It can also
 * fail any one operation ({@link #failAt}), for fault injection. Folders themselves are taken as durable.
 */
final class PowerCutFiles {
    /** An operation the outbox asks of its files, in the order they happen. */
    enum Op { OPEN, WRITE, TRUNCATE, FORCE, MOVE, DELETE, FORCE_DIRECTORY }

    /** Decides whether an operation fails. */
    interface Fault {
        boolean fails(Op op, Path file, int index);
    }

    /** A file's identity, surviving renames, with the bytes it would have after a power cut. */
    private static final class Node {
        byte[] durable = new byte[0];
    }

    private final LocalOutboxFiles disk = new LocalOutboxFiles();
    private final Map<Path, Node> live = new HashMap<>();
    private final Map<Path, Map<Path, Node>> durableNames = new HashMap<>();
    private final Set<Path> folders = new HashSet<>();
    private final List<String> history = new ArrayList<>();
    /** The files of the channels opened here and not closed yet, once per channel. */
    private final List<Path> openChannels = new ArrayList<>();
    private int epoch;
    private int operations;
    private boolean cut;
    private Fault fault = (op, file, index) -> false;
    private int cutAt = -1;

    /** A view for one store instance; it stops working at a power cut. */
    synchronized OutboxFiles session() {
        return new Session(epoch);
    }

    /** Makes the operation with this index (counted from 0 over the whole run) fail, and every later one too. */
    synchronized void cutAt(int index) {
        cutAt = index;
    }

    /** Makes operations fail as the fault says (one failure each; the rest work). */
    synchronized void failAt(Fault f) {
        fault = f;
    }

    /** How many operations were asked for so far. */
    synchronized int operations() {
        return operations;
    }

    /** Whether the cut set with {@link #cutAt} happened. */
    synchronized boolean wasCut() {
        return cut;
    }

    synchronized List<String> history() {
        return List.copyOf(history);
    }

    /** The files that have a channel opened through this layer and not closed (a file twice if it has two). */
    synchronized List<Path> openFiles() {
        return List.copyOf(openChannels);
    }

    /**
     * Cuts the power now: every open channel and session stops working, and the disk is put back to what was
     * durable. Reopen with a new {@link #session()}.
     */
    synchronized void powerCut() throws IOException {
        epoch++;
        cut = false;
        cutAt = -1;
        for (Path folder : folders) {
            try (Stream<Path> files = Files.list(folder)) {
                for (Path p : (Iterable<Path>) files::iterator) {
                    if (Files.isRegularFile(p)) {
                        Files.delete(p);
                    }
                }
            }
        }
        live.clear();
        for (Map<Path, Node> names : durableNames.values()) {
            for (Map.Entry<Path, Node> e : names.entrySet()) {
                Files.write(e.getKey(), e.getValue().durable);
                live.put(e.getKey(), e.getValue());
            }
        }
        history.add("POWER CUT");
    }

    /** Counts an operation and fails it if it must. */
    private synchronized void check(int sessionEpoch, Op op, Path file) throws IOException {
        if (sessionEpoch != epoch || cut) {
            throw new IOException("no power (" + op + " " + file.getFileName() + ")");
        }
        int index = operations++;
        history.add(index + " " + op + " " + file.getFileName());
        if (index == cutAt) {
            cut = true;
            throw new IOException("power cut at " + op + " " + file.getFileName());
        }
        if (fault.fails(op, file, index)) {
            throw new IOException("injected failure at " + op + " " + file.getFileName());
        }
    }

    /** The file's node; {@code existed} tells whether the file was there before this open (else it was created). */
    private synchronized Node nodeOf(Path file, boolean create, boolean existed) throws IOException {
        Node n = live.get(file);
        if (n == null && (create || existed)) {
            n = new Node();
            if (existed) { // made before this layer watched: durable as it is
                n.durable = Files.readAllBytes(file);
                durableNames.computeIfAbsent(file.getParent(), k -> new HashMap<>()).put(file, n);
            }
            live.put(file, n);
        }
        return n;
    }

    private synchronized void forced(Node n, byte[] content) {
        n.durable = content;
    }

    private synchronized void moved(Path from, Path to) {
        live.put(to, live.remove(from));
    }

    private synchronized void deleted(Path file) {
        live.remove(file);
    }

    private synchronized void synced(Path dir) {
        Map<Path, Node> names = new HashMap<>();
        live.forEach((p, n) -> {
            if (dir.equals(p.getParent())) {
                names.put(p, n);
            }
        });
        durableNames.put(dir, names);
    }

    /** The operations of one store instance. */
    private final class Session implements OutboxFiles {
        private final int epoch;

        Session(int epoch) {
            this.epoch = epoch;
        }

        @Override
        public Path createDirectories(Path dir) throws IOException {
            synchronized (PowerCutFiles.this) {
                folders.add(dir.toAbsolutePath().normalize());
            }
            return disk.createDirectories(dir);
        }

        @Override
        public FileChannel open(Path file, OpenOption... options) throws IOException {
            Path p = file.toAbsolutePath().normalize();
            synchronized (PowerCutFiles.this) {
                check(epoch, Op.OPEN, p);
                return openChecked(p, options);
            }
        }

        private FileChannel openChecked(Path p, OpenOption... options) throws IOException {
            boolean create = Set.of(options).contains(StandardOpenOption.CREATE)
                    || Set.of(options).contains(StandardOpenOption.CREATE_NEW);
            OpenOption[] readable = java.util.Arrays.copyOf(options, options.length + 1);
            readable[options.length] = StandardOpenOption.READ; // to see what a force makes durable
            boolean existed = Files.exists(p);
            FileChannel ch = disk.open(p, readable);
            return new Channel(ch, nodeOf(p, create, existed), p, epoch);
        }

        @Override
        public void restrict(Path file) throws IOException {
            disk.restrict(file);
        }

        @Override
        public void move(Path from, Path to) throws IOException {
            Path f = from.toAbsolutePath().normalize();
            Path t = to.toAbsolutePath().normalize();
            synchronized (PowerCutFiles.this) {
                check(epoch, Op.MOVE, t);
                disk.move(f, t);
                moved(f, t);
            }
        }

        @Override
        public void delete(Path file) throws IOException {
            Path p = file.toAbsolutePath().normalize();
            synchronized (PowerCutFiles.this) {
                check(epoch, Op.DELETE, p);
                disk.delete(p);
                deleted(p);
            }
        }

        @Override
        public void forceDirectory(Path dir) throws IOException {
            Path d = dir.toAbsolutePath().normalize();
            synchronized (PowerCutFiles.this) {
                check(epoch, Op.FORCE_DIRECTORY, d);
                disk.forceDirectory(d);
                synced(d);
            }
        }
    }

    /** A file channel that remembers what its forces made durable, and dies with the power. */
    private final class Channel extends FileChannel {
        private final FileChannel real;
        private final Node node;
        private final Path file;
        private final int epoch;

        Channel(FileChannel real, Node node, Path file, int epoch) {
            this.real = real;
            this.node = node;
            this.file = file;
            this.epoch = epoch;
            synchronized (PowerCutFiles.this) {
                openChannels.add(file);
            }
        }

        private void alive() throws IOException {
            synchronized (PowerCutFiles.this) {
                if (epoch != PowerCutFiles.this.epoch || cut) {
                    throw new IOException("no power (" + file.getFileName() + ")");
                }
            }
        }

        @Override
        public int read(ByteBuffer dst) throws IOException {
            alive();
            return real.read(dst);
        }

        @Override
        public long read(ByteBuffer[] dsts, int offset, int length) throws IOException {
            alive();
            return real.read(dsts, offset, length);
        }

        @Override
        public int write(ByteBuffer src) throws IOException {
            synchronized (PowerCutFiles.this) {
                check(epoch, Op.WRITE, file);
                return real.write(src);
            }
        }

        @Override
        public long write(ByteBuffer[] srcs, int offset, int length) throws IOException {
            synchronized (PowerCutFiles.this) {
                check(epoch, Op.WRITE, file);
                return real.write(srcs, offset, length);
            }
        }

        @Override
        public long position() throws IOException {
            alive();
            return real.position();
        }

        @Override
        public FileChannel position(long newPosition) throws IOException {
            alive();
            real.position(newPosition);
            return this;
        }

        @Override
        public long size() throws IOException {
            alive();
            return real.size();
        }

        @Override
        public FileChannel truncate(long size) throws IOException {
            synchronized (PowerCutFiles.this) {
                check(epoch, Op.TRUNCATE, file);
                real.truncate(size);
                return this;
            }
        }

        @Override
        public void force(boolean metaData) throws IOException {
            synchronized (PowerCutFiles.this) { // a power cut waits for the force, or comes before it
                check(epoch, Op.FORCE, file);
                real.force(metaData);
                ByteBuffer all = ByteBuffer.allocate((int) real.size());
                while (all.hasRemaining() && real.read(all, all.position()) >= 0) {
                    // reads the whole file
                }
                forced(node, all.array());
            }
        }

        @Override
        public long transferTo(long position, long count, WritableByteChannel target) {
            throw new UnsupportedOperationException();
        }

        @Override
        public long transferFrom(ReadableByteChannel src, long position, long count) {
            throw new UnsupportedOperationException();
        }

        @Override
        public int read(ByteBuffer dst, long position) throws IOException {
            alive();
            return real.read(dst, position);
        }

        @Override
        public int write(ByteBuffer src, long position) throws IOException {
            synchronized (PowerCutFiles.this) {
                check(epoch, Op.WRITE, file);
                return real.write(src, position);
            }
        }

        @Override
        public MappedByteBuffer map(MapMode mode, long position, long size) {
            throw new UnsupportedOperationException();
        }

        @Override
        public FileLock lock(long position, long size, boolean shared) {
            throw new UnsupportedOperationException();
        }

        @Override
        public FileLock tryLock(long position, long size, boolean shared) {
            throw new UnsupportedOperationException();
        }

        @Override
        protected void implCloseChannel() throws IOException {
            synchronized (PowerCutFiles.this) {
                openChannels.remove(file);
            }
            real.close();
        }
    }
}
