package notification.core.internal;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import javax.sql.DataSource;
import notification.api.DeliveryState;
import notification.api.NotificationStoreException;
import notification.api.OutboxEntry;
import notification.api.OutboxStoreStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The outbox in a PostgreSQL database that several print servers (nodes) share. A submit commits (synchronous
 * commit) before it returns; a small message is stored in its entry's row, a larger one in chunks
 * ({@link PostgresChunks}). A node takes a due entry by
 * marking it SENDING with a lease (its name and an end time by the database's clock) that it renews while the send
 * runs ({@link PostgresLeases}); a node that dies loses its leases when they run out, and another node sends the
 * entry again, with the same Message-ID. Retry and discard act on the shared row from any node.
 */
final class PostgresOutbox implements OutboxStore {
    private static final Logger LOG = LoggerFactory.getLogger(PostgresOutbox.class);
    /** How many pooled connections a statement is tried on (see {@link #onLiveConnection}). */
    private static final int TRIES = 5;
    private static final String WAITING = "state IN ('QUEUED', 'DEFERRED')";
    private static final String INSERT_ENTRY = "INSERT INTO outbox_entry (id, message_id, reference, subject,"
            + " recipients, on_behalf_name, on_behalf_address, created_at, size, state, pending, lifetime_start,"
            + " next_attempt_at, updated_at) SELECT ?, ?, ?, ?, ?::text[], ?, ?, ?::timestamptz, ?::bigint, 'QUEUED',"
            + " ?::text[], ?::timestamptz, ?::timestamptz, ?::timestamptz";

    /** Stores a group of small submits ({@link #insertWhole}): one string, found at once in the driver's cache. */
    private static final String INSERT_GROUP = "WITH durable AS (SELECT set_config('synchronous_commit',"
            + " 'on', true)), lease AS (SELECT ?::int AS taken, ?::text AS node, clock_timestamp() +"
            + " ?::bigint * interval '1 millisecond' AS until), given AS (SELECT * FROM unnest(?::text[],"
            + " ?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::bigint[],"
            + " ?::bigint[], ?::bigint[], ?::bigint[], ?::bigint[], ?::bytea[]) WITH ORDINALITY AS g(id,"
            + " message_id, reference, subject, recipients, pending, on_behalf_name, on_behalf_address,"
            + " size, created_at, lifetime_start, next_attempt_at, updated_at, data, n)), entry AS (INSERT"
            + " INTO outbox_entry (id, message_id, reference, subject, recipients, on_behalf_name,"
            + " on_behalf_address, created_at, size, state, state_before_sending, lease_node, lease_until,"
            + " lease_token, pending, lifetime_start, next_attempt_at, updated_at, message) SELECT id,"
            + " message_id, reference, subject, string_to_array(recipients, E'\\n'), on_behalf_name,"
            + " on_behalf_address, " + time("created_at") + ", size, CASE WHEN n <= taken THEN 'SENDING'"
            + " ELSE 'QUEUED' END, CASE WHEN n <= taken THEN 'QUEUED' END, CASE WHEN n <= taken THEN node"
            + " END, CASE WHEN n <= taken THEN until END, CASE WHEN n <= taken THEN 1 ELSE 0 END,"
            + " string_to_array(pending, E'\\n'), " + time("lifetime_start") + ", "
            + time("next_attempt_at") + ", " + time("updated_at") + ", CASE WHEN size <= "
            + PostgresClaims.INLINE + " THEN data END FROM given, durable, lease ORDER BY n RETURNING id, sequence),"
            + " chunk AS (INSERT INTO outbox_chunk (entry_id, seq, data) SELECT g.id, 0, g.data FROM given g JOIN"
            + " entry e ON e.id = g.id WHERE g.size > " + PostgresClaims.INLINE + ") SELECT id, sequence FROM entry";
    /** Records a group of outcomes (see {@link #recordOutcomes}). */
    private static final String RECORD_OUTCOMES = "WITH quick AS (SELECT set_config('synchronous_commit',"
            + " 'off', true)), given AS (SELECT * FROM unnest(?::text[], ?::int[], ?::text[], ?::text[],"
            + " ?::text[], ?::bigint[], ?::text[], ?::text[], ?::bigint[]) AS g(id, token, state, pending,"
            + " failed, next_attempt_at, last_error, transport, updated_at)), done AS (UPDATE"
            + " outbox_entry o SET state = g.state, pending = string_to_array(g.pending, E'\\n'), failed ="
            + " string_to_array(g.failed, E'\\n'), next_attempt_at = coalesce(" + time("g.next_attempt_at")
            + ", o.next_attempt_at), last_error = g.last_error, attempts = o.attempts + 1, transport ="
            + " g.transport, updated_at = " + time("g.updated_at") + ", state_before_sending = NULL,"
            + " lease_node = NULL, lease_until = NULL, message = CASE WHEN g.state = 'SENT' THEN NULL ELSE"
            + " o.message END FROM given g, quick WHERE o.id = g.id AND o.lease_token = g.token AND"
            + " o.state = 'SENDING' RETURNING o.id, o.state), gone AS (DELETE FROM outbox_chunk k USING"
            + " done WHERE k.entry_id = done.id AND done.state = 'SENT') SELECT id FROM done";

    private final PostgresConnections connections;
    private final String node;
    private final Clock clock;
    private final Path spool;
    private final PostgresNodes nodes;
    private final OutboxFiles files = new LocalOutboxFiles();
    private final String target;
    private final String user;
    private final PostgresLeases leases;
    private final PostgresClaims claims;
    /** Small submits, committed in groups of up to 64, at most 3 groups at once. */
    private final PostgresGroups<Submit> submits = new PostgresGroups<>(64, 3, this::insertWhole);
    /** Outcomes of concurrent deliveries, written together: one statement and one commit for all waiting. */
    private final PostgresGroups<Outcome> outcomes = new PostgresGroups<>(64, 1, this::recordOutcomes);
    /** The attempts this node runs: entry id to lease token. */
    private final Map<String, Integer> held = new ConcurrentHashMap<>();
    /** Attempts whose message could not be read because the database went away: not damaged, only interrupted. */
    private final Set<Dispatch> interrupted = ConcurrentHashMap.newKeySet();
    private volatile Runnable onChange = () -> { };
    private volatile boolean migrated;
    private volatile String unavailable;

    /**
     * Opens the store; the schema is created or migrated on first use.
     *
     * @param ds the connection pool
     * @param settings the node's name, the lease's length and how often to look for other nodes' work
     * @param clock the clock that schedules retries (leases use the database's clock)
     * @param spool a local folder where large messages are rendered before they are stored
     * @throws IOException if the spool folder cannot be created
     */
    PostgresOutbox(DataSource ds, PostgresSettings settings, Clock clock, Path spool) throws IOException {
        this.connections = new PostgresConnections(ds);
        this.node = settings.node();
        this.clock = clock;
        this.spool = files.createDirectories(spool);
        this.nodes = new PostgresNodes(this::connection, settings);
        this.target = settings.target();
        this.user = settings.user();
        this.leases = new PostgresLeases(connections, node, settings.lease(), settings.poll(), held, () -> onChange.run(),
                this::reachable);
        this.claims = new PostgresClaims(node, settings.lease(), held);
        leases.start();
    }

    @Override
    public Clock clock() {
        return clock;
    }

    /** The node's name in leases. */
    String node() {
        return node;
    }

    /** Why the database cannot be used right now, or null when it can. */
    String unavailable() {
        return unavailable;
    }

    @Override
    public SpillBuffer newBody(String id) {
        return new SpillBuffer(Outbox.INLINE_LIMIT, spool.resolve(id + ".tmp"), files);
    }

    @Override
    public void submit(StoredEntry e, SpillBuffer body) {
        e.size = body.length();
        try {
            if (body.inMemory()) {
                submits.write(new Submit(e, body.bytes(), (int) body.length()));
            } else {
                try (Connection c = connection()) {
                    insertInChunks(c, e, body);
                }
                claims.fallenBehind();
            }
        } catch (SQLException ex) {
            throw new NotificationStoreException("the notification could not be stored in the outbox database: "
                    + describe(ex), ex);
        } catch (IOException ex) {
            throw new NotificationStoreException("the notification could not be stored in the outbox database: " + ex,
                    ex);
        } finally {
            body.discard();
        }
        onChange.run();
    }

    /**
     * Stores entries with their messages (one chunk each) in one statement, its own transaction, committed with
     * synchronous commit whatever the session says ({@code set_config(..., true)} lasts until that commit): one round
     * trip and one flush for the whole group. The values go as one array per column; the recipient lists, one text
     * each, joined by line feeds (which an address never holds); times as microseconds since the epoch. The first
     * entries of the group, as many as {@link PostgresClaims#promise} allows, are stored as SENDING under this node's
     * lease and handed out at once, as a claim would: a node that keeps up with its mail claims nothing separately.
     */
    private void insertWhole(List<PostgresGroups.Pending<Submit>> group) throws SQLException {
        List<StoredEntry> entries = group.stream().map(s -> s.value.entry()).toList();
        byte[][] messages = group.stream().map(s -> Arrays.copyOf(s.value.buffer(), s.value.length()))
                .toArray(byte[][]::new);
        int taken = claims.promise(entries.size());
        List<Dispatch> dispatches = new ArrayList<>(taken);
        try {
            for (int i = 0; i < taken; i++) {
                held.put(entries.get(i).id, 1);
            }
            Map<String, Long> sequences = insert(entries, messages, taken);
            for (int i = 0; i < entries.size(); i++) {
                StoredEntry e = entries.get(i);
                e.sequence = sequences.get(e.id);
                if (i < taken) {
                    e.stateBeforeSending = e.state;
                    e.state = DeliveryState.SENDING;
                    e.sendToken = 1;
                    ByteBuffer message = e.size <= PostgresClaims.INLINE ? ByteBuffer.wrap(messages[i]) : null;
                    dispatches.add(new Dispatch(e, 1, e.pending, e.attempts + 1, null, message));
                }
            }
            if (taken < entries.size()) {
                claims.fallenBehind(); // the others wait in the database: the next submits queue behind them
            }
        } finally {
            if (dispatches.isEmpty()) {
                entries.stream().limit(taken).forEach(e -> held.remove(e.id, 1));
            }
            claims.adopt(taken, dispatches);
        }
    }

    private Map<String, Long> insert(List<StoredEntry> entries, byte[][] messages, int taken) throws SQLException {
        try (Connection c = connection();
                PreparedStatement p = c.prepareStatement(INSERT_GROUP)) {
            p.setInt(1, taken);
            p.setString(2, node);
            p.setLong(3, leases.length().toMillis());
            p.setArray(4, column(c, entries, e -> e.id));
            p.setArray(5, column(c, entries, e -> e.messageId));
            p.setArray(6, column(c, entries, e -> e.reference));
            p.setArray(7, column(c, entries, e -> e.subject));
            p.setArray(8, column(c, entries, e -> String.join("\n", e.recipients)));
            p.setArray(9, column(c, entries, e -> String.join("\n", e.pending)));
            p.setArray(10, column(c, entries, e -> e.onBehalfName));
            p.setArray(11, column(c, entries, e -> e.onBehalfAddress));
            p.setArray(12, c.createArrayOf("int8", entries.stream().map(e -> e.size).toArray(Long[]::new)));
            p.setArray(13, times(c, entries, e -> e.createdAt));
            p.setArray(14, times(c, entries, e -> e.lifetimeStart));
            p.setArray(15, times(c, entries, e -> e.nextAttemptAt));
            p.setArray(16, times(c, entries, e -> e.updatedAt));
            p.setArray(17, c.createArrayOf("bytea", messages));
            Map<String, Long> sequences = new HashMap<>();
            try (ResultSet r = p.executeQuery()) {
                while (r.next()) {
                    sequences.put(r.getString(1), r.getLong(2));
                }
            }
            return sequences;
        }
    }

    /** The SQL that makes a {@code timestamptz} of a column of microseconds since the epoch (see {@link #times}). */
    private static String time(String column) {
        return "timestamptz 'epoch' + " + column + " * interval '1 microsecond'";
    }

    /** One array of times, as microseconds since the epoch: exact, and cheaper to write and read than text. */
    private static <T> java.sql.Array times(Connection c, List<T> rows, Function<T, Instant> value)
            throws SQLException {
        return c.createArrayOf("int8", rows.stream().map(value).map(PostgresOutbox::micros).toArray(Long[]::new));
    }

    private static Long micros(Instant t) {
        return t == null ? null : Math.addExact(Math.multiplyExact(t.getEpochSecond(), 1_000_000L), t.getNano() / 1000);
    }

    /** One text array of the values of some rows. */
    private static <T> java.sql.Array column(Connection c, List<T> rows, Function<T, String> value)
            throws SQLException {
        return c.createArrayOf("text", rows.stream().map(value).toArray(String[]::new));
    }

    /** Stores an entry and its spilled (large) message chunk by chunk in one transaction with synchronous commit. */
    private void insertInChunks(Connection c, StoredEntry e, SpillBuffer body) throws SQLException, IOException {
        c.setAutoCommit(false);
        try {
            try (Statement s = c.createStatement()) {
                s.execute("SET LOCAL synchronous_commit TO on");
            }
            try (PreparedStatement p = c.prepareStatement(INSERT_ENTRY + " RETURNING sequence")) {
                setEntry(c, p, e);
                try (ResultSet r = p.executeQuery()) {
                    r.next();
                    e.sequence = r.getLong(1);
                }
            }
            PostgresChunks.write(c, e.id, body);
            c.commit();
        } catch (SQLException | IOException | RuntimeException ex) {
            rollbackQuietly(c);
            throw ex;
        }
    }

    private static void setEntry(Connection c, PreparedStatement p, StoredEntry e) throws SQLException {
        p.setString(1, e.id);
        p.setString(2, e.messageId);
        p.setString(3, e.reference);
        p.setString(4, e.subject);
        p.setArray(5, PostgresRows.array(c, e.recipients));
        p.setString(6, e.onBehalfName);
        p.setString(7, e.onBehalfAddress);
        PostgresRows.set(p, 8, e.createdAt);
        p.setLong(9, e.size);
        p.setArray(10, PostgresRows.array(c, e.pending));
        PostgresRows.set(p, 11, e.lifetimeStart);
        PostgresRows.set(p, 12, e.nextAttemptAt);
        PostgresRows.set(p, 13, e.updatedAt);
    }

    @Override
    public Due peekDue() {
        Due ahead = claims.next();
        if (ahead != null && !claims.lookAgain()) {
            return ahead;
        }
        if (ahead == null) {
            handBack(claims.stale());
        }
        Due stored = lookUp();
        return ahead == null || stored != null && stored.at().isBefore(ahead.at()) ? stored : ahead;
    }

    /**
     * The entry in the database due first (a lease that ran out counts as due when it ran out), or null when none
     * waits or the database cannot say; one due for longer than {@link PostgresClaims#LOOK_EVERY} means this node has
     * fallen behind.
     */
    private Due lookUp() {
        claims.looked();
        try (Connection c = connection();
                PreparedStatement p = c.prepareStatement("SELECT " + PostgresRows.COLUMNS + ", NULL::float8 AS left_ms"
                        + " FROM (SELECT * FROM outbox_entry WHERE " + WAITING + " ORDER BY next_attempt_at, sequence"
                        + " LIMIT 1) w UNION ALL SELECT " + PostgresRows.COLUMNS + ", extract(epoch FROM lease_until"
                        + " - clock_timestamp()) * 1000 FROM (SELECT * FROM outbox_entry WHERE state = 'SENDING' AND"
                        + " NOT (lease_node IS NOT DISTINCT FROM ? AND id = ANY (?)) ORDER BY lease_until LIMIT 1) s")) {
            // every lease but those of the attempts this node runs: one of its own whose claim or outcome was cut
            // off with the connection (committed, or lost in a database crash) is taken again when it runs out
            p.setString(1, node);
            p.setArray(2, PostgresRows.array(c, List.copyOf(held.keySet())));
            Due first = null;
            Instant now = clock.instant();
            try (ResultSet r = p.executeQuery()) {
                while (r.next()) {
                    StoredEntry e = PostgresRows.entry(r);
                    double left = r.getDouble("left_ms");
                    // a lease that ran out is due when it ran out, in the past: "now" here is later than the
                    // picker's own "now", and an expired lease due at this "now" would never be due for it
                    Instant at = r.wasNull() ? e.nextAttemptAt : now.plusMillis((long) Math.ceil(left));
                    if (first == null || at.isBefore(first.at())) {
                        first = new Due(e, at, e.pending.size());
                    }
                }
            }
            reachable();
            if (first != null && first.at().isBefore(now.minus(PostgresClaims.LOOK_EVERY))) {
                claims.fallenBehind(); // one due a moment ago was only being stored as this node caught up
            }
            return first;
        } catch (SQLException ex) {
            failed("looking for due notifications", ex);
            return null;
        }
    }

    @Override
    public Dispatch claim(Due due) {
        Dispatch ahead = claims.take(due.entry());
        if (ahead != null) {
            return ahead;
        }
        try (Connection c = connection()) {
            return claims.claim(c, due.entry(), clock.instant());
        } catch (SQLException ex) {
            failed("taking a notification to send", ex);
            return null;
        }
    }

    /** Returns entries taken ahead to the waiting ones (one statement), unchanged. */
    private void handBack(List<Dispatch> taken) {
        if (taken.isEmpty()) {
            return;
        }
        try (Connection c = connection();
                PreparedStatement p = c.prepareStatement("UPDATE outbox_entry o SET state = o.state_before_sending,"
                        + " state_before_sending = NULL, lease_node = NULL, lease_until = NULL FROM unnest(?::text[],"
                        + " ?::int[]) AS t(id, token) WHERE o.id = t.id AND o.lease_token = t.token AND o.state ="
                        + " 'SENDING'")) {
            p.setArray(1, PostgresRows.array(c, taken.stream().map(Dispatch::id).toList()));
            p.setArray(2, c.createArrayOf("int4", taken.stream().map(Dispatch::token).toArray(Integer[]::new)));
            p.executeUpdate();
            onChange.run();
        } catch (SQLException ex) {
            failed("handing back notifications taken ahead (their leases run out instead)", ex);
        } finally {
            taken.forEach(d -> held.remove(d.id(), d.token()));
        }
    }

    @Override
    public void handBack(Dispatch d) {
        try {
            update("UPDATE outbox_entry SET state = state_before_sending, state_before_sending = NULL,"
                    + " lease_node = NULL, lease_until = NULL WHERE id = ? AND lease_token = ? AND state = 'SENDING'",
                    d, p -> { });
            onChange.run();
        } catch (SQLException ex) {
            failed("handing back " + d.id() + " (its lease runs out instead)", ex);
        } finally {
            forget(d);
        }
    }

    /** Always: an outcome is a statement in the database, and it waits for the group being written before it. */
    @Override
    public boolean slowOutcome(Dispatch d) {
        return true;
    }

    @Override
    public boolean finish(Dispatch d, DeliveryOutcome o, String transport) {
        try {
            boolean counted = outcomes.write(new Outcome(d, o, transport, clock.instant()));
            if (counted) {
                applyTo(d.entry(), o, transport);
            }
            onChange.run();
            return counted;
        } catch (SQLException ex) {
            failed("recording the outcome of " + d.id() + " (it is sent again, with the same Message-ID, once its"
                    + " lease runs out)", ex);
            return false;
        } finally {
            forget(d);
        }
    }

    /**
     * Records the outcomes of concurrent deliveries in one statement, its own transaction, committed without waiting
     * for the disk: an outcome may be lost in a crash of the database (the entry is then sent again, same
     * Message-ID). An outcome counts only for its attempt's token; a sent message goes with it (its row's copy
     * cleared, its chunks deleted), so a group met by a dead connection is written again on another one. The values go
     * as one array per column, as in {@link #insertWhole}.
     */
    private void recordOutcomes(List<PostgresGroups.Pending<Outcome>> group) throws SQLException {
        List<Outcome> given = group.stream().map(x -> x.value).toList();
        Set<String> counted = onLiveConnection(c -> {
            try (PreparedStatement p = c.prepareStatement(RECORD_OUTCOMES)) {
                p.setArray(1, c.createArrayOf("text",
                        given.stream().map(x -> x.dispatch().id()).toArray(String[]::new)));
                p.setArray(2, c.createArrayOf("int4",
                        given.stream().map(x -> x.dispatch().token()).toArray(Integer[]::new)));
                p.setArray(3, column(c, given, x -> x.outcome().state().name()));
                p.setArray(4, column(c, given, x -> String.join("\n", x.outcome().pending())));
                p.setArray(5, column(c, given, x -> String.join("\n", x.outcome().failed())));
                p.setArray(6, times(c, given, x -> x.outcome().nextAttemptAt()));
                p.setArray(7, column(c, given, x -> x.outcome().error()));
                p.setArray(8, column(c, given, Outcome::transport));
                p.setArray(9, times(c, given, Outcome::at));
                Set<String> ids = new HashSet<>();
                try (ResultSet r = p.executeQuery()) {
                    while (r.next()) {
                        ids.add(r.getString(1));
                    }
                }
                return ids;
            }
        });
        group.forEach(x -> x.counted = counted.contains(x.value.dispatch().id()));
    }

    private void applyTo(StoredEntry e, DeliveryOutcome o, String transport) {
        e.state = o.state();
        e.pending = o.pending();
        e.failed = new ArrayList<>(o.failed());
        e.nextAttemptAt = o.nextAttemptAt() != null ? o.nextAttemptAt() : e.nextAttemptAt;
        e.lastError = o.error();
        e.attempts++;
        e.transport = transport;
    }

    @Override
    public void quarantine(Dispatch d, String problem) {
        try {
            if (!interrupted.remove(d)) {
                update("UPDATE outbox_entry SET state = 'QUARANTINED', last_error = ?, updated_at = ?,"
                        + " state_before_sending = NULL, lease_node = NULL, lease_until = NULL WHERE id = ? AND"
                        + " lease_token = ? AND state = 'SENDING'", d, p -> {
                            p.setString(1, problem);
                            PostgresRows.set(p, 2, clock.instant());
                        });
            } else {
                LOG.warn("notification {}: the database went away while its message was read; it stays queued",
                        d.id());
                handBack(d);
            }
        } catch (SQLException ex) {
            failed("setting " + d.id() + " aside (its lease runs out instead)", ex);
        } finally {
            forget(d);
        }
    }

    /** Drops what this node kept about a dispatch once its outcome, hand-back or quarantine is written or given up. */
    private void forget(Dispatch d) {
        held.remove(d.id(), d.token());
        interrupted.remove(d);
    }

    @Override
    public InputStream open(Dispatch d) {
        ByteBuffer message = d.held();
        if (message != null) {
            return new ByteArrayInputStream(message.array(), message.arrayOffset(), message.capacity());
        }
        return PostgresChunks.open(connections, d.id(), d.entry().size, () -> interrupted.add(d));
    }

    @Override
    public boolean retry(String id) {
        try (Connection c = connection()) {
            c.setAutoCommit(false);
            try {
                StoredEntry e = lockedEntry(c, id);
                if (e == null || e.state == DeliveryState.SENT || e.state == DeliveryState.SENDING) {
                    c.rollback();
                    return false;
                }
                List<String> pending = new ArrayList<>(e.pending);
                e.failed.stream().filter(a -> !pending.contains(a)).forEach(pending::add);
                Instant now = clock.instant();
                try (PreparedStatement p = c.prepareStatement("UPDATE outbox_entry SET state = 'QUEUED', pending = ?,"
                        + " failed = '{}', attempts_at_retry = attempts, lifetime_start = ?, next_attempt_at = ?,"
                        + " updated_at = ? WHERE id = ?")) {
                    p.setArray(1, PostgresRows.array(c, pending.isEmpty() ? e.recipients : pending));
                    PostgresRows.set(p, 2, now);
                    PostgresRows.set(p, 3, now);
                    PostgresRows.set(p, 4, now);
                    p.setString(5, id);
                    p.executeUpdate();
                }
                c.commit();
            } catch (SQLException | RuntimeException ex) {
                rollbackQuietly(c);
                throw ex;
            }
        } catch (SQLException ex) {
            throw storeFailure("retrying " + id, ex);
        }
        onChange.run();
        return true;
    }

    private static StoredEntry lockedEntry(Connection c, String id) throws SQLException {
        try (PreparedStatement p = c.prepareStatement("SELECT " + PostgresRows.COLUMNS
                + " FROM outbox_entry WHERE id = ? FOR UPDATE")) {
            p.setString(1, id);
            try (ResultSet r = p.executeQuery()) {
                return r.next() ? PostgresRows.entry(r) : null;
            }
        }
    }

    @Override
    public boolean discard(String id) {
        try (Connection c = connection();
                PreparedStatement p = c.prepareStatement("DELETE FROM outbox_entry WHERE id = ? AND state <> 'SENDING'")) {
            p.setString(1, id);
            return p.executeUpdate() == 1;
        } catch (SQLException ex) {
            throw storeFailure("discarding " + id, ex);
        }
    }

    @Override
    public void prune() {
        try (Connection c = connection();
                PreparedStatement p = c.prepareStatement("DELETE FROM outbox_entry WHERE state = 'SENT' AND"
                        + " (updated_at < ? OR sequence <= (SELECT sequence FROM outbox_entry WHERE state = 'SENT'"
                        + " ORDER BY sequence DESC OFFSET ? LIMIT 1))")) {
            PostgresRows.set(p, 1, clock.instant().minus(Outbox.KEEP_SENT));
            p.setInt(2, Outbox.MAX_SENT);
            p.executeUpdate();
        } catch (SQLException ex) {
            failed("forgetting old sent notifications", ex);
        }
    }

    @Override
    public Optional<OutboxEntry> find(String id) {
        return read("reading " + id, c -> {
            try (PreparedStatement p = c.prepareStatement("SELECT " + PostgresRows.COLUMNS
                    + " FROM outbox_entry WHERE id = ?")) {
                p.setString(1, id);
                try (ResultSet r = p.executeQuery()) {
                    return r.next() ? Optional.of(PostgresRows.entry(r).snapshot()) : Optional.empty();
                }
            }
        });
    }

    private interface Query<T> {
        T run(Connection c) throws SQLException;
    }

    /** Runs a read (see {@link #onLiveConnection}); a failure is a {@link NotificationStoreException}. */
    private <T> T read(String doing, Query<T> query) {
        try {
            return onLiveConnection(query);
        } catch (SQLException ex) {
            throw storeFailure(doing, ex);
        }
    }

    /**
     * Runs statements on a pooled connection, again on another one (up to {@link #TRIES} in all) while the one lent
     * turns out dead: after a database restart the pool still holds connections that died with the server (it checks
     * only those idle for a while, and drops each that fails). A connection the pool cannot give, or one whose answer
     * did not come in time, is not tried again. The statements must be safe to run twice: a read, or an update guarded
     * by its attempt's token and state.
     */
    private <T> T onLiveConnection(Query<T> query) throws SQLException {
        for (int tries = 1; ; tries++) {
            Connection c = connection();
            try (c) {
                return query.run(c);
            } catch (SQLException ex) {
                if (tries == TRIES || !PostgresProblems.deadConnection(ex)) {
                    throw ex;
                }
                LOG.debug("outbox database: a pooled connection was dead; trying another", ex);
            }
        }
    }

    @Override
    public List<OutboxEntry> list(Set<DeliveryState> states, int max) {
        return read("listing the outbox", c -> list(c, states, max));
    }

    private static List<OutboxEntry> list(Connection c, Set<DeliveryState> states, int max) throws SQLException {
        try (PreparedStatement p = c.prepareStatement("SELECT " + PostgresRows.COLUMNS + " FROM outbox_entry"
                        + (states.isEmpty() ? "" : " WHERE state = ANY (?)") + " ORDER BY sequence DESC LIMIT ?")) {
            int i = 1;
            if (!states.isEmpty()) {
                p.setArray(i++, PostgresRows.array(c, states.stream().map(Enum::name).toList()));
            }
            p.setInt(i, max);
            List<OutboxEntry> entries = new ArrayList<>();
            try (ResultSet r = p.executeQuery()) {
                while (r.next()) {
                    entries.add(PostgresRows.entry(r).snapshot());
                }
            }
            return entries;
        }
    }

    @Override
    public Map<DeliveryState, Long> counts() {
        Map<DeliveryState, Long> counts = new EnumMap<>(DeliveryState.class);
        for (DeliveryState s : DeliveryState.values()) {
            counts.put(s, 0L);
        }
        return read("counting the outbox", c -> {
            try (PreparedStatement p = c.prepareStatement("SELECT state, count(*) FROM outbox_entry GROUP BY state");
                    ResultSet r = p.executeQuery()) {
                while (r.next()) {
                    counts.put(DeliveryState.valueOf(r.getString(1)), r.getLong(2));
                }
                return counts;
            }
        });
    }

    @Override
    public OutboxStoreStatus status() {
        return nodes.status(unavailable);
    }

    @Override
    public void onChange(Runnable r) {
        this.onChange = r;
    }

    /** Stops renewing; the entries this node still sends go back to the waiting ones at once. */
    @Override
    public void close() {
        leases.stop();
        try {
            handBack(claims.all());
            handBackHeld();
        } finally {
            connections.close();
        }
    }

    private void handBackHeld() {
        if (held.isEmpty()) {
            return;
        }
        try (Connection c = connection();
                PreparedStatement p = c.prepareStatement("UPDATE outbox_entry SET state = state_before_sending,"
                        + " state_before_sending = NULL, lease_node = NULL, lease_until = NULL WHERE state = 'SENDING'"
                        + " AND lease_node = ? AND id = ANY (?)")) {
            p.setString(1, node);
            p.setArray(2, PostgresRows.array(c, List.copyOf(held.keySet())));
            p.executeUpdate();
        } catch (SQLException ex) {
            failed("handing back what this node was sending (their leases run out instead)", ex);
        }
        held.clear();
    }

    /** A pooled connection to a migrated database. */
    private Connection connection() throws SQLException {
        Connection c = connections.take();
        if (!migrated) {
            try {
                prepare(c);
            } catch (SQLException | RuntimeException e) {
                c.close();
                throw e;
            }
        }
        return c;
    }

    private synchronized void prepare(Connection c) throws SQLException {
        if (migrated) {
            return;
        }
        int applied = PostgresSchema.migrate(c);
        if (applied > 0) {
            LOG.info("outbox database {}: {} schema migration(s) applied", target, applied);
        }
        // this node's previous run (same name: same host and port) is gone: what it was sending is due again
        try (PreparedStatement p = c.prepareStatement("UPDATE outbox_entry SET state = state_before_sending,"
                + " state_before_sending = NULL, lease_node = NULL, lease_until = NULL WHERE state = 'SENDING' AND"
                + " lease_node = ?")) {
            p.setString(1, node);
            int n = p.executeUpdate();
            if (n > 0) {
                LOG.info("outbox database {}: {} notification(s) this node was sending before it stopped are due"
                        + " again", target, n);
            }
        }
        migrated = true;
    }

    private interface Parameters {
        void set(PreparedStatement p) throws SQLException;
    }

    /** Runs an update on an attempt's row: the attempt's id and token are the last two parameters. */
    private int update(String sql, Dispatch d, Parameters parameters) throws SQLException {
        return onLiveConnection(c -> {
            try (PreparedStatement p = c.prepareStatement(sql)) {
                parameters.set(p);
                int n = (int) sql.chars().filter(ch -> ch == '?').count();
                p.setString(n - 1, d.id());
                p.setInt(n, d.token());
                return p.executeUpdate();
            }
        });
    }

    private void reachable() {
        if (unavailable != null) {
            LOG.info("outbox database {} is reachable again: deliveries resume", target);
            unavailable = null;
        }
    }

    private void failed(String doing, SQLException ex) {
        String sentence = describe(ex);
        if (PostgresProblems.unreachable(ex)) {
            if (unavailable == null) {
                LOG.warn("outbox database: {}; deliveries pause until it is back", sentence);
            }
            unavailable = sentence;
        } else {
            LOG.error("outbox database: {} failed: {}", doing, sentence, ex);
        }
    }

    private NotificationStoreException storeFailure(String doing, SQLException ex) {
        failed(doing, ex);
        return new NotificationStoreException(doing + " failed: " + describe(ex), ex);
    }

    private String describe(SQLException ex) {
        return PostgresProblems.describe(ex, target, user);
    }

    private static void rollbackQuietly(Connection c) {
        try {
            c.rollback();
        } catch (SQLException ignored) {
            // the connection is broken; the transaction is gone with it
        }
    }

    /** A small submit: its entry and its message, in the first {@code length} bytes of {@code buffer}. */
    private record Submit(StoredEntry entry, byte[] buffer, int length) {
    }

    /** A delivery's outcome to record, through which transport, and when. */
    private record Outcome(Dispatch dispatch, DeliveryOutcome outcome, String transport, Instant at) {
    }
}
