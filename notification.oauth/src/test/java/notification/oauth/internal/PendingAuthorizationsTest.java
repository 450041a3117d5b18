package notification.oauth.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import notification.api.authorization.AuthorizationException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** States are single-use, bound to one browser and one configuration, kept on disk, and expire after 10 minutes. */
class PendingAuthorizationsTest {

    static final String REDIRECT = "http://localhost:9191/azure-oauth2-callback";
    static final SignInTarget TARGET = new SignInTarget("client-1", "https://login.example/tenant-1/",
            "scanner@contoso.example");

    @TempDir
    Path dir;
    final MutableClock clock = new MutableClock();

    PendingAuthorizations open() {
        return new PendingAuthorizations(new PendingFile(dir, new TokenKey(dir)), clock);
    }

    @Test
    void aStateIsAcceptedOnceFromTheSameBrowser() throws Exception {
        PendingAuthorizations pending = open();
        PendingAuthorizations.Pending p = pending.begin("browser-a", REDIRECT, TARGET);
        assertTrue(pending.recognizes(p.state()));
        assertEquals(p.verifier(), pending.take(p.state(), "browser-a", TARGET).verifier());
        assertFalse(pending.recognizes(p.state()));
        AuthorizationException again = assertThrows(AuthorizationException.class,
                () -> pending.take(p.state(), "browser-a", TARGET));
        assertEquals(AuthorizationException.Reason.INVALID_STATE, again.reason());
        assertFalse(Files.exists(dir.resolve("pending")), "the last completed sign-in leaves no file behind");
    }

    @Test
    void aBegunSignInSurvivesANewInstanceAndIsKeptOwnerOnlyWithTheVerifierEncrypted() throws Exception {
        PendingAuthorizations.Pending p = open().begin("browser-a", REDIRECT, TARGET);
        Path file = dir.resolve("pending");
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        String stored = Files.readString(file, StandardCharsets.ISO_8859_1);
        assertFalse(stored.contains(p.verifier()), "PKCE verifier stored in plain text");
        assertFalse(stored.contains(p.state()), "state stored in plain text");

        PendingAuthorizations restarted = open();
        assertTrue(restarted.recognizes(p.state()));
        PendingAuthorizations.Pending taken = restarted.take(p.state(), "browser-a", TARGET);
        assertEquals(p.verifier(), taken.verifier());
        assertEquals(p.nonce(), taken.nonce());
        assertEquals(REDIRECT, taken.redirectUri());
        assertEquals(p.expiresAt(), taken.expiresAt());
        assertThrows(AuthorizationException.class, () -> open().take(p.state(), "browser-a", TARGET));
    }

    @Test
    void anExpiredStateIsRefusedWithTheReasonAndRemoved() throws Exception {
        PendingAuthorizations.Pending p = open().begin("browser-a", REDIRECT, TARGET);
        clock.advance(Duration.ofMinutes(10).plusSeconds(1));
        PendingAuthorizations pending = open();
        assertFalse(pending.recognizes(p.state()));
        AuthorizationException expired = assertThrows(AuthorizationException.class,
                () -> pending.take(p.state(), "browser-a", TARGET));
        assertTrue(expired.getMessage().contains("expired"), expired.getMessage());
        assertFalse(Files.exists(dir.resolve("pending")));
    }

    @Test
    void anotherBrowserCannotCompleteIt() throws Exception {
        PendingAuthorizations pending = open();
        PendingAuthorizations.Pending p = pending.begin("browser-a", REDIRECT, TARGET);
        AuthorizationException other = assertThrows(AuthorizationException.class,
                () -> pending.take(p.state(), "browser-b", TARGET));
        assertTrue(other.getMessage().contains("another browser"), other.getMessage());
        assertThrows(AuthorizationException.class, () -> pending.take("made-up", "browser-a", TARGET));
        assertTrue(pending.recognizes(p.state()), "another browser cannot burn the state");
        assertEquals(p.verifier(), pending.take(p.state(), "browser-a", TARGET).verifier(),
                "the browser that began it still completes it");
    }

    @Test
    void aSignInBegunForAnotherClientOrMailboxIsRefusedNamingTheChange() throws Exception {
        PendingAuthorizations pending = open();
        PendingAuthorizations.Pending p = pending.begin("browser-a", REDIRECT, TARGET);
        SignInTarget changed = new SignInTarget("client-2", TARGET.authority(), "printer@contoso.example");
        AuthorizationException refused = assertThrows(AuthorizationException.class,
                () -> pending.take(p.state(), "browser-a", changed));
        assertEquals(AuthorizationException.Reason.INVALID_STATE, refused.reason());
        assertTrue(refused.getMessage().contains("client ID client-1 (now client-2)"), refused.getMessage());
        assertTrue(refused.getMessage().contains("mailbox scanner@contoso.example (now printer@contoso.example)"),
                refused.getMessage());
        assertFalse(refused.getMessage().contains("tenant"), refused.getMessage());
        assertFalse(pending.recognizes(p.state()), "refused is used up too");
    }

    @Test
    void aVerifierWhoseKeyWasReplacedIsRefusedNotCrashing() throws Exception {
        PendingAuthorizations.Pending p = open().begin("browser-a", REDIRECT, TARGET);
        Files.delete(dir.resolve("token-cache.key"));
        AuthorizationException refused = assertThrows(AuthorizationException.class,
                () -> open().take(p.state(), "browser-a", TARGET));
        assertTrue(refused.getMessage().contains("cannot be read"), refused.getMessage());
    }

    @Test
    void theChallengeIsTheS256OfTheVerifierAndValuesAreFresh() throws Exception {
        PendingAuthorizations pending = open();
        PendingAuthorizations.Pending a = pending.begin("browser-a", REDIRECT, TARGET);
        PendingAuthorizations.Pending b = pending.begin("browser-a", REDIRECT, TARGET);
        assertEquals(PendingAuthorizations.sha256Base64Url(a.verifier()), a.challenge());
        assertTrue(a.verifier().length() >= 43 && a.verifier().length() <= 128);
        assertNotEquals(a.state(), b.state());
        assertNotEquals(a.nonce(), b.nonce());
        assertTrue(pending.recognizes(a.state()) && pending.recognizes(b.state()), "two sign-ins at once");
    }
}
