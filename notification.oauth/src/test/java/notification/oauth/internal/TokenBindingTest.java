package notification.oauth.internal;

import static notification.oauth.internal.MicrosoftCloudFixture.MAILBOX;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.util.Map;
import notification.api.authorization.AuthorizationException;
import notification.api.transport.DeliveryResult;
import notification.api.transport.TransportHealth.State;
import org.junit.jupiter.api.Test;

/** Tokens count only for the cloud, authority, tenant, client and mailbox they were issued for. */
class TokenBindingTest extends FakeMicrosoftCloudTest {

    @Test
    void changingTheMailboxNeedsAuthorizationAgainAndTheOldTokensAreNotUsed() throws Exception {
        MicrosoftMailTransport first = cloud.transport("smtp");
        cloud.authorize(first, MAILBOX);
        first.close();
        Map<String, Object> changed = cloud.configuration("smtp");
        changed.put("username", "intern@contoso.example");
        MicrosoftMailTransport second = cloud.transport(changed, Clock.systemUTC());
        assertEquals(State.AUTHORIZATION_REQUIRED, second.health().state());
        assertTrue(second.health().message().contains("username " + MAILBOX + " (now intern@contoso.example)"),
                second.health().message());
        assertTrue(second.authorization().lastAuthorization().isEmpty(), "not shown as authorized as the old one");
        assertEquals(DeliveryResult.Status.UNAVAILABLE, second.deliver(scan("after the change")).status());
        second.close();
        MicrosoftMailTransport back = cloud.transport("smtp");
        assertEquals(State.OK, back.health().state(), "changed back: the stored tokens were kept, not discarded");
        back.close();
    }

    @Test
    void changingTheClientOrTheAuthorityNeedsAuthorizationAgain() throws Exception {
        MicrosoftMailTransport first = cloud.transport("smtp");
        cloud.authorize(first, MAILBOX);
        first.close();
        for (String[] change : new String[][] {{"clientId", "99999999-2222-3333-4444-555555555555", "client"},
                {"authorityUrl", cloud.identity.authorityUrl().replace("contoso-tenant", "fabrikam"), "authority"}}) {
            Map<String, Object> changed = cloud.configuration("smtp");
            changed.put(change[0], change[1]);
            MicrosoftMailTransport second = cloud.transport(changed, Clock.systemUTC());
            assertEquals(State.AUTHORIZATION_REQUIRED, second.health().state(), change[0]);
            assertTrue(second.health().message().contains(change[2] + " "), second.health().message());
            second.close();
        }
    }

    @Test
    void tokensStoredBeforeBindingsAreBoundToTheConfigurationInEffectAtTheFirstStart() throws Exception {
        MicrosoftMailTransport first = cloud.transport("smtp");
        cloud.authorize(first, MAILBOX);
        first.close();
        Path binding = dataDir.resolve("tokens/m365/binding.properties");
        Files.delete(binding); // as an installation authorized before this version left it
        MicrosoftMailTransport upgraded = cloud.transport("smtp");
        assertEquals(State.OK, upgraded.health().state(), upgraded.health().message());
        assertEquals(DeliveryResult.Status.SENT, upgraded.deliver(scan("after the upgrade")).status());
        upgraded.close();
        assertTrue(Files.readString(binding).contains(MAILBOX));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(binding)));
        Map<String, Object> changed = cloud.configuration("smtp");
        changed.put("username", "intern@contoso.example");
        MicrosoftMailTransport later = cloud.transport(changed, Clock.systemUTC());
        assertEquals(State.AUTHORIZATION_REQUIRED, later.health().state());
        later.close();
    }

    @Test
    void aSignInToAnotherTenantIsRefusedAndNothingIsStored() throws Exception {
        Map<String, Object> c = cloud.configuration("smtp");
        c.put("tenantId", "fabrikam-tenant");
        MicrosoftMailTransport transport = cloud.transport(c, Clock.systemUTC());
        AuthorizationException refused = assertThrows(AuthorizationException.class,
                () -> cloud.authorize(transport, MAILBOX));
        assertTrue(refused.getMessage().contains("tenant contoso-tenant"), refused.getMessage());
        assertFalse(Files.exists(dataDir.resolve("tokens/m365/token-cache.bin")));
        transport.close();
    }

    @Test
    void theSignedInTenantAndObjectIdAreKept() throws Exception {
        MicrosoftMailTransport transport = cloud.transport("smtp");
        cloud.authorize(transport, MAILBOX);
        String stored = Files.readString(dataDir.resolve("tokens/m365/authorization.properties"));
        assertTrue(stored.contains("tenantId=contoso-tenant"), stored);
        assertTrue(stored.matches("(?s).*objectId=\\S+.*"), stored);
        transport.close();
        assertTrue(MicrosoftAuthorization.sameTenant("contoso.onmicrosoft.com", "any-id"));
        assertFalse(MicrosoftAuthorization.sameTenant("aaaa-bbbb", "cccc-dddd"));
    }
}
