package notification.itest.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The administrator replaces the console's default credentials with a conf/ file and a secret. */
class ConsoleCredentialsTest {

    @TempDir
    Path home;

    @Test
    void credentialsFromConfReplaceTheDefaultOnes() throws Exception {
        Files.createDirectories(home.resolve("conf/secrets"));
        Files.writeString(home.resolve("conf/secrets/console-password"), "Corr3ct-Horse");
        RunningContainer.writeConfig(home, "org.apache.felix.webconsole.internal.servlet.OsgiManager.cfg", Map.of(
                "username", "printadmin",
                "password", "$[secret:console-password]"));
        try (RunningContainer container = RunningContainer.start(home)) {
            HttpClient http = HttpClient.newHttpClient();
            int status = -1;
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (status != 200 && System.nanoTime() < deadline) {
                try {
                    status = http.send(request(container, "printadmin", "Corr3ct-Horse"),
                            HttpResponse.BodyHandlers.discarding()).statusCode();
                } catch (java.io.IOException notYet) {
                    // not listening yet
                }
                Thread.sleep(300);
            }
            assertEquals(200, status, "the configured credentials; log:\n" + container.log());
            assertEquals(401, http.send(request(container, "admin", "admin"), HttpResponse.BodyHandlers.discarding())
                    .statusCode(), "the default credentials must no longer work");
            assertFalse(container.log().contains("Corr3ct-Horse"), "the password must not be logged");
        }
    }

    private static HttpRequest request(RunningContainer container, String user, String password) {
        return HttpRequest.newBuilder(URI.create(container.baseUrl() + "/system/console/bundles"))
                .header("Authorization", RunningContainer.basicAuth(user, password))
                .build();
    }
}
