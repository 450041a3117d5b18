package notification.itest.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import notification.itest.app.RunningContainer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Started from a shell with {@code umask 000}, the container still writes scanned messages, secrets and token folders
 * readable by its own account only.
 */
class FileModesUnderUmaskTest {

    @TempDir
    Path home;

    @Test
    void pickupOutboxSecretsConfigurationFilesAndTokenFoldersAreOwnerOnlyUnderUmask000() throws Exception {
        try (RunningContainer container = RunningContainer.startUnderUmask(home, "000")) {
            container.awaitReady(ConsoleSession.PAGE, Duration.ofSeconds(60));
            ConsoleSession admin = new ConsoleSession(container);

            String shown = admin.submitAndShow(ConsoleSession.PAGE + "/test", Map.of("to", "helpdesk@example.com"));
            assertTrue(shown.contains("Test message delivered to helpdesk@example.com"), shown);
            Path pickup = home.resolve("var/pickup");
            assertEquals("rwx------", mode(pickup));
            List<Path> messages = list(pickup, ".eml");
            assertEquals(1, messages.size());
            assertEquals("rw-------", mode(messages.get(0)), "a scanned message");
            try (Stream<Path> outbox = Files.walk(home.resolve("var/outbox"))) {
                for (Path p : outbox.toList()) {
                    assertEquals(Files.isDirectory(p) ? "rwx------" : "rw-------", mode(p), "outbox: " + p);
                }
            }

            admin.submitAndShow(ConsoleSession.PAGE + "/apply", ConsoleHttpTest.relayForm("127.0.0.1"));
            Path secrets = home.resolve("conf/secrets");
            List<Path> written = await(() -> Files.isDirectory(secrets) ? list(secrets, "") : List.of());
            assertEquals("rwx------", mode(secrets));
            for (Path secret : written) {
                assertEquals("rw-------", mode(secret), secret.toString());
            }
            List<Path> writtenBack = await(() -> list(home.resolve("conf"), ".cfg"));
            for (Path cfg : writtenBack) {
                assertEquals("rw-------", mode(cfg), "written back by Apply: " + cfg);
            }

            RunningContainer.writeConfig(home, "notification.oauth.microsoft~m365.cfg", Map.of("cloud", "global",
                    "tenantId", "contoso.onmicrosoft.com", "clientId", "11111111-2222-3333-4444-555555555555",
                    "username", "scanner@contoso.example"));
            Path tokens = home.resolve("var/tokens");
            await(() -> Files.isDirectory(tokens) ? List.of(tokens) : List.of());
            assertEquals("rwx------", mode(tokens));
        }
    }

    private interface Probe {
        List<Path> find() throws Exception;
    }

    private static List<Path> await(Probe probe) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        List<Path> found = probe.find();
        while (found.isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(200);
            found = probe.find();
        }
        assertFalse(found.isEmpty(), "nothing appeared within 30 s");
        return found;
    }

    private static List<Path> list(Path dir, String suffix) throws Exception {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().endsWith(suffix)
                    && !p.getFileName().toString().startsWith(".")).toList();
        }
    }

    private static String mode(Path p) throws Exception {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
    }
}
