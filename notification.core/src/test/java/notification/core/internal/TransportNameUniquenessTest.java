package notification.core.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import notification.api.TransportStatus;
import notification.api.transport.MailTransport;
import notification.api.transport.TransportName;
import org.junit.jupiter.api.Test;

class TransportNameUniquenessTest {

    private final TransportRegistry registry = new TransportRegistry();
    private final MailTransport relay = new ScriptedTransport("printer@example.org", "Printer");
    private final MailTransport microsoft = new ScriptedTransport("printer@example.org", "Printer");

    @Test
    void aSecondConfigurationWithANameInUseIsRefusedNamingBothConfigurationsAndFiles() {
        assertNull(registry.bindUnique(claim("Office", "notification.relay~office", "/srv/conf/relay.cfg"), "relay", 0,
                1, relay));
        String refusal = registry.bindUnique(claim("office", "notification.oauth.microsoft~m", "/srv/conf/m.cfg"),
                "microsoft", 0, 2, microsoft);
        assertTrue(refusal.contains("notification.relay~office") && refusal.contains("/srv/conf/relay.cfg")
                && refusal.contains("notification.oauth.microsoft~m") && refusal.contains("/srv/conf/m.cfg"), refusal);
        List<TransportStatus> status = registry.status(List.of("office"), Instant.now());
        assertEquals("relay", status.get(0).type(), "the first keeps the name");
    }

    @Test
    void theRefusedTransportTakesTheNameWhenTheFirstLeaves() {
        registry.bindUnique(claim("office", "notification.relay~office", null), "relay", 0, 1, relay);
        registry.bindUnique(claim("OFFICE", "notification.oauth.microsoft~m", null), "microsoft", 0, 2, microsoft);
        registry.unbind(relay);
        assertEquals("microsoft", registry.status(List.of("office"), Instant.now()).get(0).type());
    }

    @Test
    void theSameConfigurationReRegisteredKeepsItsName() {
        registry.bindUnique(claim("office", "notification.relay~office", null), "relay", 0, 1, relay);
        assertNull(registry.bindUnique(claim("office", "notification.relay~office", null), "relay", 0, 2, microsoft));
    }

    @Test
    void theClaimComesFromTheServiceProperties() {
        NameClaim c = NameClaim.of(Map.of(MailTransport.NAME, "office", TransportName.CONFIGURATION,
                "notification.relay~x", TransportName.CONFIGURATION_FILE, "/c/x.cfg"));
        assertEquals(new NameClaim("office", "notification.relay~x", "/c/x.cfg"), c);
        assertEquals("notification.pickup", NameClaim.of(Map.of(MailTransport.NAME, "pickup", "component.name",
                "notification.pickup")).configuration());
    }

    private static NameClaim claim(String name, String pid, String file) {
        return new NameClaim(name, pid, file);
    }
}
