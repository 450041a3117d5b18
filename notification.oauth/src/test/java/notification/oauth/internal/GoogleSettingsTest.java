package notification.oauth.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A Gmail configuration is read with Google's defaults, and every problem is named without showing the secret. */
class GoogleSettingsTest {

    @Test
    void defaultsPointAtGoogleWithSmtpOnPort587() {
        Map<String, Object> c = new HashMap<>();
        c.put("clientId", "1-abc.apps.googleusercontent.com");
        c.put("clientSecret", "GOCSPX-value");
        c.put("username", "scanner@example.com");

        GoogleSettings s = new GoogleSettings("gmail", GoogleCloudFixture.configuration(c));

        assertTrue(s.complete(), s.problems.toString());
        assertEquals(GoogleSettings.Protocol.SMTP, s.protocol);
        assertEquals("smtp.gmail.com", s.smtpHost);
        assertEquals(587, s.smtpPort);
        assertEquals("https://oauth2.googleapis.com/token", s.tokenUrl);
        assertEquals("https://gmail.googleapis.com", s.apiUrl);
        assertEquals("http://localhost:9191/google-oauth2-callback", s.redirectUri);
        assertEquals(GoogleSettings.GOOGLE_ISSUERS, s.issuers());
        assertFalse(s.toString().contains("GOCSPX-value"));
    }

    @Test
    void everyProblemIsNamed() {
        Map<String, Object> c = new HashMap<>();
        c.put("clientSecret", "$[secret:gmail-client-secret]");
        c.put("username", "scanner");
        c.put("protocol", "graph");
        c.put("tokenUrl", "http://oauth.example.test/token");

        GoogleSettings s = new GoogleSettings("gmail", GoogleCloudFixture.configuration(c));

        String all = String.join("; ", s.problems);
        assertTrue(all.contains("clientId is empty"), all);
        assertTrue(all.contains("clientSecret was not resolved: the placeholder $[secret:...]"), all);
        assertTrue(all.contains("username 'scanner' is not a mailbox address"), all);
        assertTrue(all.contains("protocol 'graph' is unknown: use smtp or api"), all);
        assertTrue(all.contains("tokenUrl 'http://oauth.example.test/token' must be an absolute https URL"), all);
        assertEquals(5, s.problems.size(), all);
    }
}
