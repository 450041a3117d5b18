package notification.bench;

import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.util.Properties;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/** Reference 2: the naive way, {@code Transport.send} per message (a new connection each time). */
final class NaiveJakartaMailReference {

    private NaiveJakartaMailReference() {
    }

    /**
     * Sends messages from {@code threads} threads and returns how long it took.
     *
     * @return elapsed nanoseconds
     */
    static long run(int port, int messages, int threads, String body) throws Exception {
        Properties props = new Properties();
        props.setProperty("mail.smtp.host", "127.0.0.1");
        props.setProperty("mail.smtp.port", Integer.toString(port));
        props.setProperty("mail.smtp.connectiontimeout", "10000");
        props.setProperty("mail.smtp.timeout", "30000");
        Session session = Session.getInstance(props);
        AtomicInteger next = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        long start = System.nanoTime();
        Future<?>[] workers = new Future<?>[threads];
        for (int t = 0; t < threads; t++) {
            workers[t] = pool.submit(() -> {
                int i;
                while ((i = next.getAndIncrement()) < messages) {
                    send(session, i, body);
                }
                return null;
            });
        }
        for (Future<?> w : workers) {
            w.get();
        }
        long elapsed = System.nanoTime() - start;
        pool.shutdown();
        pool.awaitTermination(10, TimeUnit.SECONDS);
        return elapsed;
    }

    private static void send(Session session, int i, String body) throws MessagingException {
        MimeMessage m = new MimeMessage(session);
        m.setFrom(new InternetAddress("scanner@example.com"));
        m.setRecipient(Message.RecipientType.TO, new InternetAddress("jane@example.com"));
        m.setSubject("Scan " + i);
        m.setText(body);
        Transport.send(m);
    }
}
