package notification.api.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

class TransportNameTest {

    @Test
    void lettersDigitsDotUnderscoreAndDashAreAccepted() {
        assertEquals("Office-365_v2.a", TransportName.of(" Office-365_v2.a ").value());
        assertEquals("x".repeat(64), TransportName.of("x".repeat(64)).value());
    }

    @Test
    void pathsDotsSlashesAndOtherCharactersAreRefusedWithTheReason() {
        for (String bad : new String[] {".", "..", "../../conf", "a/b", "a\\b", "a b", "münchen", "", " ",
                "x".repeat(65), "a\u0000b", "a:b"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TransportName.of(bad),
                    bad);
            assertTrue(e.getMessage().startsWith("The transport name"), e.getMessage());
        }
        assertNotNull(TransportName.problem(".."));
        assertNull(TransportName.problem("relay"));
    }

    @Test
    void namesDifferingOnlyInCaseAreEqual() {
        assertEquals(TransportName.of("Office"), TransportName.of("office"));
        assertEquals(TransportName.of("Office").hashCode(), TransportName.of("OFFICE").hashCode());
        assertTrue(TransportName.of("Office").matches(" OFFICE"));
        assertEquals("Office", TransportName.of("Office").toString());
    }

    @Test
    void theNameKeyWinsOverTheFactoryConfigurationName() {
        assertEquals("m365", TransportName.fromConfiguration("m365", "notification.oauth.microsoft~x").value());
        assertEquals("office", TransportName.fromConfiguration("", "notification.relay~office").value());
        assertThrows(IllegalArgumentException.class,
                () -> TransportName.fromConfiguration(null, "notification.oauth.microsoft~.."));
        assertThrows(IllegalArgumentException.class, () -> TransportName.fromConfiguration(null, null));
    }

    @Test
    void aServiceIsNamedByItsPropertyThenNameThenPid() {
        assertEquals("a", TransportName.ofService(Map.of(MailTransport.NAME, "a", "name", "b")).value());
        assertEquals("b", TransportName.ofService(Map.of("name", "b", "service.pid", "p~c")).value());
        assertEquals("c", TransportName.ofService(Map.of("service.pid", "p~c")).value());
        assertThrows(IllegalArgumentException.class, () -> TransportName.ofService(Map.of("service.pid", "p")));
    }
}
