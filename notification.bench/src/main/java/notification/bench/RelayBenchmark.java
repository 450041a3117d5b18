package notification.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;
import notification.relay.internal.RelayConfiguration;
import notification.relay.internal.SmtpRelayTransport;

/**
 * Measures the whole sending path against Postfix's smtp-sink on loopback, next to two references on the same sink,
 * and prints messages per second, the ratios, enqueue latency and memory. A program, not a test. Run from the
 * repository root:
 *
 * <pre>
 * mvn -q -pl notification.bench -am package -DskipTests &amp;&amp; java -Xmx256m -cp "$(cat notification.bench/target/classpath.txt):notification.bench/target/classes" notification.bench.RelayBenchmark
 * </pre>
 *
 * <p>Each round runs smtp-source, naive Jakarta Mail, the relay transport alone and the full path one after the
 * other, so that load from elsewhere on the machine hits all of them alike; the summary takes the median round.
 * Naive Jakarta Mail runs twice: from one thread (what a simple application does, and the base of the 4x target)
 * and from as many threads as the relay has sessions. The Java parts are warmed up first (JIT) with
 * {@code --warmup} messages each. {@code --references false} runs only the full path (for profiling);
 * {@code --transport discard} runs the full path into a transport that reads each message and drops it (the core
 * alone), without references. Options: {@code --messages 20000 --sessions 4 --producers 16
 * --naive-threads <sessions> --body-bytes 100 --to "Jane Roe <jane@example.com>" --rounds 3 --warmup 10000
 * --references true --transport relay --data-dir notification.bench/target/bench-outbox
 * --sink /usr/sbin/smtp-sink --source /usr/sbin/smtp-source}.
 */
public final class RelayBenchmark {
    private static final double MB = 1024.0 * 1024.0;

    private RelayBenchmark() {
    }

    /**
     * Runs the benchmark.
     *
     * @param args options, see the class description
     * @throws Exception if a part cannot run
     */
    public static void main(String[] args) throws Exception {
        Map<String, String> o = options(args);
        int messages = Integer.parseInt(o.getOrDefault("messages", "20000"));
        int sessions = Integer.parseInt(o.getOrDefault("sessions", "4"));
        int producers = Integer.parseInt(o.getOrDefault("producers", "16"));
        int naiveThreads = Integer.parseInt(o.getOrDefault("naive-threads", Integer.toString(sessions)));
        int bodyBytes = Integer.parseInt(o.getOrDefault("body-bytes", "100"));
        int rounds = Integer.parseInt(o.getOrDefault("rounds", "3"));
        int warmup = Integer.parseInt(o.getOrDefault("warmup", "10000"));
        boolean discard = "discard".equals(o.getOrDefault("transport", "relay"));
        boolean references = !discard && Boolean.parseBoolean(o.getOrDefault("references", "true"));
        Path sinkProgram = Path.of(o.getOrDefault("sink", "/usr/sbin/smtp-sink"));
        Path sourceProgram = Path.of(o.getOrDefault("source", "/usr/sbin/smtp-source"));
        Path dataDir = Path.of(o.getOrDefault("data-dir", "notification.bench/target/bench-outbox"));
        String to = o.getOrDefault("to", "Jane Roe <jane@example.com>");
        String body = "x".repeat(Math.max(0, bodyBytes - 2)) + "\r\n";

        System.out.printf("Relay benchmark: %,d messages per run, %d-byte body, %d SMTP sessions, %d producer threads,"
                + " loopback smtp-sink, %d CPUs, Java %s, outbox in %s%n", messages, bodyBytes, sessions, producers,
                Runtime.getRuntime().availableProcessors(), Runtime.version(), dataDir.toAbsolutePath());
        deleteRecursively(dataDir);
        Files.createDirectories(dataDir);
        double[] source = new double[rounds];
        double[] naiveSingle = new double[rounds];
        double[] naive = new double[rounds];
        double[] relayAlone = new double[rounds];
        double[] full = new double[rounds];
        double[] submits = new double[rounds];
        double[] cpuMicros = new double[rounds];
        long[][] latencies = new long[rounds][];
        long peakHeap = 0;
        try (SmtpSinkProcess sink = SmtpSinkProcess.start(sinkProgram);
                SmtpRelayTransport relay = new SmtpRelayTransport("bench",
                        Annotations.of(RelayConfiguration.class, relayConfig(sink.port(), sessions)))) {
            int port = sink.port();
            CountingTransport counting = new CountingTransport(discard ? new DiscardingTransport(sessions) : relay);
            try (CoreOutsideFramework core = new CoreOutsideFramework(dataDir, "bench", counting)) {
                if (references) {
                    NaiveJakartaMailReference.run(port, warmup, naiveThreads, body);
                    RelayOnlyRun.run(relay, warmup, sessions, body);
                }
                FullPathRun.run(core.service(), counting, warmup, producers, to, body, "warmup-");
                for (int r = 0; r < rounds; r++) {
                    if (references) {
                        source[r] = rate(messages, SmtpSourceReference.run(sourceProgram, port, messages, sessions,
                                bodyBytes));
                        naiveSingle[r] = rate(messages, NaiveJakartaMailReference.run(port, messages, 1, body));
                        naive[r] = rate(messages, NaiveJakartaMailReference.run(port, messages, naiveThreads, body));
                        relayAlone[r] = rate(messages, RelayOnlyRun.run(relay, messages, sessions, body));
                    }
                    try (ProcessMemory memory = new ProcessMemory()) {
                        FullPathRun.Result result = FullPathRun.run(core.service(), counting, messages, producers,
                                to, body, "round" + r + "-");
                        full[r] = rate(messages, result.elapsedNanos());
                        submits[r] = rate(messages, result.submitNanos());
                        latencies[r] = result.enqueueLatencies();
                        cpuMicros[r] = result.cpuNanos() / 1e3 / messages;
                        peakHeap = Math.max(peakHeap, memory.peakHeapUsed());
                    }
                    System.out.printf("  round %d: smtp-source %,.0f, naive 1 thread %,.0f, naive %d threads %,.0f,"
                            + " relay alone %,.0f, full path %,.0f msg/s (%.0f us CPU per message)%n", r + 1,
                            source[r], naiveSingle[r], naiveThreads, naive[r], relayAlone[r], full[r], cpuMicros[r]);
                }
                System.out.printf("  outbox after the runs: %s%n", core.service().counts());
            }
            System.out.printf("  relay connections opened: %d; failed delivery attempts: %d%n",
                    relay.connectionsOpened(), counting.failures());
        }
        int m = medianIndex(full);
        System.out.println("Median round (by full path):");
        line(String.format("smtp-source -d -s %d -m %d -l %d (C, %d reused sessions)", sessions, messages, bodyBytes,
                sessions), source[m]);
        line("naive Jakarta Mail: Transport.send per message, 1 thread", naiveSingle[m]);
        line(String.format("naive Jakarta Mail: Transport.send per message, %d threads", naiveThreads), naive[m]);
        line(String.format("relay transport alone (no outbox), %d threads", sessions), relayAlone[m]);
        line(String.format("full path: %d producers -> submit -> outbox (fsync) -> relay, %d connections", producers,
                sessions), full[m]);
        System.out.printf("  full path CPU: %.0f us per message in this JVM (submit, outbox, relay; median round)%n",
                cpuMicros[m]);
        System.out.printf("  full path / smtp-source            %5.2f  (target >= 0.5)%n", full[m] / source[m]);
        System.out.printf("  full path / naive, 1 thread        %5.2f  (target >= 4: this ratio)%n",
                full[m] / naiveSingle[m]);
        System.out.printf("  full path / naive, %d threads       %5.2f  (same concurrency as the relay; for"
                + " information)%n", naiveThreads, full[m] / naive[m]);
        System.out.printf("  relay alone / smtp-source %5.2f, relay alone / naive %d threads %5.2f%n",
                relayAlone[m] / source[m], naiveThreads, relayAlone[m] / naive[m]);
        long[] all = Stream.of(latencies).flatMapToLong(Arrays::stream).sorted().toArray();
        System.out.printf("  enqueue: %,.0f submits/s (median round); latency under load (%d producers, all rounds):"
                + " p50 %.2f ms, p99 %.2f ms, max %.2f ms%n", submits[m], producers, all[all.length / 2] / 1e6,
                all[(int) (all.length * 0.99)] / 1e6, all[all.length - 1] / 1e6);
        System.out.printf("  memory: peak heap used %.0f MB during the full-path runs, %.0f MB after GC;"
                + " RSS %.0f MB, peak %.0f MB (one JVM, references included)%n", peakHeap / MB,
                ProcessMemory.heapAfterGc() / MB, ProcessMemory.status("VmRSS") / MB,
                ProcessMemory.status("VmHWM") / MB);
    }

    static Map<String, Object> relayConfig(int port, int sessions) {
        Map<String, Object> relay = new HashMap<>();
        relay.put("host", "127.0.0.1");
        relay.put("port", port);
        relay.put("security", "none");
        relay.put("from", "scanner@example.com");
        relay.put("fromName", "Scanner");
        relay.put("maxConnections", sessions);
        return relay;
    }

    static int medianIndex(double[] values) {
        Integer[] order = new Integer[values.length];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        Arrays.sort(order, Comparator.comparingDouble(i -> values[i]));
        return order[order.length / 2];
    }

    static double rate(int messages, long nanos) {
        return messages / (nanos / 1e9);
    }

    private static void line(String what, double rate) {
        System.out.printf("  %-84s %,8.0f msg/s%n", what, rate);
    }

    static Map<String, String> options(String[] args) {
        Map<String, String> o = new HashMap<>();
        for (int i = 0; i < args.length; i += 2) {
            if (!args[i].startsWith("--") || i + 1 >= args.length) {
                throw new IllegalArgumentException("expected --option value, got " + args[i]);
            }
            o.put(args[i].substring(2), args[i + 1]);
        }
        return o;
    }

    static void deleteRecursively(Path dir) throws IOException {
        if (Files.exists(dir)) {
            try (Stream<Path> paths = Files.walk(dir)) {
                for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            }
        }
    }
}
