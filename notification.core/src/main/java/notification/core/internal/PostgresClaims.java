package notification.core.internal;

import java.nio.ByteBuffer;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Takes due entries for a node in batches: the claim of the entry the picker asked for also takes up to
 * {@link #BATCH} - 1 more entries due now (one query, {@code FOR UPDATE SKIP LOCKED}, each with its own lease and
 * token), with the message itself when it is small, so that the next picks need no query. Entries taken ahead and
 * not started within {@link #STALE} (no transport free for that long) go back to the waiting ones, so that another
 * node can send them and the console does not show them as being sent for long. A claim commits without waiting for
 * the disk: lost in a crash of the database, its entries are simply due again (and sent with the same Message-ID).
 * A node whose last claim left nothing due behind keeps up with its mail: it takes its next submits as they are
 * stored ({@link #promise}), which spares a claim and a look per message; it stops as soon as it sees an entry due
 * in the database, which it looks for at least every {@link #LOOK_EVERY}, or an entry taken goes unstarted.
 */
final class PostgresClaims {
    /** The most entries one claim takes. */
    static final int BATCH = 16;
    /** How long an entry taken ahead may wait for a transport before it goes back. */
    static final Duration STALE = Duration.ofSeconds(2);
    /**
     * Messages up to this size are stored in their entry's row and come with the claim (or, stored before that, as
     * one chunk); larger ones are read while they are sent.
     */
    static final int INLINE = 64 * 1024;
    private static final String WAITING = "state IN ('QUEUED', 'DEFERRED')";
    private static final String CLAIM = "WITH quick AS (SELECT set_config('synchronous_commit', 'off', true)),"
            + " asked AS (SELECT id FROM outbox_entry WHERE id = ? AND (" + WAITING
            + " OR state = 'SENDING' AND lease_until < clock_timestamp()) FOR UPDATE SKIP LOCKED),"
            + " more AS (SELECT id FROM outbox_entry WHERE " + WAITING + " AND next_attempt_at <= ? AND id <> ?"
            + " ORDER BY next_attempt_at, sequence LIMIT ? FOR UPDATE SKIP LOCKED)"
            + " UPDATE outbox_entry o SET state = 'SENDING', state_before_sending = CASE WHEN o.state = 'SENDING'"
            + " THEN o.state_before_sending ELSE o.state END, lease_node = ?, lease_until = clock_timestamp() + ?"
            + " * interval '1 millisecond', lease_token = o.lease_token + 1"
            + " FROM quick WHERE o.id IN (SELECT id FROM asked UNION ALL SELECT id FROM more)"
            + " RETURNING " + PostgresRows.COLUMNS + ", coalesce(o.message, (SELECT data FROM outbox_chunk k WHERE"
            + " k.entry_id = o.id AND k.seq = 0 AND o.size <= " + INLINE + ")) AS inline";

    /** An entry taken ahead: its attempt, ready to hand out, and when it was taken ({@link System#nanoTime()}). */
    private record Ahead(Dispatch dispatch, Instant due, long takenAt) {
    }

    /** How long entries taken ahead may keep this node from looking at the database for others' due entries. */
    static final Duration LOOK_EVERY = Duration.ofSeconds(1);

    private final String node;
    private final Duration lease;
    private final Map<String, Integer> held;
    private final ArrayDeque<Ahead> ahead = new ArrayDeque<>();
    /** Whether the last claim left no due entry behind: then new submits are taken by this node as they are stored. */
    private boolean caughtUp;
    /** Places in {@link #ahead} promised to submits being stored. */
    private int promised;
    private long lookedAt = System.nanoTime();

    /**
     * @param node this node's name in leases
     * @param lease how long a claim lasts unless renewed
     * @param held the attempts this node runs (entry id to token): every entry taken is added
     */
    PostgresClaims(String node, Duration lease, Map<String, Integer> held) {
        this.node = node;
        this.lease = lease;
        this.held = held;
    }

    /** The entry taken ahead that is due first, or null when none waits or it waited too long (see {@link #stale}). */
    synchronized OutboxStore.Due next() {
        Ahead first = ahead.peekFirst();
        if (first == null || System.nanoTime() - first.takenAt > STALE.toNanos()) {
            return null;
        }
        return new OutboxStore.Due(first.dispatch.entry(), first.due, first.dispatch.recipients().size());
    }

    /** Hands out an entry taken ahead, or null if this entry was not taken ahead. */
    synchronized Dispatch take(StoredEntry e) {
        for (Iterator<Ahead> i = ahead.iterator(); i.hasNext(); ) {
            Ahead a = i.next();
            if (a.dispatch.entry() == e || a.dispatch.id().equals(e.id)) {
                i.remove();
                return a.dispatch;
            }
        }
        return null;
    }

    /** Removes and returns the entries taken ahead that waited longer than {@link #STALE}. */
    synchronized List<Dispatch> stale() {
        List<Dispatch> old = new ArrayList<>();
        long now = System.nanoTime();
        for (Iterator<Ahead> i = ahead.iterator(); i.hasNext(); ) {
            Ahead a = i.next();
            if (now - a.takenAt > STALE.toNanos()) {
                i.remove();
                old.add(a.dispatch);
            }
        }
        if (!old.isEmpty()) {
            caughtUp = false; // nothing takes what is taken ahead: take no more
        }
        return old;
    }

    /**
     * How many of {@code n} submits being stored this node takes at once, marking them SENDING under its lease in
     * the same statement: none unless its last claim found no other due entry (it sends as fast as mail comes, so
     * the new entries pass nobody) and there is room ahead. Each place promised is kept until {@link #adopt}.
     */
    synchronized int promise(int n) {
        int k = caughtUp ? Math.max(0, Math.min(n, BATCH - ahead.size() - promised)) : 0;
        promised += k;
        return k;
    }

    /**
     * Hands out the submits taken as they were stored, as if claimed, and frees the {@code k} places promised.
     *
     * @param k the places promised by {@link #promise}
     * @param taken the attempts of the entries stored as SENDING (none if storing them failed)
     */
    synchronized void adopt(int k, List<Dispatch> taken) {
        promised -= k;
        long now = System.nanoTime();
        taken.forEach(d -> ahead.addLast(new Ahead(d, d.entry().nextAttemptAt, now)));
    }

    /** A due entry waits in the database: new submits wait their turn there too. */
    synchronized void fallenBehind() {
        caughtUp = false;
    }

    /** Whether the database should be looked at although entries taken ahead wait (see {@link #LOOK_EVERY}). */
    synchronized boolean lookAgain() {
        return System.nanoTime() - lookedAt > LOOK_EVERY.toNanos();
    }

    /** The database was just looked at. */
    synchronized void looked() {
        lookedAt = System.nanoTime();
    }

    /** Removes and returns every entry taken ahead (the store closes). */
    synchronized List<Dispatch> all() {
        List<Dispatch> all = ahead.stream().map(Ahead::dispatch).toList();
        ahead.clear();
        return all;
    }

    /**
     * Claims the asked entry and, with it, more entries due by {@code now}, in the order they fell due.
     *
     * @param c a connection (auto-commit)
     * @param asked the entry the picker asked for
     * @param now the store's clock
     * @return the asked entry's attempt, or null if it is no longer waiting (others may have been taken still)
     * @throws SQLException if the claim fails; nothing is then taken
     */
    Dispatch claim(Connection c, StoredEntry asked, Instant now) throws SQLException {
        int room;
        synchronized (this) {
            room = Math.max(0, BATCH - 1 - ahead.size());
        }
        List<Dispatch> taken = new ArrayList<>();
        try (PreparedStatement p = c.prepareStatement(CLAIM)) {
            p.setString(1, asked.id);
            PostgresRows.set(p, 2, now);
            p.setString(3, asked.id);
            p.setInt(4, room);
            p.setString(5, node);
            p.setLong(6, lease.toMillis());
            try (ResultSet r = p.executeQuery()) {
                while (r.next()) {
                    StoredEntry e = PostgresRows.entry(r);
                    byte[] message = r.getBytes("inline");
                    held.put(e.id, e.sendToken);
                    taken.add(new Dispatch(e, e.sendToken, e.pending, e.attempts + 1, null,
                            message == null ? null : ByteBuffer.wrap(message)));
                }
            }
        }
        taken.sort(Comparator.comparing((Dispatch d) -> d.entry().nextAttemptAt).thenComparingLong(d -> d.entry().sequence));
        Dispatch mine = null;
        long takenAt = System.nanoTime();
        synchronized (this) {
            caughtUp = taken.size() - (taken.stream().anyMatch(d -> d.id().equals(asked.id)) ? 1 : 0) < room;
            for (Dispatch d : taken) {
                if (d.id().equals(asked.id)) {
                    mine = d;
                } else {
                    Instant due = d.entry().nextAttemptAt.isAfter(now) ? now : d.entry().nextAttemptAt;
                    ahead.addLast(new Ahead(d, due, takenAt));
                }
            }
        }
        return mine;
    }
}
