package notification.itest.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Launches the exported container jar as its own process and checks what an administrator sees first. */
class ContainerSmokeTest {

    @TempDir
    Path home;

    @Test
    void containerStartsWithEveryBundleActiveAndServesTheNotificationsPage() throws Exception {
        try (RunningContainer container = RunningContainer.start(home)) {
            Duration startup = container.awaitReady("/system/console/", Duration.ofSeconds(60));
            System.out.println("container answered on /system/console/ after " + startup.toMillis() + " ms");

            HttpResponse<String> bundles = container.get("/system/console/bundles.json");
            assertEquals(200, bundles.statusCode());
            Matcher status = Pattern.compile("\"status\":\"Bundle information: (\\d+) bundles in total - all (\\d+) bundles active")
                    .matcher(bundles.body());
            assertTrue(status.find(), "not every bundle is active: " + bundles.body().substring(0, 300));
            assertEquals(status.group(1), status.group(2));

            HttpResponse<String> page = container.get("/system/console/notifications");
            assertEquals(200, page.statusCode(), "notifications page; log:\n" + container.log());
            assertTrue(page.body().contains("Notifications"), "page title missing");

            HttpResponse<String> anonymous = java.net.http.HttpClient.newHttpClient().send(
                    java.net.http.HttpRequest.newBuilder(java.net.URI.create(container.baseUrl()
                            + "/system/console/notifications")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(401, anonymous.statusCode(), "the console must ask for credentials");
        }
    }
}
