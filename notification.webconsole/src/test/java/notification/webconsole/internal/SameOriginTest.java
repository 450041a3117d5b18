package notification.webconsole.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The Origin/Referer check that refuses cross-site POSTs. */
class SameOriginTest {
    private static final String SELF = "http://127.0.0.1:9191";

    @Test
    void acceptsOwnOriginAndOwnReferer() {
        assertTrue(SameOrigin.isSameOrigin(SELF, "http://127.0.0.1:9191", null));
        assertTrue(SameOrigin.isSameOrigin(SELF, null, "http://127.0.0.1:9191/system/console/notifications"));
        assertTrue(SameOrigin.isSameOrigin(SELF, "HTTP://127.0.0.1:9191", "http://evil.example/"));
    }

    @Test
    void refusesOtherOriginsEvenWithGoodReferer() {
        assertFalse(SameOrigin.isSameOrigin(SELF, "http://evil.example", SELF + "/system/console"));
        assertFalse(SameOrigin.isSameOrigin(SELF, "http://127.0.0.1:9192", null));
        assertFalse(SameOrigin.isSameOrigin(SELF, "https://127.0.0.1:9191", null));
        assertFalse(SameOrigin.isSameOrigin(SELF, "null", null));
        assertFalse(SameOrigin.isSameOrigin(SELF, null, "http://localhost:9191/system/console/notifications"));
        assertFalse(SameOrigin.isSameOrigin(SELF, null, "http://127.0.0.1:9191.evil.example/"));
    }

    @Test
    void requestsWithoutOriginOrRefererAreLeftToTheCsrfToken() {
        assertTrue(SameOrigin.isSameOrigin(SELF, null, null));
    }

    @Test
    void originOfDropsPathUserInfoAndDefaultPort() {
        assertEquals("http://localhost:9191", SameOrigin.originOf("http://localhost:9191/azure-oauth2-callback"));
        assertEquals("https://example.com", SameOrigin.originOf("https://user@Example.com:443/x"));
        assertEquals("http://example.com", SameOrigin.originOf("http://example.com:80"));
        assertEquals("", SameOrigin.originOf("not a url"));
        assertEquals("", SameOrigin.originOf("/relative/path"));
    }
}
