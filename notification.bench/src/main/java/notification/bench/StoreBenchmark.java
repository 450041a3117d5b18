package notification.bench;

import com.zaxxer.hikari.HikariDataSource;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import notification.api.NotificationService;
import notification.relay.internal.RelayConfiguration;
import notification.relay.internal.SmtpRelayTransport;
import notification.testkit.postgresql.PostgresServer;

/**
 * Measures the full path (submit, durable outbox, relay to Postfix's smtp-sink on loopback) with the outbox on the
 * local journal, on PostgreSQL with one node, and on PostgreSQL with two nodes sharing the database (two cores in this
 * JVM, each with its own relay connections, producers spread over both), and prints messages per second. A program,
 * not a test. The database is a throwaway server of Debian's {@code postgresql} package (the testkit's
 * {@code PostgresServer}) in a temporary folder. Run from the repository root:
 *
 * <pre>
 * mvn -q -pl notification.bench -am package -DskipTests &amp;&amp; java -Xmx512m -cp "$(cat notification.bench/target/classpath.txt):notification.bench/target/classes" notification.bench.StoreBenchmark
 * </pre>
 *
 * <p>Each round runs the three set-ups one after the other, so that load from elsewhere hits them alike; the summary
 * takes each set-up's median round. Options: {@code --messages 5000 --sessions 4 --producers 16 --rounds 5
 * --warmup 10000 --body-bytes 100 --sink /usr/sbin/smtp-sink --setups 0,1,2 --postfix true} (the set-ups
 * to run: 0 journal, 1 PostgreSQL with one node, 2 with two; all by default). Run as root, it also measures a local Postfix relay
 * on the same sink in each round ({@link PostfixRelayReference}); otherwise it says why it could not.
 */
public final class StoreBenchmark {
    private static final String TO = "Jane Roe <jane@example.com>";

    private StoreBenchmark() {
    }

    /**
     * Runs the benchmark.
     *
     * @param args options, see the class description
     * @throws Exception if a part cannot run
     */
    public static void main(String[] args) throws Exception {
        Map<String, String> o = RelayBenchmark.options(args);
        int messages = Integer.parseInt(o.getOrDefault("messages", "5000"));
        int sessions = Integer.parseInt(o.getOrDefault("sessions", "4"));
        int producers = Integer.parseInt(o.getOrDefault("producers", "16"));
        int rounds = Integer.parseInt(o.getOrDefault("rounds", "5"));
        int warmup = Integer.parseInt(o.getOrDefault("warmup", "10000"));
        int bodyBytes = Integer.parseInt(o.getOrDefault("body-bytes", "100"));
        Path sinkProgram = Path.of(o.getOrDefault("sink", "/usr/sbin/smtp-sink"));
        Path dataDir = Path.of(o.getOrDefault("data-dir", "notification.bench/target/store-bench"));
        List<String> only = List.of(o.getOrDefault("setups", "").split(",")).stream().filter(x -> !x.isBlank())
                .toList();
        String body = "x".repeat(Math.max(0, bodyBytes - 2)) + "\r\n";

        System.out.printf("Store benchmark: %,d messages per run, %d-byte body, %d SMTP sessions per node, %d producer"
                + " threads, loopback smtp-sink, %d CPUs, Java %s%n", messages, bodyBytes, sessions, producers,
                Runtime.getRuntime().availableProcessors(), Runtime.version());
        RelayBenchmark.deleteRecursively(dataDir);
        Files.createDirectories(dataDir);
        String[] names = {"journal, 1 node", "PostgreSQL, 1 node", "PostgreSQL, 2 nodes"};
        double[][] rates = new double[names.length][rounds];
        double[][] submits = new double[names.length][rounds];
        double[][] jvmMicros = new double[names.length][rounds];
        double[][] dbMicros = new double[names.length][rounds];
        double[] postfixRates = new double[rounds];
        List<AutoCloseable> opened = new ArrayList<>();
        PostfixRelayReference postfix = null;
        String noPostfix = null;
        try (SmtpSinkProcess sink = SmtpSinkProcess.start(sinkProgram); PostgresServer db = PostgresServer.start()) {
            db.createDatabase("solo");
            try {
                SmtpRelayTransport relayA = relay(sink.port(), sessions, opened);
                SmtpRelayTransport relayB = relay(sink.port(), sessions, opened);
                CountingTransport counting = new CountingTransport(relayA);

                CoreOutsideFramework journal = new CoreOutsideFramework(dataDir.resolve("journal"), "bench", counting);
                opened.add(journal);
                // one database for the single node, another for the pair: a node looks for work in its whole outbox
                CoreOutsideFramework pgOnly = node(db, "solo", dataDir, "bench-solo", counting, opened);
                CoreOutsideFramework pgA = node(db, "notifications", dataDir, "bench-a", counting, opened);
                CoreOutsideFramework pgB = node(db, "notifications", dataDir, "bench-b", counting.alsoThrough(relayB),
                        opened);
                List<List<NotificationService>> setups = List.of(List.of(journal.service()), List.of(pgOnly.service()),
                        List.of(pgA.service(), pgB.service()));

                for (int s = 0; s < setups.size(); s++) {
                    if (!only.isEmpty() && !only.contains(String.valueOf(s))) {
                        continue;
                    }
                    List<NotificationService> nodes = setups.get(s);
                    FullPathRun.run(nodes, counting, warmup, producers, TO, body, "warmup-");
                }
                noPostfix = Boolean.parseBoolean(o.getOrDefault("postfix", "true")) ? PostfixRelayReference.cannotRun()
                        : "--postfix false";
                if (noPostfix == null) {
                    try {
                        postfix = PostfixRelayReference.start(sink.port(), sessions);
                        opened.add(postfix);
                        postfix.run(warmup, producers, bodyBytes);
                    } catch (IOException e) {
                        noPostfix = "it did not run: " + e.getMessage();
                        postfix = null;
                    }
                }
                for (int r = 0; r < rounds; r++) {
                    for (int s = 0; s < setups.size(); s++) {
                        if (!only.isEmpty() && !only.contains(String.valueOf(s))) {
                            continue;
                        }
                        long dbBefore = ServerCpu.postgresNanos(db.port());
                        FullPathRun.Result result = FullPathRun.run(setups.get(s), counting, messages, producers, TO,
                                body, "round" + r + "-");
                        rates[s][r] = RelayBenchmark.rate(messages, result.elapsedNanos());
                        submits[s][r] = RelayBenchmark.rate(messages, result.submitNanos());
                        jvmMicros[s][r] = result.cpuNanos() / 1000.0 / messages;
                        dbMicros[s][r] = (ServerCpu.postgresNanos(db.port()) - dbBefore) / 1000.0 / messages;
                    }
                    System.out.printf("  round %d: journal %,.0f, PostgreSQL 1 node %,.0f, PostgreSQL 2 nodes %,.0f"
                            + " msg/s (submits alone: %,.0f, %,.0f, %,.0f per s)%n", r + 1, rates[0][r], rates[1][r],
                            rates[2][r], submits[0][r], submits[1][r], submits[2][r]);
                    if (postfix != null) {
                        postfixRates[r] = RelayBenchmark.rate(messages, postfix.run(messages, producers, bodyBytes));
                        System.out.printf("    local Postfix relay (smtpd -> queue -> smtp -> the same sink): %,.0f msg/s%n",
                                postfixRates[r]);
                    }
                    System.out.printf("    CPU per message: journal %.0f us; PostgreSQL 1 node %.0f us + server %.0f us;"
                            + " 2 nodes %.0f us + server %.0f us (load average %.1f)%n", jvmMicros[0][r],
                            jvmMicros[1][r], dbMicros[1][r], jvmMicros[2][r], dbMicros[2][r], loadAverage());
                }
                System.out.printf("  shared outbox after the runs: %s; failed delivery attempts: %d%n",
                        pgA.service().counts(), counting.failures());
            } finally {
                for (int i = opened.size() - 1; i >= 0; i--) {
                    opened.get(i).close();
                }
            }
        }
        System.out.println("Median round of each:");
        for (int s = 0; s < names.length; s++) {
            double median = rates[s][RelayBenchmark.medianIndex(rates[s])];
            System.out.printf("  full path, outbox on %-22s %,8.0f msg/s%n", names[s] + ":", median);
        }
        if (postfix != null) {
            double reference = postfixRates[RelayBenchmark.medianIndex(postfixRates)];
            System.out.printf("  local Postfix relay, %d producers, %d sessions: %,8.0f msg/s%n", producers, sessions,
                    reference);
            double pg = rates[1][RelayBenchmark.medianIndex(rates[1])];
            System.out.printf("  PostgreSQL 1 node / Postfix relay: %.2f (target >= 5)%n", pg / reference);
        } else {
            System.out.println("  Postfix not measured: " + noPostfix);
        }
    }

    /** The system's load average over the last minute, or -1 where it is not known. */
    static double loadAverage() {
        return java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    }

    private static SmtpRelayTransport relay(int port, int sessions, List<AutoCloseable> opened) {
        SmtpRelayTransport relay = new SmtpRelayTransport("bench",
                Annotations.of(RelayConfiguration.class, RelayBenchmark.relayConfig(port, sessions)));
        opened.add(relay);
        return relay;
    }

    /** A core whose outbox is the shared one in the database, with the product pool's settings. */
    private static CoreOutsideFramework node(PostgresServer db, String database, Path dataDir, String name,
            CountingTransport transport, List<AutoCloseable> opened) throws Exception {
        HikariDataSource pool = new HikariDataSource();
        pool.setJdbcUrl(db.jdbcUrl(database));
        pool.setUsername(PostgresServer.USER);
        pool.setPassword(db.password());
        pool.setMaximumPoolSize(8);
        pool.setConnectionInitSql("SET synchronous_commit TO on");
        pool.addDataSourceProperty("socketTimeout", "30");
        opened.add(pool);
        CoreOutsideFramework core = new CoreOutsideFramework(dataDir.resolve(name), "bench", transport,
                Map.of("node", name));
        opened.add(core);
        core.useDatabase(pool, db.jdbcUrl(database), PostgresServer.USER);
        return core;
    }
}
