package notification.core.internal;

import java.sql.SQLException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes concurrent requests together (group commit): a caller that finds fewer than {@code writers} groups being
 * written writes every request waiting at that moment (at most {@code most}) in one transaction, and each caller
 * returns once the transaction holding its request has committed. One round trip, one statement and one commit serve
 * many callers. A group that fails is written again one request at a time, so that one bad request fails alone.
 *
 * @param <T> what a request carries
 */
final class PostgresGroups<T> {
    /** A request waiting for its commit; the writer says whether it counted. */
    static final class Pending<T> {
        final T value;
        /** Set by the writer: whether the request changed what it was meant to (an outcome for a lost lease: no). */
        boolean counted;
        private boolean taken;
        private boolean done;
        private SQLException failure;

        Pending(T value) {
            this.value = value;
        }
    }

    /** Writes requests in one transaction. */
    interface Writer<T> {
        /**
         * Writes the requests in one transaction, setting {@link Pending#counted} of each; nothing of them is kept
         * if it throws.
         *
         * @param group the requests
         * @throws SQLException if the transaction fails
         */
        void write(List<Pending<T>> group) throws SQLException;
    }

    private final int most;
    private final int writers;
    private final Writer<T> writer;
    private final ArrayDeque<Pending<T>> queue = new ArrayDeque<>();
    private int writing;

    /**
     * @param most the most requests one transaction holds
     * @param writers the most groups written at once (a group commits while the next ones are on their way)
     * @param writer writes a group
     */
    PostgresGroups(int most, int writers, Writer<T> writer) {
        this.most = most;
        this.writers = writers;
        this.writer = writer;
    }

    /**
     * Writes a request; returns once it is committed.
     *
     * @param value the request
     * @return whether it counted (see {@link Pending#counted})
     * @throws SQLException if it could not be written; then nothing of it is kept
     */
    boolean write(T value) throws SQLException {
        Pending<T> mine = new Pending<>(value);
        boolean interrupted = false;
        synchronized (this) {
            queue.addLast(mine);
        }
        while (true) {
            List<Pending<T>> group = new ArrayList<>();
            synchronized (this) {
                while (!mine.done && (mine.taken || writing >= writers)) {
                    try {
                        wait();
                    } catch (InterruptedException ex) {
                        interrupted = true; // the request is on its way: wait for the commit all the same
                    }
                }
                if (mine.done) {
                    break;
                }
                writing++;
                while (!queue.isEmpty() && group.size() < most) {
                    Pending<T> p = queue.pollFirst();
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
        return mine.counted;
    }

    private void write(List<Pending<T>> group) {
        try {
            writer.write(group);
        } catch (SQLException ex) {
            group.forEach(p -> p.counted = false);
            if (group.size() == 1 || PostgresProblems.unreachable(ex)) {
                group.forEach(p -> p.failure = ex);
            } else {
                for (Pending<T> p : group) {
                    try {
                        writer.write(List.of(p));
                    } catch (SQLException one) {
                        p.counted = false;
                        p.failure = one;
                    }
                }
            }
        } catch (RuntimeException ex) {
            group.forEach(p -> {
                p.counted = false;
                p.failure = new SQLException("writing to the outbox database failed: " + ex, ex);
            });
        }
        synchronized (this) {
            group.forEach(p -> p.done = true);
        }
    }
}
