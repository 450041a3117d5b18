package notification.core.internal;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;

/** Collects a rendered message in memory, moving it to a file once it grows beyond a limit (large attachments). */
final class SpillBuffer extends OutputStream {
    private final int memoryLimit;
    private final Path spillFile;
    private final OutboxFiles files;
    private Memory memory = new Memory();
    private FileChannel channel;
    private OutputStream file;
    private long length;

    SpillBuffer(int memoryLimit, Path spillFile, OutboxFiles files) {
        this.memoryLimit = memoryLimit;
        this.spillFile = spillFile;
        this.files = files;
    }

    @Override
    public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        if (file == null && memory.size() + len > memoryLimit) {
            channel = files.open(spillFile, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
            file = new BufferedOutputStream(Channels.newOutputStream(channel), 1 << 16);
            memory.writeTo(file);
            memory = null;
        }
        if (file != null) {
            file.write(b, off, len);
        } else {
            memory.write(b, off, len);
        }
        length += len;
    }

    boolean inMemory() {
        return file == null;
    }

    /** The message held in memory: its first {@link #length()} bytes, not a copy. */
    byte[] bytes() {
        return memory.array();
    }

    long length() {
        return length;
    }

    Path spillFile() {
        return spillFile;
    }

    /** Makes a spilled message durable and closes its file. */
    void sync() throws IOException {
        if (file != null) {
            file.flush();
            channel.force(true);
            file.close();
        }
    }

    /** An in-memory buffer that lends its array, so a small message is copied only into its journal record. */
    private static final class Memory {
        private byte[] buf = new byte[1024];
        private int count;

        void write(byte[] b, int off, int len) {
            if (count + len > buf.length) {
                buf = Arrays.copyOf(buf, Math.max(count + len, buf.length * 2));
            }
            System.arraycopy(b, off, buf, count, len);
            count += len;
        }

        int size() {
            return count;
        }

        void writeTo(OutputStream out) throws IOException {
            out.write(buf, 0, count);
        }

        byte[] array() {
            return buf;
        }
    }

    /** Deletes a spilled file after a failure. */
    void discard() {
        try {
            if (file != null) {
                file.close();
            }
            files.delete(spillFile);
        } catch (IOException ignored) {
            // best effort; orphaned message files are removed when the outbox opens
        }
    }
}
