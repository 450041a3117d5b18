package notification.oauth.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The console's check of a Gmail configuration: every problem at once, beside its key, no secret repeated. */
class GoogleConfigurationValidatorTest {

    private final GoogleConfigurationValidator validator = new GoogleConfigurationValidator();

    private static Map<String, Object> valid() {
        Map<String, Object> p = new HashMap<>();
        p.put("clientId", "1234567890-abc.apps.googleusercontent.com");
        p.put("clientSecret", "GOCSPX-secret-value");
        p.put("username", "scanner@example.com");
        return p;
    }

    @Test
    void aCompleteConfigurationHasNoProblem() {
        assertEquals(Map.of(), validator.problems(valid()));
    }

    @Test
    void everyProblemIsNamedBesideItsKey() {
        Map<String, Object> p = new HashMap<>();
        p.put("clientId", "11111111-2222-3333-4444-555555555555");
        p.put("username", "scanner");
        p.put("protocol", "graph");
        p.put("redirectUri", "http://printserver.example.com:9191/google-oauth2-callback");
        p.put("tokenUrl", "http://oauth.example.test/token");

        Map<String, String> problems = validator.problems(p);

        assertEquals("must be a Google OAuth client ID, ending in .apps.googleusercontent.com", problems.get("clientId"));
        assertTrue(problems.get("clientSecret").startsWith("is required"), problems.toString());
        assertEquals("must be a mailbox address such as scanner@example.com", problems.get("username"));
        assertEquals("must be smtp or api", problems.get("protocol"));
        assertTrue(problems.get("redirectUri").contains("Google accepts http only for localhost"), problems.toString());
        assertEquals("must be an https address", problems.get("tokenUrl"));
        assertEquals(6, problems.size());
    }
}
