package notification.bench;

import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import notification.api.Notification;
import notification.api.NotificationService;

/** Submits notifications from several threads and waits until the relay has sent them all. */
final class FullPathRun {

    /**
     * What a run measured: from the first submit to the last message sent, each submit's latency, and the CPU time
     * this JVM used meanwhile (producers included; smtp-sink not).
     */
    record Result(long elapsedNanos, long submitNanos, long[] enqueueLatencies, long cpuNanos) {
    }

    private FullPathRun() {
    }

    static Result run(NotificationService service, CountingTransport transport, int messages, int producers,
            String to, String body, String tag) throws Exception {
        return run(List.of(service), transport, messages, producers, to, body, tag);
    }

    /** Runs with producers spread over several nodes (producer i submits to node i modulo their number). */
    static Result run(List<NotificationService> nodes, CountingTransport transport, int messages, int producers,
            String to, String body, String tag) throws Exception {
        CountDownLatch sent = transport.expect(messages);
        long[] latencies = new long[messages];
        AtomicInteger next = new AtomicInteger();
        Thread[] threads = new Thread[producers];
        Throwable[] failure = new Throwable[1];
        long cpuStart = ProcessMemory.processCpuNanos();
        long start = System.nanoTime();
        for (int t = 0; t < producers; t++) {
            NotificationService service = nodes.get(t % nodes.size());
            threads[t] = new Thread(() -> {
                int i;
                try {
                    while ((i = next.getAndIncrement()) < messages) {
                        Notification n = Notification.builder().to(to)
                                .subject("Scan " + tag + i + " is ready").text(body).reference(tag + i).build();
                        long t0 = System.nanoTime();
                        service.submit(n);
                        latencies[i] = System.nanoTime() - t0;
                    }
                } catch (RuntimeException e) {
                    failure[0] = e;
                }
            }, "producer-" + t);
            threads[t].start();
        }
        for (Thread t : threads) {
            t.join();
        }
        if (failure[0] != null) {
            throw new IllegalStateException("submit failed", failure[0]);
        }
        long submitted = System.nanoTime() - start;
        while (!sent.await(5, TimeUnit.SECONDS)) {
            System.err.printf("  ... %d of %d still to send; %d failed attempts (last: %s)%n", sent.getCount(),
                    messages, transport.failures(), transport.lastFailure());
            if (transport.failures() > 0 && System.nanoTime() - start > TimeUnit.MINUTES.toNanos(2)) {
                throw new IllegalStateException("deliveries fail: " + transport.lastFailure());
            }
        }
        long elapsed = System.nanoTime() - start;
        return new Result(elapsed, submitted, latencies, ProcessMemory.processCpuNanos() - cpuStart);
    }
}
