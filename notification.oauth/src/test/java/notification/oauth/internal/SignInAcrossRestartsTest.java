package notification.oauth.internal;

import static notification.oauth.internal.MicrosoftCloudFixture.BROWSER;
import static notification.oauth.internal.MicrosoftCloudFixture.MAILBOX;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Map;
import notification.api.authorization.AuthorizationException;
import notification.api.authorization.AuthorizationException.Reason;
import notification.api.authorization.AuthorizationRecord;
import notification.api.authorization.AuthorizationStart;
import notification.api.transport.DeliveryResult;
import notification.api.transport.DeliveryResult.Status;
import notification.api.transport.TransportHealth.State;
import org.junit.jupiter.api.Test;

/**
 * A sign-in begun on one transport instance completes on the next one (the component re-activated by a configuration
 * change, or the server restarted), once, within 10 minutes, and only for the client, tenant and mailbox it began for.
 */
class SignInAcrossRestartsTest extends FakeMicrosoftCloudTest {

    final MutableClock clock = new MutableClock();

    /** A sign-in begun with Authorize and completed at the identity platform, the callback not yet delivered. */
    record BegunSignIn(AuthorizationStart start, Map<String, String> callback) {
    }

    private BegunSignIn signInBegunByAnInstanceThatThenStopped() throws Exception {
        MicrosoftMailTransport first = cloud.transport(cloud.configuration("smtp"), clock);
        AuthorizationStart start = first.authorization().begin(BROWSER);
        Map<String, String> callback = cloud.identity.signIn(start.authorizationUrl(), MAILBOX);
        first.close();
        return new BegunSignIn(start, callback);
    }

    @Test
    void begunOnOneInstanceCompletedOnTheNextOnceOnly() throws Exception {
        BegunSignIn begun = signInBegunByAnInstanceThatThenStopped();
        AuthorizationStart start = begun.start();
        Map<String, String> callback = begun.callback();
        Path pending = dataDir.resolve("tokens/m365/pending");
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(pending)));

        // The console saved the form again meanwhile (a new redirect URI): the code is redeemed with the one the
        // authorize request named, as the identity platform demands.
        Map<String, Object> saved = cloud.configuration("smtp");
        saved.put("redirectUri", "https://print.contoso.example/azure-oauth2-callback");
        MicrosoftMailTransport second = cloud.transport(saved, clock);
        assertTrue(second.authorization().recognizes(start.state()));
        AuthorizationRecord record = second.authorization().complete(callback, BROWSER);
        assertEquals(MAILBOX, record.account());
        assertEquals(State.OK, second.health().state(), second.health().message());
        DeliveryResult sent = second.deliver(scan("after re-activation"));
        assertEquals(Status.SENT, sent.status(), sent.reply());
        assertFalse(Files.exists(pending), "single-use: nothing left once completed");

        AuthorizationException replay = assertThrows(AuthorizationException.class,
                () -> second.authorization().complete(callback, BROWSER));
        assertEquals(Reason.INVALID_STATE, replay.reason());
        second.close();
        MicrosoftMailTransport third = cloud.transport(saved, clock);
        assertFalse(third.authorization().recognizes(start.state()));
        assertEquals(Reason.INVALID_STATE, assertThrows(AuthorizationException.class,
                () -> third.authorization().complete(callback, BROWSER)).reason());
        third.close();
        assertEquals(1, cloud.identity.tokenRequests("authorization_code"));
    }

    @Test
    void anExpiredSignInIsRefusedAfterARestart() throws Exception {
        BegunSignIn begun = signInBegunByAnInstanceThatThenStopped();
        AuthorizationStart start = begun.start();
        Map<String, String> callback = begun.callback();
        clock.advance(Duration.ofMinutes(10).plusSeconds(1));
        MicrosoftMailTransport second = cloud.transport(cloud.configuration("smtp"), clock);
        assertFalse(second.authorization().recognizes(start.state()));
        AuthorizationException expired = assertThrows(AuthorizationException.class,
                () -> second.authorization().complete(callback, BROWSER));
        assertEquals(Reason.INVALID_STATE, expired.reason());
        assertTrue(expired.getMessage().contains("expired"), expired.getMessage());
        assertTrue(second.authorization().lastAuthorization().isEmpty());
        assertEquals(0, cloud.identity.tokenRequests("authorization_code"), "the code was never redeemed");
        second.close();
    }

    @Test
    void aSignInBegunForAnotherMailboxOrClientIsRefusedWithTheChange() throws Exception {
        BegunSignIn begun = signInBegunByAnInstanceThatThenStopped();
        AuthorizationStart start = begun.start();
        Map<String, String> callback = begun.callback();
        Map<String, Object> changed = cloud.configuration("smtp");
        changed.put("username", "printer@contoso.example");
        changed.put("clientId", "99999999-8888-7777-6666-555555555555");
        MicrosoftMailTransport second = cloud.transport(changed, clock);
        assertTrue(second.authorization().recognizes(start.state()), "recognized, so the admin reads why it fails");
        AuthorizationException refused = assertThrows(AuthorizationException.class,
                () -> second.authorization().complete(callback, BROWSER));
        assertEquals(Reason.INVALID_STATE, refused.reason());
        assertTrue(refused.getMessage().contains("mailbox " + MAILBOX + " (now printer@contoso.example)"),
                refused.getMessage());
        assertTrue(refused.getMessage().contains("client ID " + cloud.identity.clientId()
                + " (now 99999999-8888-7777-6666-555555555555)"), refused.getMessage());
        assertTrue(refused.getMessage().contains("Start again with Authorize"), refused.getMessage());
        MicrosoftCloudFixture.assertNoSecret(refused.getMessage());
        assertTrue(second.authorization().lastAuthorization().isEmpty());
        assertEquals(0, cloud.identity.tokenRequests("authorization_code"));
        second.close();
    }
}
