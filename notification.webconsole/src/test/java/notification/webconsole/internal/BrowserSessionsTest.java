package notification.webconsole.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The browser cookie, the CSRF token derived from it, and the sign-in binding. */
class BrowserSessionsTest {
    private static final String COOKIE_A = "a".repeat(43);
    private static final String COOKIE_B = "b".repeat(43);

    @Test
    void tokenBelongsToOneBrowserAndOneServerStart() {
        BrowserSessions sessions = new BrowserSessions();
        String token = sessions.csrfToken(COOKIE_A);
        assertTrue(sessions.tokenMatches(COOKIE_A, token));
        assertFalse(sessions.tokenMatches(COOKIE_B, token), "another browser's cookie");
        assertFalse(sessions.tokenMatches(COOKIE_A, token.substring(1)), "a truncated token");
        assertFalse(sessions.tokenMatches(COOKIE_A, null), "no token");
        assertFalse(new BrowserSessions().tokenMatches(COOKIE_A, token), "a token from before a restart");
    }

    @Test
    void bindingIsStableAndDoesNotRevealTheCookie() {
        BrowserSessions sessions = new BrowserSessions();
        String binding = sessions.browserBinding(COOKIE_A);
        assertEquals(binding, new BrowserSessions().browserBinding(COOKIE_A));
        assertNotEquals(binding, sessions.browserBinding(COOKIE_B));
        assertFalse(binding.contains(COOKIE_A));
        assertEquals(64, binding.length());
    }

    @Test
    void flashesAreShownOnceAndExpire() {
        MutableClock clock = new MutableClock();
        BrowserSessions sessions = new BrowserSessions(clock);
        sessions.addFlash(COOKIE_A, Flash.ok("one"));
        sessions.addFlash(COOKIE_A, Flash.error("two"));
        assertEquals(List.of(), sessions.takeFlashes(COOKIE_B));
        assertEquals(List.of("one", "two"), sessions.takeFlashes(COOKIE_A).stream().map(Flash::text).toList());
        assertEquals(List.of(), sessions.takeFlashes(COOKIE_A));

        sessions.addFlash(COOKIE_A, Flash.ok("late"));
        clock.now = clock.now.plus(Duration.ofMinutes(11));
        assertEquals(List.of(), sessions.takeFlashes(COOKIE_A));
    }

    private static final class MutableClock extends Clock {
        Instant now = Instant.parse("2026-01-01T00:00:00Z");

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
