package notification.core.internal;

import java.io.IOException;
import java.io.InputStream;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;
import notification.api.DeliveryState;
import notification.api.NotificationStoreException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Moves the notifications waiting in the shared outbox into this node's journal when the node switches back to
 * {@code store=journal} and no other node is at work on that database to send them. Each keeps its id, Message-ID,
 * recipients (pending and failed), attempts, schedule and message, streamed chunk by chunk into the journal's own
 * storage. A row is deleted only once the journal's copy is durable: a crash in between leaves the entry in both
 * (it may then be sent twice, with the same Message-ID), never in neither. Runs within a time limit; what is left
 * stays in the database.
 */
final class PostgresHandover {
    /** How long a hand-over may take at most; it runs while the pool's service goes away. */
    static final Duration TIME_LIMIT = Duration.ofSeconds(30);
    private static final Logger LOG = LoggerFactory.getLogger(PostgresHandover.class);
    private static final int BATCH = 64;
    /** Waiting, or left SENDING by a node whose lease ran out, or by this node (which sends nothing from here now). */
    private static final String TAKEN = "(state IN ('QUEUED', 'DEFERRED') OR state = 'SENDING' AND (lease_until <"
            + " clock_timestamp() OR lease_node = ?))";

    /**
     * What a hand-over did.
     *
     * @param moved entries now in the journal
     * @param left entries still waiting in the database, or -1 when it could not be told
     * @param sentence what the log says
     */
    record Result(int moved, long left, String sentence) {
    }

    private final DataSource pool;
    private final PostgresSettings settings;
    private final Duration limit;

    /**
     * Prepares a hand-over; nothing is read until {@link #moveInto}.
     *
     * @param pool the shared outbox's pool, still open
     * @param settings this node's name, the lease's length, the database's URL and user (for sentences)
     * @param limit how long the hand-over may take
     */
    PostgresHandover(DataSource pool, PostgresSettings settings, Duration limit) {
        this.pool = pool;
        this.settings = settings;
        this.limit = limit;
    }

    /**
     * Moves the waiting entries into the journal unless other nodes send them, and logs what it did in one sentence.
     *
     * @param journal the store that takes them ({@link OutboxStore#adopt})
     * @return what was done
     */
    Result moveInto(OutboxStore journal) {
        PostgresConnections connections = new PostgresConnections(pool);
        try {
            Result r = move(connections, journal);
            if (r.left() == 0) {
                LOG.info(r.sentence());
            } else {
                LOG.warn(r.sentence());
            }
            return r;
        } finally {
            connections.close();
        }
    }

    private Result move(PostgresConnections connections, OutboxStore journal) {
        long deadline = System.nanoTime() + limit.toNanos();
        long waiting;
        List<String> others;
        try {
            waiting = waiting(connections);
            others = waiting == 0 ? List.of() : new PostgresNodes(connections::take, settings).othersAtWork();
        } catch (SQLException e) {
            return new Result(0, -1, "Switched to the journal, but " + describe(e) + "; the notifications waiting in"
                    + " that database stay there: switch this node back to store=postgresql, or let another node"
                    + " using that database run, to send them");
        }
        if (waiting == 0) {
            return new Result(0, 0, "Switched to the journal: no notification waits in the outbox database "
                    + settings.target());
        }
        if (!others.isEmpty()) {
            return new Result(0, waiting, "Switched to the journal: the " + waiting + " notification(s) waiting in the"
                    + " outbox database " + settings.target() + " stay there for the other nodes using it ("
                    + String.join(", ", others) + ") to send");
        }
        Batch batch = new Batch(connections, journal, deadline);
        String stopped = null;
        try {
            while (batch.next()) {
                // one batch after the other, in submission order
            }
            stopped = batch.stopped;
        } catch (SQLException e) {
            stopped = describe(e);
        }
        long left;
        try {
            left = waiting(connections);
        } catch (SQLException e) {
            left = -1;
        }
        String moved = "Switched to the journal: moved " + batch.moved + " notification(s) waiting in the outbox"
                + " database " + settings.target() + " into this server's journal, each with its Message-ID and"
                + " schedule";
        if (left == 0) {
            return new Result(batch.moved, 0, moved + "; they are sent from here");
        }
        return new Result(batch.moved, left, moved + "; " + (left < 0 ? "the others" : left + " more")
                + " still wait in the database (" + (stopped != null ? stopped
                : batch.unreadable > 0 ? batch.unreadable + " whose message cannot be read there: see the warnings above"
                : "stored meanwhile")
                + "): switch this node to store=postgresql and back to store=journal to move them, or let another"
                + " node using that database send them");
    }

    private long waiting(PostgresConnections connections) throws SQLException {
        try (Connection c = connections.take();
                PreparedStatement p = c.prepareStatement("SELECT count(*) FROM outbox_entry WHERE " + TAKEN)) {
            p.setString(1, settings.node());
            try (ResultSet r = p.executeQuery()) {
                r.next();
                return r.getLong(1);
            }
        }
    }

    private String describe(SQLException e) {
        return PostgresProblems.describe(e, settings.target(), settings.user());
    }

    /** Moves entries a batch at a time: their rows locked, copied into the journal, deleted in one transaction. */
    private final class Batch {
        private final PostgresConnections connections;
        private final OutboxStore journal;
        private final long deadline;
        private long after;
        int moved;
        int unreadable;
        String stopped;

        Batch(PostgresConnections connections, OutboxStore journal, long deadline) {
            this.connections = connections;
            this.journal = journal;
            this.deadline = deadline;
        }

        /** Moves the next batch; false when there is none or the hand-over stops. */
        boolean next() throws SQLException {
            try (Connection c = connections.take()) {
                c.setAutoCommit(false);
                try {
                    boolean more = moveLocked(c);
                    c.commit();
                    return more;
                } catch (SQLException | RuntimeException e) {
                    rollbackQuietly(c);
                    throw e;
                }
            }
        }

        private boolean moveLocked(Connection c) throws SQLException {
            try (Statement s = c.createStatement()) {
                // a delete lost in a crash of the database leaves the entry in both stores: sent twice at worst,
                // with its Message-ID, as an entry in flight may be
                s.execute("SET LOCAL synchronous_commit TO off");
            }
            List<StoredEntry> rows = new ArrayList<>();
            try (PreparedStatement p = c.prepareStatement("SELECT " + PostgresRows.COLUMNS + " FROM outbox_entry"
                    + " WHERE sequence > ? AND " + TAKEN + " ORDER BY sequence LIMIT " + BATCH
                    + " FOR UPDATE SKIP LOCKED")) {
                p.setLong(1, after);
                p.setString(2, settings.node());
                try (ResultSet r = p.executeQuery()) {
                    while (r.next()) {
                        rows.add(PostgresRows.entry(r));
                    }
                }
            }
            List<String> adopted = new ArrayList<>();
            boolean more = !rows.isEmpty();
            for (StoredEntry e : rows) {
                if (System.nanoTime() - deadline >= 0) {
                    stopped = "the time limit of " + limit.toSeconds() + " s was reached";
                    more = false;
                    break;
                }
                after = e.sequence;
                try {
                    if (copy(e)) {
                        adopted.add(e.id);
                    } else {
                        unreadable++;
                    }
                } catch (NotificationStoreException | IOException ex) {
                    stopped = ex.getMessage();
                    more = false;
                    break;
                }
            }
            try (PreparedStatement p = c.prepareStatement("DELETE FROM outbox_entry WHERE id = ANY (?)")) {
                p.setArray(1, PostgresRows.array(c, adopted));
                p.executeUpdate();
            }
            moved += adopted.size();
            return more;
        }

        /**
         * Copies one entry into the journal, durably; false (and the entry stays in the database) if its message
         * cannot be read there.
         *
         * @throws IOException if the database went away while the message was read
         */
        private boolean copy(StoredEntry e) throws IOException {
            if (e.state == DeliveryState.SENDING) {
                e.state = e.stateBeforeSending != null ? e.stateBeforeSending : DeliveryState.QUEUED;
            }
            e.stateBeforeSending = null;
            SpillBuffer body = journal.newBody(e.id);
            boolean[] lost = {false};
            try (InputStream in = PostgresChunks.open(connections, e.id, e.size, () -> lost[0] = true)) {
                in.transferTo(body);
            } catch (IOException ex) {
                body.discard();
                if (lost[0]) {
                    throw ex;
                }
                LOG.warn("notification {} stays in the outbox database: {}", e.id, ex.getMessage());
                return false;
            }
            journal.adopt(e, body);
            return true;
        }
    }

    private static void rollbackQuietly(Connection c) {
        try {
            c.rollback();
        } catch (SQLException ignored) {
            // the connection is broken; the transaction is gone with it
        }
    }
}
