package notification.core.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import notification.api.transport.BudgetKey;
import notification.api.transport.BudgetUse;
import notification.api.transport.ConnectionSlot;
import notification.api.transport.MessageStart;
import notification.api.transport.SendingBudget;
import notification.api.transport.StartLimits;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The sending budget shared by every node on one PostgreSQL database: connection slots are rows held under a lease
 * (the database's clock), renewed while held, deleted when closed and taken over when expired, so a stopped node's
 * slots come back; starts (messages) and recipients are rows counted under an advisory transaction lock per mailbox,
 * so the nodes together never exceed a limit. Refuses whatever it cannot count (database unreachable). Public (in a
 * private package) so that the transports' tests can run several nodes on one database.
 */
public final class PostgresBudget implements SendingBudget, AutoCloseable {
    /** How long a slot lasts unless renewed (every third of it). */
    public static final Duration LEASE = Duration.ofSeconds(30);
    private static final Logger LOG = LoggerFactory.getLogger(PostgresBudget.class);
    /** The advisory lock's first key ("budg"), apart from the schema's lock. */
    private static final int LOCK_CLASS = 0x62756467;

    /** How long a status page waits for the budget's use before it shows the problem instead. */
    private static final int USES_WITHIN_SECONDS = 3;
    /** Every key with a live slot or a start within the day, with its counts, by the database's clock. */
    private static final String USES = "WITH now AS (SELECT clock_timestamp() AS t),"
            + " k AS (SELECT mailbox, protocol FROM budget_slot, now WHERE lease_until > now.t"
            + " UNION SELECT mailbox, protocol FROM budget_start, now WHERE started_at > now.t - interval '1 day')"
            + " SELECT k.mailbox, k.protocol,"
            + " (SELECT count(*) FROM budget_slot s, now WHERE s.mailbox = k.mailbox AND s.protocol = k.protocol"
            + " AND s.lease_until > now.t),"
            + " (SELECT count(*) FROM budget_start b, now WHERE b.mailbox = k.mailbox AND b.protocol = k.protocol"
            + " AND b.started_at > now.t - ? * interval '1 millisecond'),"
            + " (SELECT coalesce(sum(b.recipients), 0) FROM budget_start b, now WHERE b.mailbox = k.mailbox"
            + " AND b.started_at > now.t - interval '1 day')"
            + " FROM k ORDER BY k.mailbox, k.protocol";

    private final PostgresConnections connections;
    private final KnownLimits limits = new KnownLimits();
    private final PostgresSettings settings;
    private final Duration lease;
    private final Map<Long, Slot> held = new ConcurrentHashMap<>();
    private final ScheduledExecutorService renewer;
    private volatile boolean migrated;
    private volatile String lastProblem;

    /**
     * Counts in the database behind a pool.
     *
     * @param pool the pool
     * @param node this node's name, recorded with its slots and starts
     * @param target the database's URL without credentials, for messages
     * @param user the database user, for messages
     * @param lease how long a slot lasts unless renewed; renewed every third of it
     */
    public PostgresBudget(DataSource pool, String node, String target, String user, Duration lease) {
        this.connections = new PostgresConnections(pool);
        this.settings = new PostgresSettings(node, target, user, lease, PostgresSettings.POLL);
        this.lease = lease;
        this.renewer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "notification-budget-leases");
            t.setDaemon(true);
            return t;
        });
        long every = Math.max(1, lease.toMillis() / 3);
        renewer.scheduleWithFixedDelay(this::renew, every, every, TimeUnit.MILLISECONDS);
    }

    @Override
    public Optional<ConnectionSlot> takeConnection(BudgetKey key, int limit) {
        BudgetLimits.checkConnections(limit);
        limits.connections(key, limit);
        try (Connection c = connection()) {
            c.setAutoCommit(false);
            try {
                lock(c, key);
                try (PreparedStatement p = c.prepareStatement("DELETE FROM budget_slot WHERE mailbox = ?"
                        + " AND protocol = ? AND lease_until <= clock_timestamp()")) {
                    p.setString(1, key.mailbox());
                    p.setString(2, key.protocol());
                    int expired = p.executeUpdate();
                    if (expired > 0) {
                        LOG.info("sending budget {}: {} connection slot(s) of a node that stopped renewing taken back",
                                key, expired);
                    }
                }
                if (count(c, "SELECT count(*) FROM budget_slot WHERE mailbox = ? AND protocol = ?", key) >= limit) {
                    c.commit();
                    return Optional.empty();
                }
                long id;
                try (PreparedStatement p = c.prepareStatement("INSERT INTO budget_slot (mailbox, protocol, node,"
                        + " taken_at, lease_until) VALUES (?, ?, ?, clock_timestamp(), clock_timestamp() + ?"
                        + " * interval '1 millisecond') RETURNING id")) {
                    p.setString(1, key.mailbox());
                    p.setString(2, key.protocol());
                    p.setString(3, settings.node());
                    p.setLong(4, lease.toMillis());
                    try (ResultSet r = p.executeQuery()) {
                        r.next();
                        id = r.getLong(1);
                    }
                }
                c.commit();
                Slot slot = new Slot(key, id);
                held.put(id, slot);
                reachable();
                return Optional.of(slot);
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        } catch (SQLException e) {
            unreachable(e);
            return Optional.empty();
        }
    }

    @Override
    public MessageStart startMessage(BudgetKey key, int recipients, StartLimits startLimits) {
        BudgetLimits.checkStart(recipients, startLimits);
        int perMinute = startLimits.messagesPerMinute();
        int messagesPerDay = startLimits.messagesPerDay();
        int perDay = startLimits.recipientsPerDay();
        limits.start(key, perMinute, perDay);
        try (Connection c = connection()) {
            c.setAutoCommit(false);
            try {
                lock(c, key);
                Counts counts = counts(c, key, true);
                MessageStart answer;
                if (perMinute > 0 && counts.starts >= perMinute) {
                    answer = BudgetLimits.minuteFull(key, perMinute, Duration.between(counts.now,
                            counts.oldestStart.plus(START_COUNTS_FOR)));
                } else if (messagesPerDay > 0 && counts.messages >= messagesPerDay) {
                    answer = BudgetLimits.messagesFull(key, messagesPerDay, Duration.between(counts.now,
                            counts.oldestMessage.plus(Duration.ofDays(1))));
                } else if (perDay > 0 && counts.recipients > 0 && counts.recipients + recipients > perDay) {
                    answer = BudgetLimits.dayFull(key, perDay, counts.recipients, Duration.between(counts.now,
                            counts.oldestRecipient.plus(Duration.ofDays(1))));
                } else {
                    try (PreparedStatement p = c.prepareStatement("INSERT INTO budget_start (mailbox, protocol,"
                            + " started_at, recipients, node) VALUES (?, ?, ?, ?, ?)")) {
                        p.setString(1, key.mailbox());
                        p.setString(2, key.protocol());
                        p.setTimestamp(3, Timestamp.from(counts.now));
                        p.setInt(4, recipients);
                        p.setString(5, settings.node());
                        p.executeUpdate();
                    }
                    answer = MessageStart.granted();
                }
                c.commit();
                reachable();
                return answer;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        } catch (SQLException e) {
            return MessageStart.notYet(RETRY_WHEN_UNREACHABLE, "the sending budget cannot be counted: "
                    + unreachable(e));
        }
    }

    @Override
    public BudgetUse use(BudgetKey key) {
        try (Connection c = connection()) {
            Counts counts = counts(c, key, false);
            int slots = count(c, "SELECT count(*) FROM budget_slot WHERE mailbox = ? AND protocol = ?"
                    + " AND lease_until > clock_timestamp()", key);
            return limits.use(key, slots, counts.starts, counts.recipients, true, null);
        } catch (SQLException e) {
            return limits.use(key, 0, 0, 0, true, PostgresProblems.describe(e, settings.target(), settings.user()));
        }
    }

    @Override
    public List<BudgetUse> uses() {
        try (Connection c = connection(); PreparedStatement p = c.prepareStatement(USES)) {
            p.setQueryTimeout(USES_WITHIN_SECONDS);
            p.setLong(1, START_COUNTS_FOR.toMillis());
            List<BudgetUse> uses = new ArrayList<>();
            try (ResultSet r = p.executeQuery()) {
                while (r.next()) {
                    uses.add(limits.use(new BudgetKey(r.getString(1), r.getString(2)), r.getInt(3), r.getInt(4),
                            r.getLong(5), true, null));
                }
            }
            return uses;
        } catch (SQLException e) {
            String problem = PostgresProblems.describe(e, settings.target(), settings.user());
            return limits.keys().stream().sorted(Comparator.comparing(BudgetKey::mailbox)
                    .thenComparing(BudgetKey::protocol)).map(k -> limits.use(k, 0, 0, 0, true, problem)).toList();
        }
    }

    /** What counts against a key right now, by the database's clock taken once the lock is held. */
    private record Counts(Instant now, int starts, Instant oldestStart, long messages, Instant oldestMessage,
            long recipients, Instant oldestRecipient) {
    }

    private Counts counts(Connection c, BudgetKey key, boolean purge) throws SQLException {
        Instant now;
        try (PreparedStatement p = c.prepareStatement("SELECT clock_timestamp()"); ResultSet r = p.executeQuery()) {
            r.next();
            now = r.getTimestamp(1).toInstant();
        }
        Timestamp dayAgo = Timestamp.from(now.minus(Duration.ofDays(1)));
        if (purge) {
            try (PreparedStatement p = c.prepareStatement("DELETE FROM budget_start WHERE mailbox = ?"
                    + " AND started_at <= ?")) {
                p.setString(1, key.mailbox());
                p.setTimestamp(2, dayAgo);
                p.executeUpdate();
            }
        }
        try (PreparedStatement p = c.prepareStatement("SELECT count(*) FILTER (WHERE protocol = ? AND started_at > ?),"
                + " min(started_at) FILTER (WHERE protocol = ? AND started_at > ?), count(*), min(started_at),"
                + " coalesce(sum(recipients), 0),"
                + " min(started_at) FILTER (WHERE recipients > 0) FROM budget_start WHERE mailbox = ?"
                + " AND started_at > ?")) {
            Timestamp minuteAgo = Timestamp.from(now.minus(START_COUNTS_FOR));
            p.setString(1, key.protocol());
            p.setTimestamp(2, minuteAgo);
            p.setString(3, key.protocol());
            p.setTimestamp(4, minuteAgo);
            p.setString(5, key.mailbox());
            p.setTimestamp(6, dayAgo);
            try (ResultSet r = p.executeQuery()) {
                r.next();
                return new Counts(now, r.getInt(1), instant(r.getTimestamp(2)), r.getLong(3),
                        instant(r.getTimestamp(4)), r.getLong(5), instant(r.getTimestamp(6)));
            }
        }
    }

    private static Instant instant(Timestamp t) {
        return t == null ? null : t.toInstant();
    }

    private static void lock(Connection c, BudgetKey key) throws SQLException {
        try (PreparedStatement p = c.prepareStatement("SELECT pg_advisory_xact_lock(?, hashtext(?))")) {
            p.setInt(1, LOCK_CLASS);
            p.setString(2, key.mailbox());
            p.executeQuery().close();
        }
    }

    private static int count(Connection c, String sql, BudgetKey key) throws SQLException {
        try (PreparedStatement p = c.prepareStatement(sql)) {
            p.setString(1, key.mailbox());
            p.setString(2, key.protocol());
            try (ResultSet r = p.executeQuery()) {
                r.next();
                return r.getInt(1);
            }
        }
    }

    /** Keeps the slots this node holds: a slot found gone was taken over (its lease ran out while unreachable). */
    private void renew() {
        if (held.isEmpty()) {
            return;
        }
        try (Connection c = connection();
                PreparedStatement p = c.prepareStatement("UPDATE budget_slot SET lease_until = clock_timestamp()"
                        + " + ? * interval '1 millisecond' WHERE node = ? AND id = ANY (?) RETURNING id")) {
            Long[] ids = held.keySet().toArray(Long[]::new);
            p.setLong(1, lease.toMillis());
            p.setString(2, settings.node());
            p.setArray(3, c.createArrayOf("bigint", ids));
            Set<Long> renewed = new HashSet<>();
            try (ResultSet r = p.executeQuery()) {
                while (r.next()) {
                    renewed.add(r.getLong(1));
                }
            }
            for (Long id : ids) {
                Slot s = held.get(id);
                if (!renewed.contains(id) && s != null) {
                    LOG.warn("sending budget {}: a connection slot's lease ran out before it could be renewed; the"
                            + " connection may briefly exceed the mailbox's limit", s.key);
                    held.remove(id);
                }
            }
            reachable();
        } catch (SQLException | RuntimeException e) {
            unreachable(e instanceof SQLException s ? s : new SQLException(e));
        }
    }

    private void release(Slot slot) {
        held.remove(slot.id);
        try (Connection c = connection();
                PreparedStatement p = c.prepareStatement("DELETE FROM budget_slot WHERE id = ? AND node = ?")) {
            p.setLong(1, slot.id);
            p.setString(2, settings.node());
            p.executeUpdate();
        } catch (SQLException | RuntimeException e) {
            // its lease runs out instead
            LOG.debug("sending budget: giving back a connection slot failed", e);
        }
    }

    private Connection connection() throws SQLException {
        Connection c = connections.take();
        if (!migrated) {
            try {
                migrate(c);
            } catch (SQLException | RuntimeException e) {
                c.close();
                throw e;
            }
        }
        return c;
    }

    private synchronized void migrate(Connection c) throws SQLException {
        if (!migrated) {
            PostgresSchema.migrate(c);
            migrated = true;
        }
    }

    private String unreachable(SQLException e) {
        String problem = PostgresProblems.describe(e, settings.target(), settings.user());
        if (!problem.equals(lastProblem)) {
            LOG.warn("sending budget: {}; mail is held until it can be counted again", problem);
            lastProblem = problem;
        }
        return problem;
    }

    private void reachable() {
        if (lastProblem != null) {
            LOG.info("sending budget: the database counts again");
            lastProblem = null;
        }
    }

    /** Stops renewing; the slots still held run out with their leases (their connections may still be open). */
    @Override
    public void close() {
        renewer.shutdownNow();
        connections.close();
    }

    /** A slot row of this node. */
    private final class Slot implements ConnectionSlot {
        private final BudgetKey key;
        private final long id;
        private volatile boolean closed;

        Slot(BudgetKey key, long id) {
            this.key = key;
            this.id = id;
        }

        @Override
        public BudgetKey key() {
            return key;
        }

        @Override
        public void close() {
            if (!closed) {
                closed = true;
                release(this);
            }
        }
    }
}
