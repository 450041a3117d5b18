package notification.itest.burst;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import notification.api.Notification;
import notification.api.NotificationService;
import notification.api.Receipt;
import org.osgi.framework.BundleActivator;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;

/**
 * Test-only bundle activator, dropped into a running container by {@link BurstBundle}: submits a burst of
 * notifications numbered first..first+count-1 (burst/first, 0 when absent) and appends "index receiptId messageId" to
 * burst/acked.log for each acknowledged one. After a restart it submits only the indices not acknowledged before.
 */
public final class BurstDriver implements BundleActivator {
    private volatile ExecutorService workers;
    private volatile Thread starter;

    @Override
    public void start(BundleContext context) throws Exception {
        Path dir = Path.of(context.getProperty("burst.dir") != null ? context.getProperty("burst.dir") : "burst");
        int count = Integer.parseInt(Files.readString(dir.resolve("count")).trim());
        int first = Files.exists(dir.resolve("first")) ? Integer.parseInt(Files.readString(dir.resolve("first")).trim())
                : 0;
        String to = Files.readString(dir.resolve("to")).trim();
        Set<Integer> acked = readAcked(dir.resolve("acked.log"));
        starter = new Thread(() -> run(context, dir, first, first + count, to, acked), "burst-driver");
        starter.start();
    }

    private void run(BundleContext context, Path dir, int first, int end, String to, Set<Integer> acked) {
        try {
            ExecutorService pool = Executors.newFixedThreadPool(8);
            workers = pool;
            AtomicInteger next = new AtomicInteger(first);
            Path log = dir.resolve("acked.log");
            for (int w = 0; w < 8; w++) {
                pool.execute(() -> {
                    for (int i = next.getAndIncrement(); i < end; i = next.getAndIncrement()) {
                        if (acked.contains(i)) {
                            continue;
                        }
                        Receipt r = submitUntilAccepted(context, dir, to, i);
                        if (r == null) {
                            return;
                        }
                        append(log, i + " " + r.id() + " " + r.messageId() + "\n");
                    }
                });
            }
            pool.shutdown();
            pool.awaitTermination(1, TimeUnit.HOURS);
            Files.writeString(dir.resolve("submitted"), "done\n");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Submits notification {@code i}, retrying (as a print server would) while the service is being replaced. */
    private static Receipt submitUntilAccepted(BundleContext context, Path dir, String to, int i) {
        Notification n = Notification.builder()
                .to(to)
                .subject("burst " + i)
                .text("notification number " + i + " of the burst")
                .reference("burst-" + i)
                .header("X-Burst-Index", Integer.toString(i))
                .build();
        while (!Thread.currentThread().isInterrupted()) {
            try {
                return awaitService(context).submit(n);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (RuntimeException e) {
                append(dir.resolve("errors.log"), i + " " + e + "\n");
                try {
                    Thread.sleep(100);
                } catch (InterruptedException stop) {
                    Thread.currentThread().interrupt();
                }
            }
        }
        return null;
    }

    private static synchronized void append(Path log, String line) {
        try {
            Files.writeString(log, line, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static NotificationService awaitService(BundleContext context) throws InterruptedException {
        while (true) {
            ServiceReference<NotificationService> ref = context.getServiceReference(NotificationService.class);
            if (ref != null) {
                NotificationService service = context.getService(ref);
                if (service != null) {
                    return service;
                }
            }
            Thread.sleep(100);
        }
    }

    /** Reads the indices already acknowledged from an acked.log. */
    public static Set<Integer> readAcked(Path log) throws IOException {
        return new HashSet<>(readReceipts(log).keySet());
    }

    /** Reads the acknowledged indices with the Message-ID of their receipts from an acked.log. */
    public static Map<Integer, String> readReceipts(Path log) throws IOException {
        Map<Integer, String> receipts = new HashMap<>();
        if (Files.exists(log)) {
            for (String line : Files.readAllLines(log)) {
                String[] parts = line.split(" ");
                if (parts.length == 3) {
                    receipts.put(Integer.parseInt(parts[0]), parts[2]);
                }
            }
        }
        return receipts;
    }

    @Override
    public void stop(BundleContext context) throws Exception {
        ExecutorService pool = workers;
        if (pool != null) {
            pool.shutdownNow();
        }
        Thread t = starter;
        if (t != null) {
            t.interrupt();
        }
    }
}
