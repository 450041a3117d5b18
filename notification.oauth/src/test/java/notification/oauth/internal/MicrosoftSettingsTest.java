package notification.oauth.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import notification.api.transport.TransportLimits;
import notification.api.transport.TransportName;
import org.junit.jupiter.api.Test;

/** Configuration checks, the cloud table, limits and naming. */
class MicrosoftSettingsTest {

    static Map<String, Object> global() {
        Map<String, Object> c = new HashMap<>();
        c.put("tenantId", "contoso.onmicrosoft.com");
        c.put("clientId", "11111111-2222-3333-4444-555555555555");
        c.put("clientSecret", "very-secret-value");
        c.put("username", "scanner@contoso.com");
        return c;
    }

    static MicrosoftSettings settings(Map<String, Object> c) {
        return new MicrosoftSettings("m365", TestConfigurations.of(c));
    }

    @Test
    void theGlobalCloudUsesExchangeOnlineAndExchangeOnlineLimits() {
        MicrosoftSettings s = settings(global());
        assertTrue(s.complete(), s.problems.toString());
        assertEquals("https://login.microsoftonline.com/contoso.onmicrosoft.com/", s.cloud.authority());
        assertEquals("smtp.office365.com", s.cloud.smtpHost());
        assertEquals(587, s.cloud.smtpPort());
        assertEquals(Set.of("https://outlook.office.com/SMTP.Send"), s.scopes());
        assertEquals(new TransportLimits(3, 30, 10_000, 35L * 1024 * 1024), s.limits);
        assertEquals("http://localhost:9191/azure-oauth2-callback", s.redirectUri);
        assertTrue(s.cloud.microsoftHost());
    }

    @Test
    void otherCloudsAndModesPickTheirScopes() {
        Map<String, Object> c = global();
        c.put("cloud", "usgov-gcchigh");
        c.put("protocol", "graph");
        MicrosoftSettings gcc = settings(c);
        assertEquals(Set.of("https://graph.microsoft.us/Mail.Send"), gcc.scopes());
        assertEquals(4, gcc.limits.maxConnections());
        c.put("authMode", "app");
        assertEquals(Set.of("https://graph.microsoft.us/.default"), settings(c).scopes());
        c.put("cloud", "china");
        c.put("protocol", "smtp");
        assertEquals(Set.of("https://partner.outlook.cn/.default"), settings(c).scopes());
        c.put("cloud", "usgov-dod");
        assertEquals("outlook-dod.office365.us", settings(c).cloud.smtpHost());
    }

    @Test
    void everyMissingOrWrongValueIsNamedAndTheSecretNeverShown() {
        Map<String, Object> c = new HashMap<>();
        c.put("clientSecret", "$[secret:m365-client]");
        c.put("cloud", "mars");
        c.put("protocol", "pigeon");
        c.put("username", "not-an-address");
        MicrosoftSettings s = settings(c);
        String all = String.join("\n", s.problems);
        for (String key : new String[] {"tenantId", "clientId", "cloud 'mars'", "protocol 'pigeon'",
                "username 'not-an-address'", "clientSecret was not resolved"}) {
            assertTrue(all.contains(key), key + " missing in " + all);
        }
        Map<String, Object> g = global();
        g.put("trustStore", "/nonexistent/ca.p12");
        MicrosoftSettings withTrust = settings(g);
        assertTrue(String.join("", withTrust.problems).contains("trustStore '/nonexistent/ca.p12' cannot be read"));
        assertFalse(withTrust.toString().contains("very-secret-value"));
        assertFalse(String.join("", withTrust.problems).contains("very-secret-value"));
    }

    @Test
    void theCustomCloudTakesAnAuthorityWithOrWithoutTenant() {
        Map<String, Object> c = global();
        c.put("cloud", "custom");
        c.put("authorityUrl", "https://login.example.net:8443");
        c.put("smtpHost", "smtp.example.net");
        c.put("smtpScope", "https://mail.example.net/SMTP.Send");
        MicrosoftSettings s = settings(c);
        assertTrue(s.complete(), s.problems.toString());
        assertEquals("https://login.example.net:8443/contoso.onmicrosoft.com/", s.cloud.authority());
        assertFalse(s.cloud.microsoftHost());
        c.put("authMode", "app");
        assertEquals(Set.of("https://mail.example.net/.default"), settings(c).scopes());
        c.remove("smtpHost");
        assertTrue(String.join("", settings(c).problems).contains("smtpHost"));
    }

    @Test
    void theNameComesFromTheNameKeyElseTheFactoryConfiguration() {
        assertEquals("office", TransportName.fromConfiguration("", "notification.oauth.microsoft~office").value());
        assertEquals("m365", TransportName.fromConfiguration("m365", "notification.oauth.microsoft~x").value());
    }
}
