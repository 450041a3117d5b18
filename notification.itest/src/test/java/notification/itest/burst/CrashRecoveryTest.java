package notification.itest.burst;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import jakarta.mail.internet.MimeMessage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import notification.itest.app.RunningContainer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kills the container with SIGKILL in the middle of a burst of 10,000 notifications, restarts it, and checks that
 * every acknowledged notification reaches a real SMTP server, duplicates only with the same Message-ID.
 */
class CrashRecoveryTest {
    private static final int COUNT = 10_000;
    private static final String TO = "burst@example.com";

    @TempDir
    Path home;

    @Test
    void acknowledgedNotificationsSurviveSigkill() throws Exception {
        GreenMail smtp = new GreenMail(new ServerSetup(RunningContainer.freePort(), "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
        smtp.start();
        try {
            Path burst = Files.createDirectories(home.resolve("burst"));
            Files.writeString(burst.resolve("count"), Integer.toString(COUNT));
            Files.writeString(burst.resolve("to"), TO);
            RunningContainer.writeConfig(home, "notification.relay~crash.cfg", Map.of(
                    "host", "127.0.0.1",
                    "port", Integer.toString(smtp.getSmtp().getPort()),
                    "security", "none",
                    "from", "print-server@example.com",
                    "maxConnections", "4"));
            RunningContainer.writeConfig(home, "notification.core.cfg", Map.of(
                    "transports", "crash",
                    "retryMinimum", "1",
                    "retryMaximum", "5"));
            Path jar = home.resolve("burst.jar");
            BurstBundle.write(jar);

            Set<Integer> ackedBeforeKill;
            RunningContainer first = RunningContainer.start(home);
            try {
                first.awaitReady("/system/console/", Duration.ofSeconds(60));
                Files.move(jar, home.resolve("conf/burst.jar"), StandardCopyOption.ATOMIC_MOVE);
                awaitAcked(first, burst, COUNT / 3, Duration.ofMinutes(3));
            } finally {
                first.kill();
            }
            ackedBeforeKill = BurstDriver.readAcked(burst.resolve("acked.log"));
            int receivedBeforeKill = smtp.getReceivedMessages().length;
            System.out.printf("killed with %d acknowledged and %d received%n", ackedBeforeKill.size(), receivedBeforeKill);
            assertTrue(ackedBeforeKill.size() < COUNT || receivedBeforeKill < COUNT,
                    "the kill came too late to be in the middle of the burst");

            try (RunningContainer second = RunningContainer.start(home)) {
                second.awaitReady("/system/console/", Duration.ofSeconds(60));
                awaitAllReceived(smtp, second, burst, Duration.ofMinutes(5));
            }
            Map<Integer, Set<String>> messageIds = new HashMap<>();
            int total = 0;
            for (MimeMessage m : smtp.getReceivedMessages()) {
                int index = Integer.parseInt(m.getHeader("X-Burst-Index")[0]);
                messageIds.computeIfAbsent(index, k -> new HashSet<>()).add(m.getMessageID());
                total++;
            }
            assertEquals(COUNT, messageIds.size(), "distinct notifications received");
            int duplicates = total - COUNT;
            for (int i : ackedBeforeKill) {
                assertEquals(1, messageIds.get(i).size(), "notification " + i + " arrived with different Message-IDs");
            }
            System.out.printf("received %d messages for %d notifications (%d duplicates, all with the same Message-ID)%n",
                    total, COUNT, duplicates);
        } finally {
            smtp.stop();
        }
    }

    private static void awaitAcked(RunningContainer container, Path burst, int atLeast, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        Path log = burst.resolve("acked.log");
        while (System.nanoTime() < deadline) {
            if (Files.exists(log) && lines(log) >= atLeast) {
                return;
            }
            if (!container.process().isAlive()) {
                throw new AssertionError("container died; log:\n" + container.log());
            }
            Thread.sleep(20);
        }
        throw new AssertionError("fewer than " + atLeast + " acknowledged in " + timeout + "; log:\n" + container.log());
    }

    private static long lines(Path log) throws Exception {
        try (var s = Files.lines(log)) {
            return s.count();
        }
    }

    private static void awaitAllReceived(GreenMail smtp, RunningContainer container, Path burst, Duration timeout)
            throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            Set<String> indices = new HashSet<>();
            for (MimeMessage m : smtp.getReceivedMessages()) {
                indices.add(m.getHeader("X-Burst-Index")[0]);
            }
            if (indices.size() >= COUNT) {
                return;
            }
            Thread.sleep(500);
        }
        Set<String> missing = new java.util.TreeSet<>();
        Set<String> arrived = new HashSet<>();
        for (MimeMessage m : smtp.getReceivedMessages()) {
            arrived.add(m.getHeader("X-Burst-Index")[0]);
        }
        for (int i = 0; i < COUNT && missing.size() < 20; i++) {
            if (!arrived.contains(Integer.toString(i))) {
                missing.add(Integer.toString(i));
            }
        }
        Path errors = burst.resolve("errors.log");
        throw new AssertionError("not every notification arrived in " + timeout + "; received "
                + smtp.getReceivedMessages().length + " messages for " + arrived.size() + " notifications; acknowledged "
                + BurstDriver.readAcked(burst.resolve("acked.log")).size() + "; first missing " + missing
                + "; outbox " + container.get("/system/console/notifications.json").body()
                + "; submit errors: " + (Files.exists(errors) ? tail(Files.readString(errors)) : "none")
                + "; log:\n" + tail(container.log()));
    }

    private static String tail(String log) {
        return log.length() > 5000 ? log.substring(log.length() - 5000) : log;
    }
}
