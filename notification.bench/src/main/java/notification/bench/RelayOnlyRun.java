package notification.bench;

import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import notification.api.transport.DeliveryResult;
import notification.api.transport.MailTransport;
import notification.api.transport.OutgoingMessage;

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
                    if (relay.deliver(Rendered.of(i, body)).status() != DeliveryResult.Status.SENT) {
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
    private record Rendered(String notificationId, byte[] bytes) implements OutgoingMessage {
        static Rendered of(int i, String body) {
            String text = "From: Scanner <scanner@example.com>\r\nTo: Jane Roe <jane@example.com>\r\n"
                    + "Subject: Scan " + i + " is ready\r\nMessage-ID: <" + i + ".bench@example.com>\r\n"
                    + "MIME-Version: 1.0\r\nContent-Type: text/plain; charset=UTF-8\r\n\r\n" + body;
            return new Rendered("n" + i, text.getBytes(StandardCharsets.UTF_8));
        }

        @Override
        public String messageId() {
            return "<" + notificationId + ".bench@example.com>";
        }

        @Override
        public String envelopeFrom() {
            return "scanner@example.com";
        }

        @Override
        public List<String> recipients() {
            return List.of("jane@example.com");
        }

        @Override
        public int attempt() {
            return 1;
        }

        @Override
        public long size() {
            return bytes.length;
        }

        @Override
        public void writeTo(OutputStream out) throws IOException {
            out.write(bytes);
        }

        @Override
        public MimeMessage toMimeMessage(Session session) throws MessagingException {
            return new MimeMessage(session, new ByteArrayInputStream(bytes)) {
                @Override
                protected void updateMessageID() {
                    // keep the rendered Message-ID
                }
            };
        }
    }
}
