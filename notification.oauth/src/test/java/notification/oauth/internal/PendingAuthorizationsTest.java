package notification.oauth.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import notification.api.authorization.AuthorizationException;
import org.junit.jupiter.api.Test;

/** States are single-use, bound to one browser and expire after 10 minutes; PKCE uses S256. */
class PendingAuthorizationsTest {

    final MutableClock clock = new MutableClock();
    final PendingAuthorizations pending = new PendingAuthorizations(clock);

    @Test
    void aStateIsAcceptedOnceFromTheSameBrowser() throws Exception {
        PendingAuthorizations.Pending p = pending.begin("browser-a");
        assertTrue(pending.recognizes(p.state()));
        assertEquals(p.verifier(), pending.take(p.state(), "browser-a").verifier());
        assertFalse(pending.recognizes(p.state()));
        AuthorizationException again = assertThrows(AuthorizationException.class,
                () -> pending.take(p.state(), "browser-a"));
        assertEquals(AuthorizationException.Reason.INVALID_STATE, again.reason());
    }

    @Test
    void anExpiredStateIsRefusedWithTheReason() {
        PendingAuthorizations.Pending p = pending.begin("browser-a");
        clock.advance(Duration.ofMinutes(10).plusSeconds(1));
        assertFalse(pending.recognizes(p.state()));
        AuthorizationException expired = assertThrows(AuthorizationException.class,
                () -> pending.take(p.state(), "browser-a"));
        assertTrue(expired.getMessage().contains("expired"), expired.getMessage());
    }

    @Test
    void anotherBrowserCannotCompleteIt() {
        PendingAuthorizations.Pending p = pending.begin("browser-a");
        AuthorizationException other = assertThrows(AuthorizationException.class,
                () -> pending.take(p.state(), "browser-b"));
        assertTrue(other.getMessage().contains("another browser"), other.getMessage());
        assertThrows(AuthorizationException.class, () -> pending.take("made-up", "browser-a"));
    }

    @Test
    void theChallengeIsTheS256OfTheVerifierAndValuesAreFresh() {
        PendingAuthorizations.Pending a = pending.begin("browser-a");
        PendingAuthorizations.Pending b = pending.begin("browser-a");
        assertEquals(PendingAuthorizations.sha256Base64Url(a.verifier()), a.challenge());
        assertTrue(a.verifier().length() >= 43 && a.verifier().length() <= 128);
        assertNotEquals(a.state(), b.state());
        assertNotEquals(a.nonce(), b.nonce());
    }
}
