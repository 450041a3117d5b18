package notification.webconsole.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import notification.api.TransportStatus;
import notification.api.transport.TransportHealth;
import org.junit.jupiter.api.Test;

/** Which server option the page shows for the configured transports. */
class NotificationsPageTest {

    @Test
    void theChosenOptionFollowsTheFirstTransport() {
        assertEquals(ServerOption.PICKUP, NotificationsPage.chosenOption(List.of(), Map.of()));
        assertEquals(ServerOption.PICKUP, NotificationsPage.chosenOption(List.of(status("pickup", "pickup")), Map.of()));
        assertEquals(ServerOption.RELAY, NotificationsPage.chosenOption(
                List.of(status("office", "relay"), status("pickup", "pickup")), Map.of()));
        assertEquals(ServerOption.OUTLOOK, NotificationsPage.chosenOption(
                List.of(status("microsoft", "microsoft")), Map.of("oauth.cloud", "global")));
        assertEquals(ServerOption.OUTLOOK_USGOV, NotificationsPage.chosenOption(
                List.of(status("microsoft", "microsoft")), Map.of("oauth.cloud", "usgov-dod")));
        assertEquals(ServerOption.GRAPH, NotificationsPage.chosenOption(
                List.of(status("microsoft", "microsoft")), Map.of("oauth.protocol", "graph")));
        assertEquals(ServerOption.OUTLOOK, NotificationsPage.chosenOption(List.of(status("microsoft", null)),
                Map.of()), "configured but its service not present yet");
    }

    private static TransportStatus status(String name, String type) {
        return new TransportStatus(name, type, 0, type != null, type != null,
                TransportHealth.ok("Ready"), null);
    }
}
