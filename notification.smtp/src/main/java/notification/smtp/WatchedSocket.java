package notification.smtp;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;

/** A plain socket that notes when each write starts, so that {@link WriteWatchdog} can close it when one hangs. */
final class WatchedSocket extends Socket {
    private static final long NOT_WRITING = Long.MIN_VALUE;

    private final WriteWatchdog watchdog;
    private volatile long writeStartedNanos = NOT_WRITING;
    private OutputStream output;

    WatchedSocket(WriteWatchdog watchdog) {
        this.watchdog = watchdog;
    }

    @Override
    public synchronized OutputStream getOutputStream() throws IOException {
        if (output == null) {
            output = new TimedOutputStream(super.getOutputStream());
        }
        return output;
    }

    /** Returns whether a write started more than {@code limitNanos} before {@code nowNanos} and has not ended. */
    boolean writingLongerThan(long nowNanos, long limitNanos) {
        long started = writeStartedNanos;
        return started != NOT_WRITING && nowNanos - started > limitNanos;
    }

    @Override
    public void close() throws IOException {
        watchdog.forget(this);
        super.close();
    }

    /** Marks the start and the end of every write; the socket's own stream does the work. */
    private final class TimedOutputStream extends FilterOutputStream {
        TimedOutputStream(OutputStream out) {
            super(out);
        }

        @Override
        public void write(int b) throws IOException {
            writeStartedNanos = System.nanoTime();
            try {
                out.write(b);
            } finally {
                writeStartedNanos = NOT_WRITING;
            }
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            writeStartedNanos = System.nanoTime();
            try {
                out.write(b, off, len);
            } finally {
                writeStartedNanos = NOT_WRITING;
            }
        }
    }
}
