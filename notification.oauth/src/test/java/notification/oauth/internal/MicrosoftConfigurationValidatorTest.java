package notification.oauth.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The Microsoft transport's own checks for the console, including what metatype cannot say. */
class MicrosoftConfigurationValidatorTest {
    private final MicrosoftConfigurationValidator validator = new MicrosoftConfigurationValidator();

    private static Map<String, Object> complete() {
        Map<String, Object> c = new HashMap<>(Map.of("tenantId", "contoso.onmicrosoft.com", "clientId", "id",
                "clientSecret", "$[secret:m365]", "username", "scanner@contoso.com",
                "redirectUri", "http://localhost:9191/azure-oauth2-callback"));
        return c;
    }

    @Test
    void aCompleteDelegatedConfigurationHasNoProblem() {
        assertEquals(Map.of(), validator.problems(complete()));
    }

    @Test
    void aTokenKeyThatIsNoKeyIsRefusedAndAReferenceIsLeftToTheTransport() {
        Map<String, Object> c = complete();
        c.put("tokenKey", "not a key!");
        String problem = validator.problems(c).get("tokenKey");
        assertTrue(problem.startsWith("is not base64: make one with openssl rand -base64 32"), problem);
        c.put("tokenKey", "$[secret:oauth-token-key]");
        assertEquals(Map.of(), validator.problems(c));
        c.put("tokenKey", SharedDatabase.newKey());
        assertEquals(Map.of(), validator.problems(c));
    }

    @Test
    void everyMissingFieldIsReportedAtOnce() {
        assertEquals(Set.of("tenantId", "clientId", "clientSecret", "username"),
                validator.problems(Map.of()).keySet());
    }

    @Test
    void anHttpRedirectUriThatIsNotLocalhostIsRefusedWithTheFix() {
        Map<String, Object> c = complete();
        c.put("redirectUri", "http://127.0.0.1:9191/azure-oauth2-callback");
        String problem = validator.problems(c).get("redirectUri");
        assertTrue(problem.contains("http://localhost:9191/azure-oauth2-callback"), problem);
        c.put("redirectUri", "https://printserver.example.com:9192/azure-oauth2-callback");
        assertEquals(Map.of(), validator.problems(c));
    }

    @Test
    void appOnlyNeedsNoRedirectUriAndACustomCloudNeedsItsEndpoints() {
        Map<String, Object> c = complete();
        c.remove("redirectUri");
        c.put("authMode", "app");
        assertEquals(Map.of(), validator.problems(c));
        c.put("cloud", "custom");
        assertEquals(Set.of("authorityUrl", "smtpHost", "smtpScope"), validator.problems(c).keySet());
        c.put("protocol", "graph");
        assertEquals(Set.of("authorityUrl", "graphUrl", "graphScope"), validator.problems(c).keySet());
    }
}
