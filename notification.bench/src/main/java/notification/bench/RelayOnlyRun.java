package notification.bench;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import notification.api.transport.DeliveryResult;
import notification.api.transport.MailTransport;
import notification.api.transport.OutgoingMessage;
import notification.testkit.StoredTestMessage;

/** The relay transport alone, without the outbox: {@code deliver} from as many threads as it has connections. */
final class RelayOnlyRun {

    private RelayOnlyRun() {
    }

    /**
     * Delivers messages and returns how long it took.
     *
     * @return elapsed nanoseconds
     */
    static long run(MailTransport relay, int messages, int threads, String body) throws InterruptedException {
        AtomicInteger next = new AtomicInteger();
        AtomicInteger failed = new AtomicInteger();
        Thread[] workers = new Thread[threads];
        long start = System.nanoTime();
        for (int t = 0; t < threads; t++) {
            workers[t] = new Thread(() -> {
                int i;
                while ((i = next.getAndIncrement()) < messages) {
                    if (relay.deliver(rendered(i, body)).status() != DeliveryResult.Status.SENT) {
                        failed.incrementAndGet();
                    }
                }
            });
            workers[t].start();
        }
        for (Thread w : workers) {
            w.join();
        }
        long elapsed = System.nanoTime() - start;
        if (failed.get() > 0) {
            throw new IllegalStateException(failed.get() + " deliveries failed");
        }
        return elapsed;
    }

    /** A message rendered the way the outbox hands it over. */
    private static OutgoingMessage rendered(int i, String body) {
        String text = "From: Scanner <scanner@example.com>\r\nTo: Jane Roe <jane@example.com>\r\n"
                + "Subject: Scan " + i + " is ready\r\nMessage-ID: <" + i + ".bench@example.com>\r\n"
                + "MIME-Version: 1.0\r\nContent-Type: text/plain; charset=UTF-8\r\n\r\n" + body;
        return new StoredTestMessage("n" + i, "<" + i + ".bench@example.com>", "scanner@example.com",
                List.of("jane@example.com"), 1, text.getBytes(StandardCharsets.UTF_8));
    }
}
