package notification.core.internal;

import java.sql.SQLException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * Commits concurrent small submits together (group commit): a submitter that finds fewer than {@link #WRITERS}
 * groups being written writes every submit waiting at that moment in one transaction with synchronous commit, and each
 * submitter returns once the transaction holding its entry has committed. One round trip and one flush of the write-ahead log serve many
 * submits. A group that fails is written again one entry at a time, so that one bad entry fails alone.
 */
final class PostgresSubmits {
    /** The most entries one transaction holds. */
    static final int GROUP = 64;
    /** The most groups written at once: a group commits while the next ones are on their way. */
    static final int WRITERS = 3;

    /** A submit waiting for its commit. */
    static final class Pending {
        final StoredEntry entry;
        final byte[] buffer;
        final int length;
        private boolean taken;
        private boolean done;
        private SQLException failure;

        Pending(StoredEntry entry, byte[] buffer, int length) {
            this.entry = entry;
            this.buffer = buffer;
            this.length = length;
        }
    }

    /** Writes entries with their messages. */
    interface Writer {
        /**
         * Writes the entries in one transaction with synchronous commit; nothing of them is kept if it throws.
         *
         * @param group the entries
         * @throws SQLException if the transaction fails
         */
        void write(List<Pending> group) throws SQLException;
    }

    private final Writer writer;
    private final ArrayDeque<Pending> queue = new ArrayDeque<>();
    private int writing;

    PostgresSubmits(Writer writer) {
        this.writer = writer;
    }

    /**
     * Stores an entry; returns once it is committed.
     *
     * @param e the entry
     * @param buffer its message, in the first {@code length} bytes
     * @param length the message's length
     * @throws SQLException if it could not be stored; then nothing of it is kept
     */
    void submit(StoredEntry e, byte[] buffer, int length) throws SQLException {
        Pending mine = new Pending(e, buffer, length);
        boolean interrupted = false;
        synchronized (this) {
            queue.addLast(mine);
        }
        while (true) {
            List<Pending> group = new ArrayList<>();
            synchronized (this) {
                while (!mine.done && (mine.taken || writing >= WRITERS)) {
                    try {
                        wait();
                    } catch (InterruptedException ex) {
                        interrupted = true; // the entry is on its way: wait for the commit all the same
                    }
                }
                if (mine.done) {
                    break;
                }
                writing++;
                while (!queue.isEmpty() && group.size() < GROUP) {
                    Pending p = queue.pollFirst();
                    p.taken = true;
                    group.add(p);
                }
            }
            try {
                write(group);
            } finally {
                synchronized (this) {
                    writing--;
                    notifyAll();
                }
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        if (mine.failure != null) {
            throw mine.failure;
        }
    }

    private void write(List<Pending> group) {
        try {
            writer.write(group);
        } catch (SQLException ex) {
            if (group.size() == 1 || PostgresProblems.unreachable(ex)) {
                group.forEach(p -> p.failure = ex);
            } else {
                for (Pending p : group) {
                    try {
                        writer.write(List.of(p));
                    } catch (SQLException one) {
                        p.failure = one;
                    }
                }
            }
        } catch (RuntimeException ex) {
            group.forEach(p -> p.failure = new SQLException("storing the notification failed: " + ex, ex));
        }
        synchronized (this) {
            group.forEach(p -> p.done = true);
        }
    }
}
