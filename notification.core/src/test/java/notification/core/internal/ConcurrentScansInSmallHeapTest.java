package notification.core.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import notification.api.Attachment;
import notification.api.DeliveryState;
import notification.api.Notification;
import notification.api.Person;
import notification.api.Receipt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The streaming renderer in a small heap: a JVM with {@code -Xmx96m} submits ten 30 MB scans at once (non-ASCII file
 * names, RFC 2231 parameters) and delivers them to the pickup directory; every .eml file carries its scan intact.
 */
class ConcurrentScansInSmallHeapTest {
    private static final int SCANS = 10;
    private static final int SCAN_BYTES = 30 << 20;

    @TempDir
    Path dir;

    @Test
    void tenConcurrent30MbScansGoThroughA96MbHeap() throws Exception {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process p = new ProcessBuilder(java.toString(), "-Xmx96m", "-XX:+ExitOnOutOfMemoryError", "-cp",
                System.getProperty("java.class.path"), ConcurrentScansInSmallHeapTest.class.getName(), dir.toString())
                .redirectErrorStream(true).start();
        String output;
        try (InputStream in = p.getInputStream()) {
            output = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        assertTrue(p.waitFor(10, TimeUnit.MINUTES), output);
        assertEquals(0, p.exitValue(), output);
        assertTrue(output.contains("delivered " + SCANS), output);
    }

    /**
     * Runs in the small-heap JVM: submits the scans from ten threads, waits until the pickup transport wrote them all,
     * and reads every attachment back.
     *
     * @param args the working directory
     * @throws Exception if anything fails; the JVM then exits non-zero
     */
    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        Path scan = dir.resolve("scan.bin");
        byte[] block = new byte[1 << 20];
        new Random(11).nextBytes(block);
        try (OutputStream out = Files.newOutputStream(scan)) {
            for (int i = 0; i < SCAN_BYTES / block.length; i++) {
                out.write(block);
            }
        }
        OutboxNotificationService service = new OutboxNotificationService(dir.resolve("outbox"), CoreSettings.DEFAULTS,
                Clock.systemUTC());
        ExecutorService producers = Executors.newFixedThreadPool(SCANS);
        try {
            List<Future<Receipt>> receipts = new ArrayList<>();
            for (int i = 0; i < SCANS; i++) {
                String name = "Scan " + i + " für Jürgen – " + "文".repeat(120) + ".pdf";
                receipts.add(producers.submit(() -> service.submit(Notification.builder().to("jane@exämple.org")
                        .subject("Scan " + name).text("Ihr Scan").attach(Attachment.ofFile(name, "application/pdf",
                                scan)).build())));
            }
            List<Receipt> done = new ArrayList<>();
            for (Future<Receipt> f : receipts) {
                done.add(f.get());
            }
            service.bind("pickup", new PickupDirectoryTransport(dir.resolve("pickup"),
                    new Person("Print Server", "print-server@localhost")));
            Poll.until("every scan delivered", Duration.ofMinutes(5), () -> done.stream()
                    .allMatch(r -> service.find(r.id()).get().state() == DeliveryState.SENT));
            for (Receipt r : done) {
                checkAttachment(dir.resolve("pickup").resolve(r.id() + ".eml"), block);
            }
            System.out.println("delivered " + done.size());
        } finally {
            producers.shutdownNow();
            service.close();
        }
    }

    /** Streams the .eml file through Jakarta Mail and compares the attachment with the scan, block by block. */
    private static void checkAttachment(Path eml, byte[] block) throws Exception {
        jakarta.mail.internet.MimeMessage m = new jakarta.mail.internet.MimeMessage(
                jakarta.mail.Session.getInstance(new java.util.Properties()),
                new jakarta.mail.util.SharedFileInputStream(eml.toFile()));
        jakarta.mail.Part part = ((jakarta.mail.Multipart) m.getContent()).getBodyPart(1);
        byte[] read = new byte[block.length];
        long total = 0;
        try (InputStream in = part.getInputStream()) {
            while (true) {
                int n = in.readNBytes(read, 0, read.length);
                if (n == 0) {
                    break;
                }
                if (n != block.length || !java.util.Arrays.equals(read, block)) {
                    throw new IOException(eml + ": the scan differs at byte " + total);
                }
                total += n;
            }
        }
        if (total != SCAN_BYTES) {
            throw new IOException(eml + ": " + total + " bytes instead of " + SCAN_BYTES);
        }
        Files.delete(eml);
    }
}
