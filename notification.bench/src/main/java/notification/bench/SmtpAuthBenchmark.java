package notification.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import notification.api.transport.DeliveryResult;
import notification.smtp.SmtpAuthentication;
import notification.smtp.SmtpClient;
import notification.smtp.SmtpResult;
import notification.smtp.SmtpSecurity;
import notification.smtp.SmtpServer;
import notification.smtp.SmtpTokenSource;
import notification.testkit.FakeExchangeSmtpServer;
import notification.testkit.IssuedTokens;
import notification.testkit.StoredTestMessage;
import notification.testkit.TestTls;

/**
 * AUTH XOAUTH2 against AUTH PLAIN, like for like: the same SMTP engine, the same STARTTLS server (the testkit's fake
 * Exchange, which accepts both), the same messages, in the same run, rounds alternating so that load from elsewhere
 * hits both alike. Measures messages per second over reused connections, and connection set-ups per second
 * (connect, EHLO, STARTTLS, AUTH, QUIT), where the authentication itself weighs most. A program, not a test:
 *
 * <pre>
 * mvn -q -pl notification.bench -am package -DskipTests &amp;&amp; java -Xmx256m -cp "$(cat notification.bench/target/classpath.txt):notification.bench/target/classes" notification.bench.SmtpAuthBenchmark
 * </pre>
 *
 * <p>Options: {@code --messages 5000 --connections 4 --checks 300 --rounds 5 --warmup 2000}.
 */
public final class SmtpAuthBenchmark {
    private static final String MAILBOX = "scanner@contoso.example";

    private SmtpAuthBenchmark() {
    }

    /**
     * Runs the benchmark.
     *
     * @param args options, see the class description
     * @throws Exception if a part cannot run
     */
    public static void main(String[] args) throws Exception {
        Map<String, String> o = new HashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            o.put(args[i].substring(2), args[i + 1]);
        }
        int messages = Integer.parseInt(o.getOrDefault("messages", "5000"));
        int connections = Integer.parseInt(o.getOrDefault("connections", "4"));
        int checks = Integer.parseInt(o.getOrDefault("checks", "300"));
        int rounds = Integer.parseInt(o.getOrDefault("rounds", "5"));
        int warmup = Integer.parseInt(o.getOrDefault("warmup", "2000"));
        System.out.printf("SMTP AUTH benchmark: one engine, one STARTTLS server (fake Exchange, loopback), %,d messages"
                + " over %d reused connections and %,d connection set-ups per round, %d rounds, %d CPUs, Java %s%n",
                messages, connections, checks, rounds, Runtime.getRuntime().availableProcessors(), Runtime.version());
        IssuedTokens issued = IssuedTokens.standalone();
        SmtpTokenSource tokens = force -> issued.issueFor(MAILBOX, "https://outlook.office.com/SMTP.Send",
                Duration.ofHours(1));
        double[] plainSends = new double[rounds];
        double[] xoauthSends = new double[rounds];
        double[] plainSetups = new double[rounds];
        double[] xoauthSetups = new double[rounds];
        try (FakeExchangeSmtpServer server = FakeExchangeSmtpServer.start(issued)) {
            server.acceptPassword(MAILBOX, "app-password-0123456789");
            SmtpServer.Builder base = SmtpServer.builder(server.host(), server.port(), SmtpSecurity.STARTTLS)
                    .trust(TestTls.clientContext().getSocketFactory()).maxConnections(connections);
            try (SmtpClient plain = new SmtpClient(base.authentication(
                            SmtpAuthentication.password(MAILBOX, "app-password-0123456789")).build());
                    SmtpClient xoauth2 = new SmtpClient(base.authentication(
                            SmtpAuthentication.xoauth2(MAILBOX, tokens)).build())) {
                sends(plain, warmup, connections);
                sends(xoauth2, warmup, connections);
                setups(plain, checks / 3);
                setups(xoauth2, checks / 3);
                for (int r = 0; r < rounds; r++) {
                    // alternate which goes first, so neither always runs right after the other's GC
                    boolean plainFirst = r % 2 == 0;
                    SmtpClient first = plainFirst ? plain : xoauth2;
                    SmtpClient second = plainFirst ? xoauth2 : plain;
                    double a = sends(first, messages, connections);
                    double b = sends(second, messages, connections);
                    plainSends[r] = plainFirst ? a : b;
                    xoauthSends[r] = plainFirst ? b : a;
                    double c = setups(first, checks);
                    double d = setups(second, checks);
                    plainSetups[r] = plainFirst ? c : d;
                    xoauthSetups[r] = plainFirst ? d : c;
                    System.out.printf("  round %d: sends PLAIN %,.0f, XOAUTH2 %,.0f msg/s; set-ups PLAIN %,.0f,"
                            + " XOAUTH2 %,.0f per s%n", r + 1, plainSends[r], xoauthSends[r], plainSetups[r],
                            xoauthSetups[r]);
                }
                System.out.printf("  connections opened: PLAIN %d, XOAUTH2 %d (set-ups excluded: they close at once)%n",
                        plain.connectionsOpened(), xoauth2.connectionsOpened());
            }
        }
        double ps = median(plainSends);
        double xs = median(xoauthSends);
        double pc = median(plainSetups);
        double xc = median(xoauthSetups);
        System.out.println("Medians:");
        System.out.printf("  sends over %d reused connections:   AUTH PLAIN %,8.0f msg/s, AUTH XOAUTH2 %,8.0f msg/s,"
                + " XOAUTH2/PLAIN %.2f (target >= 0.90)%n", connections, ps, xs, xs / ps);
        System.out.printf("  connection set-ups (TLS + AUTH):    AUTH PLAIN %,8.0f /s,    AUTH XOAUTH2 %,8.0f /s,"
                + "    XOAUTH2/PLAIN %.2f%n", pc, xc, xc / pc);
    }

    private static double sends(SmtpClient engine, int messages, int threads) throws InterruptedException {
        AtomicInteger next = new AtomicInteger();
        AtomicInteger failed = new AtomicInteger();
        List<Thread> workers = new ArrayList<>();
        long start = System.nanoTime();
        for (int t = 0; t < threads; t++) {
            Thread w = new Thread(() -> {
                int i;
                while ((i = next.getAndIncrement()) < messages) {
                    SmtpResult result = engine.send(StoredTestMessage.text(MAILBOX, "Scan " + i + " is ready",
                            "jane@example.com"));
                    if (result.delivery().status() != DeliveryResult.Status.SENT) {
                        failed.incrementAndGet();
                    }
                }
            });
            w.start();
            workers.add(w);
        }
        for (Thread w : workers) {
            w.join();
        }
        long elapsed = System.nanoTime() - start;
        if (failed.get() > 0) {
            throw new IllegalStateException(failed.get() + " sends failed");
        }
        return messages / (elapsed / 1e9);
    }

    private static double setups(SmtpClient engine, int count) {
        long start = System.nanoTime();
        for (int i = 0; i < count; i++) {
            SmtpResult result = engine.check();
            if (result.outcome() != SmtpResult.Outcome.CHECKED) {
                throw new IllegalStateException("connection check failed: " + result);
            }
        }
        return count / ((System.nanoTime() - start) / 1e9);
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }
}
