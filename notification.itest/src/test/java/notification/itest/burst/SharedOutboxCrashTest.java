package notification.itest.burst;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import jakarta.mail.internet.MimeMessage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import notification.itest.app.RunningContainer;
import notification.testkit.postgresql.PostgresServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Several containers (separate JVMs, each with its own folder and var/) share one outbox in a real PostgreSQL: every
 * node submits its part of one burst at the same time, one node is killed with SIGKILL in the middle, and the others
 * send what it had accepted once its leases run out. Every acknowledged notification arrives, exactly once or, if it
 * was being sent at the kill, again with the same Message-ID. Two nodes and 2,000 notifications in all by default;
 * the {@code cluster-burst} Maven profile runs three nodes with 10,000 each (README, Tests).
 */
class SharedOutboxCrashTest {
    private static final int NODES = Integer.getInteger("notification.itest.cluster.nodes", 2);
    private static final int COUNT = Integer.getInteger("notification.itest.cluster.count", 2_000);
    private static final String TO = "cluster@example.com";
    private static final int LEASE_SECONDS = 5;
    /** How long the burst may take to be submitted, and to arrive: a minute per 1,000 notifications, ten at least. */
    private static final Duration BURST_TIME = Duration.ofMinutes(Math.max(10, COUNT / 1_000));
    private static final Pattern NODE = Pattern.compile("\\{\"name\":\"([^\"]*)\",\"thisNode\":(true|false),"
            + "\"active\":(true|false),[^}]*\"leases\":(\\d+),\"expiredLeases\":(\\d+)");

    @TempDir
    Path root;

    /** A node as the store's status JSON lists it. */
    private record Node(String name, boolean active, int leases, int expiredLeases) {
    }

    @Test
    void survivorsSendWhatAKilledNodeAcceptedAndEveryAcknowledgedNotificationArrivesOnce() throws Exception {
        GreenMail smtp = new GreenMail(new ServerSetup(RunningContainer.freePort(), "127.0.0.1",
                ServerSetup.PROTOCOL_SMTP));
        smtp.start();
        List<RunningContainer> nodes = new ArrayList<>();
        try (PostgresServer db = PostgresServer.start()) {
            Path jar = root.resolve("burst.jar");
            BurstBundle.write(jar);
            int share = COUNT / NODES;
            for (int i = 0; i < NODES; i++) {
                Path home = root.resolve("node-" + i);
                configure(home, db, smtp.getSmtp().getPort(), i * share, i == NODES - 1 ? COUNT - i * share : share);
                nodes.add(RunningContainer.start(home));
            }
            List<String> names = new ArrayList<>();
            for (RunningContainer node : nodes) {
                node.awaitReady("/system/console/", Duration.ofSeconds(90));
                names.add(awaitSharedStore(node));
            }
            recordEveryStoredEntry(db);
            assertEquals(NODES, Set.copyOf(names).size(), "every node has its own name (host name and port)");
            for (RunningContainer node : nodes) {
                Files.copy(jar, node.home().resolve("burst.jar"));
                Files.move(node.home().resolve("burst.jar"), node.home().resolve("conf/burst.jar"),
                        StandardCopyOption.ATOMIC_MOVE);
            }

            int victimIndex = 1;
            RunningContainer victim = nodes.get(victimIndex);
            String victimName = names.get(victimIndex);
            Path victimAcked = victim.home().resolve("burst/acked.log");
            awaitAckedAndSending(victim, victimAcked, share / 3, db, victimName);
            victim.kill();
            Set<String> inFlight = leasedBy(db, victimName);
            int receivedAtKill = smtp.getReceivedMessages().length;
            int victimAckedAtKill = BurstDriver.readAcked(victimAcked).size();
            System.out.printf("%d nodes, %d notifications: killed %s with %d of its %d acknowledged and %d being sent%n",
                    NODES, COUNT, victimName, victimAckedAtKill, share, inFlight.size());
            // on a fast machine a node submits its part before it has sent much: mid-burst is then mid-delivery
            assertTrue(victimAckedAtKill < share || receivedAtKill < COUNT,
                    "the kill came too late to be in the middle of the burst");

            RunningContainer survivor = nodes.get(0);
            Node seen = awaitNode(survivor, victimName, n -> !n.active(), Duration.ofSeconds(60));
            assertFalse(seen.active(), "the survivor's page shows the killed node as no longer active");

            Map<Integer, String> receipts = new HashMap<>();
            for (int i = 0; i < NODES; i++) {
                if (i != victimIndex) {
                    awaitFile(nodes.get(i), nodes.get(i).home().resolve("burst/submitted"), BURST_TIME);
                }
                receipts.putAll(BurstDriver.readReceipts(nodes.get(i).home().resolve("burst/acked.log")));
            }
            Map<Integer, String> submitted = submittedReferences(db);
            awaitAllReceived(smtp, submitted.keySet(), survivor, BURST_TIME);
            awaitNode(survivor, victimName, n -> n.leases() == 0 && n.expiredLeases() == 0, Duration.ofSeconds(60));

            Map<Integer, List<String>> received = new HashMap<>();
            for (MimeMessage m : smtp.getReceivedMessages()) {
                int index = Integer.parseInt(m.getHeader("X-Burst-Index")[0]);
                received.computeIfAbsent(index, k -> new ArrayList<>()).add(m.getMessageID());
            }
            int duplicates = 0;
            for (Map.Entry<Integer, String> r : receipts.entrySet()) {
                List<String> copies = received.get(r.getKey());
                assertTrue(copies != null, "acknowledged notification " + r.getKey() + " never arrived");
                assertEquals(Set.of(r.getValue()), Set.copyOf(copies), "notification " + r.getKey()
                        + " arrived with another Message-ID than its receipt's");
            }
            for (Map.Entry<Integer, List<String>> r : received.entrySet()) {
                assertEquals(1, Set.copyOf(r.getValue()).size(), "notification " + r.getKey()
                        + " arrived with different Message-IDs");
                if (r.getValue().size() > 1) {
                    duplicates += r.getValue().size() - 1;
                    assertTrue(inFlight.contains(submitted.get(r.getKey())), "notification " + r.getKey()
                            + " arrived " + r.getValue().size() + " times but was not being sent by the killed node");
                }
            }
            assertEquals(submitted.keySet(), received.keySet(), "every stored notification arrived, no other");
            assertEquals(0, notSent(db), "every entry in the shared outbox is SENT, the killed node's included");
            System.out.printf("%d stored (%d acknowledged), %d messages received: %d sent again after the kill with"
                    + " the same Message-ID (%d were being sent)%n", submitted.size(), receipts.size(),
                    smtp.getReceivedMessages().length, duplicates, inFlight.size());
        } finally {
            for (RunningContainer node : nodes) {
                node.close();
            }
            smtp.stop();
        }
    }

    private static void configure(Path home, PostgresServer db, int smtpPort, int first, int count) throws Exception {
        Path burst = Files.createDirectories(home.resolve("burst"));
        Files.writeString(burst.resolve("first"), Integer.toString(first));
        Files.writeString(burst.resolve("count"), Integer.toString(count));
        Files.writeString(burst.resolve("to"), TO);
        Path secrets = Files.createDirectories(home.resolve("conf/secrets"));
        Files.writeString(secrets.resolve("outbox-db-password"), db.password());
        RunningContainer.writeConfig(home, "notification.relay~shared.cfg", Map.of(
                "host", "127.0.0.1",
                "port", Integer.toString(smtpPort),
                "security", "none",
                "from", "print-server@example.com",
                "maxConnections", "4"));
        RunningContainer.writeConfig(home, "notification.core.cfg", Map.of(
                "transports", "shared",
                "retryMinimum", "1",
                "retryMaximum", "5",
                "store", "postgresql",
                "jdbcUrl", db.jdbcUrl(),
                "jdbcUser", PostgresServer.USER,
                "jdbcPassword", "$[secret:outbox-db-password]",
                "leaseSeconds", Integer.toString(LEASE_SECONDS)));
    }

    /** Waits until the node's status JSON says its outbox is the shared one; returns the node's name. */
    private static String awaitSharedStore(RunningContainer node) throws Exception {
        Pattern name = Pattern.compile("\"store\":\\{\"kind\":\"postgresql\".*\"node\":\"([^\"]+)\"");
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        String body = "";
        while (System.nanoTime() < deadline) {
            body = node.get("/system/console/notifications.json").body();
            Matcher m = name.matcher(body);
            if (m.find()) {
                return m.group(1);
            }
            Thread.sleep(200);
        }
        throw new AssertionError("the node never took the shared outbox: " + body + "; log:\n" + tail(node.log()));
    }

    private static List<Node> nodesOf(RunningContainer node) throws Exception {
        List<Node> nodes = new ArrayList<>();
        Matcher m = NODE.matcher(node.get("/system/console/notifications.json").body());
        while (m.find()) {
            nodes.add(new Node(m.group(1), Boolean.parseBoolean(m.group(3)), Integer.parseInt(m.group(4)),
                    Integer.parseInt(m.group(5))));
        }
        return nodes;
    }

    private static Node awaitNode(RunningContainer observer, String name, java.util.function.Predicate<Node> condition,
            Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        List<Node> last = List.of();
        while (System.nanoTime() < deadline) {
            last = nodesOf(observer);
            for (Node n : last) {
                if (n.name().equals(name) && condition.test(n)) {
                    return n;
                }
            }
            Thread.sleep(250);
        }
        throw new AssertionError("node " + name + " never reached the expected state in " + timeout + "; nodes: "
                + last);
    }

    /** Waits until the node acknowledged {@code atLeast} notifications and is sending some of them right now. */
    private static void awaitAckedAndSending(RunningContainer node, Path acked, int atLeast, PostgresServer db,
            String name) throws Exception {
        long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
        while (System.nanoTime() < deadline) {
            if (Files.exists(acked) && lines(acked) >= atLeast && !leasedBy(db, name).isEmpty()) {
                return;
            }
            if (!node.process().isAlive()) {
                throw new AssertionError("container died; log:\n" + tail(node.log()));
            }
            Thread.sleep(10);
        }
        throw new AssertionError("the node never had " + atLeast + " acknowledged while sending; log:\n"
                + tail(node.log()));
    }

    private static void awaitFile(RunningContainer node, Path file, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!Files.exists(file)) {
            if (System.nanoTime() > deadline || !node.process().isAlive()) {
                throw new AssertionError(file + " not written in " + timeout + "; log:\n" + tail(node.log()));
            }
            Thread.sleep(100);
        }
    }

    private static void awaitAllReceived(GreenMail smtp, Set<Integer> expected, RunningContainer observer,
            Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        Set<Integer> arrived = new HashSet<>();
        while (System.nanoTime() < deadline) {
            arrived.clear();
            for (MimeMessage m : smtp.getReceivedMessages()) {
                arrived.add(Integer.parseInt(m.getHeader("X-Burst-Index")[0]));
            }
            if (arrived.containsAll(expected)) {
                return;
            }
            Thread.sleep(500);
        }
        Set<Integer> missing = new TreeSet<>(expected);
        missing.removeAll(arrived);
        throw new AssertionError(missing.size() + " stored notifications never arrived, first "
                + missing.stream().limit(20).toList() + "; status " + observer.get("/system/console/notifications.json")
                .body() + "; log:\n" + tail(observer.log()));
    }

    private static Connection connect(PostgresServer db) throws SQLException {
        return DriverManager.getConnection(db.jdbcUrl(), PostgresServer.USER, db.password());
    }

    /** The ids of the entries a node holds under lease (SENDING), expired or not. */
    private static Set<String> leasedBy(PostgresServer db, String node) throws SQLException {
        try (Connection c = connect(db); PreparedStatement p = c.prepareStatement(
                "SELECT id FROM outbox_entry WHERE state = 'SENDING' AND lease_node = ?")) {
            p.setString(1, node);
            Set<String> ids = new HashSet<>();
            try (ResultSet r = p.executeQuery()) {
                while (r.next()) {
                    ids.add(r.getString(1));
                }
            }
            return ids;
        } catch (SQLException e) {
            if ("42P01".equals(e.getSQLState())) {
                return Set.of(); // no node has created the schema yet
            }
            throw e;
        }
    }

    /** Every entry stored in the shared outbox: burst index to entry id. */
    /**
     * Keeps the reference and id of every entry the nodes store, in a table of the test's own: an outbox forgets its
     * oldest sent entries beyond a number (the journal's rule), which a burst of more than that passes.
     */
    private static void recordEveryStoredEntry(PostgresServer db) throws Exception {
        try (Connection c = connect(db); java.sql.Statement s = c.createStatement()) {
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (!tableExists(s, "outbox_entry")) { // the first node's migrations create it
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("the nodes never created the outbox's table");
                }
                Thread.sleep(200);
            }
            s.execute("CREATE TABLE burst_stored (reference text PRIMARY KEY, id text NOT NULL)");
            s.execute("CREATE FUNCTION burst_record() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN"
                    + " INSERT INTO burst_stored VALUES (NEW.reference, NEW.id) ON CONFLICT DO NOTHING;"
                    + " RETURN NEW; END $$");
            s.execute("CREATE TRIGGER burst_record AFTER INSERT ON outbox_entry FOR EACH ROW"
                    + " EXECUTE FUNCTION burst_record()");
        }
    }

    private static boolean tableExists(java.sql.Statement s, String table) throws SQLException {
        try (ResultSet r = s.executeQuery("SELECT to_regclass('" + table + "') IS NOT NULL")) {
            return r.next() && r.getBoolean(1);
        }
    }

    private static Map<Integer, String> submittedReferences(PostgresServer db) throws SQLException {
        Map<Integer, String> entries = new HashMap<>();
        try (Connection c = connect(db); PreparedStatement p = c.prepareStatement(
                "SELECT reference, id FROM burst_stored"); ResultSet r = p.executeQuery()) {
            while (r.next()) {
                entries.put(Integer.parseInt(r.getString(1).substring("burst-".length())), r.getString(2));
            }
        }
        return entries;
    }

    private static long notSent(PostgresServer db) throws SQLException {
        try (Connection c = connect(db); PreparedStatement p = c.prepareStatement(
                "SELECT count(*) FROM outbox_entry WHERE state <> 'SENT'"); ResultSet r = p.executeQuery()) {
            r.next();
            return r.getLong(1);
        }
    }

    private static long lines(Path file) throws Exception {
        try (var s = Files.lines(file)) {
            return s.count();
        }
    }

    private static String tail(String log) {
        return log.length() > 5000 ? log.substring(log.length() - 5000) : log;
    }
}
