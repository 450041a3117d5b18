package notification.core.internal;

import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import notification.api.DeliveryState;
import notification.api.Notification;
import notification.api.Person;
import notification.api.transport.DeliveryResult;
import notification.api.transport.MailTransport;
import notification.api.transport.OutgoingMessage;
import notification.api.transport.TransportHealth;
import notification.api.transport.TransportLimits;

/**
 * Benchmark (not a test): submits notifications from several threads with durability on and prints submit and
 * end-to-end rates through a transport that only streams the message. Run:
 * {@code java -cp <test classpath> notification.core.internal.OutboxBenchmark [count] [threads] [dir]}.
 */
public final class OutboxBenchmark {
    private OutboxBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int count = args.length > 0 ? Integer.parseInt(args[0]) : 20_000;
        int threads = args.length > 1 ? Integer.parseInt(args[1]) : 8;
        Path dir = args.length > 2 ? Path.of(args[2]) : Files.createTempDirectory("outbox-bench");
        AtomicInteger delivered = new AtomicInteger();
        MailTransport sink = new MailTransport() {
            @Override
            public Person sender() {
                return new Person("Bench", "bench@example.com");
            }

            @Override
            public DeliveryResult deliver(OutgoingMessage m) {
                try {
                    m.writeTo(OutputStream.nullOutputStream());
                } catch (Exception e) {
                    return DeliveryResult.transientFailure(e.toString());
                }
                delivered.incrementAndGet();
                return DeliveryResult.sent("250");
            }

            @Override
            public TransportHealth health() {
                return TransportHealth.ok("ok");
            }

            @Override
            public TransportLimits limits() {
                return new TransportLimits(4, 0, 0, 0);
            }
        };
        OutboxNotificationService service = new OutboxNotificationService(dir.resolve("outbox"),
                new CoreSettings(List.of("bench"), Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofDays(1),
                        "{name}", 998), Clock.systemUTC());
        service.bind("bench", sink);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        AtomicInteger next = new AtomicInteger();
        long start = System.nanoTime();
        List<Future<?>> futures = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            futures.add(pool.submit(() -> {
                for (int i = next.getAndIncrement(); i < count; i = next.getAndIncrement()) {
                    service.submit(Notification.builder().to("burst@example.com").subject("burst " + i)
                            .text("notification number " + i).reference("burst-" + i)
                            .header("X-Burst-Index", Integer.toString(i)).build());
                }
                return null;
            }));
        }
        for (Future<?> f : futures) {
            f.get();
        }
        long submitted = System.nanoTime();
        while (service.counts().get(DeliveryState.SENT) < count) {
            Thread.sleep(5);
        }
        long done = System.nanoTime();
        pool.shutdown();
        service.close();
        System.out.printf("%d notifications, %d submitting threads, fsync on: submit %.0f/s, end-to-end %.0f/s%n",
                count, threads, count / ((submitted - start) / 1e9), count / ((done - start) / 1e9));
    }
}
