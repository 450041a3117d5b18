package notification.oauth.internal;

import static notification.oauth.internal.GoogleCloudFixture.BROWSER;
import static notification.oauth.internal.GoogleCloudFixture.MAILBOX;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import notification.api.authorization.AuthorizationException;
import notification.api.authorization.AuthorizationException.Reason;
import notification.api.authorization.AuthorizationRecord;
import notification.api.authorization.AuthorizationStart;
import notification.api.transport.DeliveryResult.Status;
import notification.api.transport.TransportHealth.State;
import notification.testkit.FakeGoogle;
import org.junit.jupiter.api.Test;

/**
 * The administrator's sign-in against the fake Google over HTTPS: what the authorize request asks for, the checks on
 * the id token (the mailbox's own, verified address), and what is kept on disk.
 */
class GoogleSignInTest extends FakeGoogleTest {

    @Test
    void authorizeRequestAsksForOfflineAccessWithConsentPkceAndTheMailbox() throws Exception {
        GoogleMailTransport transport = cloud.transport("smtp");
        AuthorizationStart start = transport.authorization().begin(BROWSER);
        cloud.google.signIn(start.authorizationUrl(), MAILBOX);

        FakeGoogle.AuthorizeRequest request = cloud.google.authorizeRequests().get(0);
        assertEquals(GoogleCloudFixture.CLIENT_ID, request.clientId());
        assertEquals("http://localhost:9191/google-oauth2-callback", request.redirectUri());
        assertEquals("https://mail.google.com/ openid email", request.scope());
        assertEquals("S256", request.codeChallengeMethod());
        assertEquals(43, request.codeChallenge().length());
        assertEquals("offline", request.accessType());
        assertEquals("consent", request.prompt());
        assertEquals(MAILBOX, request.loginHint());
        assertEquals(start.state(), request.state());
        assertFalse(request.nonce().isEmpty());
    }

    @Test
    void signInAsTheMailboxStoresEncryptedTokensAndMakesTheTransportReady() throws Exception {
        GoogleMailTransport transport = cloud.transport("smtp");
        assertEquals(State.AUTHORIZATION_REQUIRED, transport.health().state());
        assertEquals(Status.UNAVAILABLE, transport.deliver(FakeGoogleTest.scan("before")).status());

        AuthorizationRecord record = cloud.authorize(transport, MAILBOX);

        assertEquals(MAILBOX, record.account());
        assertEquals(State.OK, transport.health().state(), transport.health().message());
        assertTrue(transport.health().message().startsWith("Authorized as " + MAILBOX), transport.health().message());
        assertEquals(record, transport.authorization().lastAuthorization().orElseThrow());
        Path tokens = dataDir.resolve("tokens/gmail/google-tokens.bin");
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(tokens)));
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(tokens.getParent())));
        String onDisk = new String(Files.readAllBytes(tokens), StandardCharsets.ISO_8859_1);
        assertFalse(onDisk.contains("1//fake-") || onDisk.contains("fake-at-") || onDisk.contains(MAILBOX),
                "tokens are stored in clear");
        assertTrue(transport.accountLimits().workspace());
        assertEquals(2000, transport.accountLimits().messagesPerDay());
        assertEquals(0, transport.accountLimits().recipientsPerMessage());
    }

    @Test
    void aWorkspaceTransportKeepsItsAuthorizationAcrossARestart() throws Exception {
        cloud.authorize(cloud.transport("smtp"), MAILBOX);

        GoogleMailTransport restarted = cloud.transport("smtp");

        assertEquals(State.OK, restarted.health().state(), restarted.health().message());
        assertEquals(Status.SENT, restarted.deliver(FakeGoogleTest.scan("after restart")).status());
    }

    @Test
    void changingTheMailboxOrClientAfterASignInNeedsANewSignInNamingTheChange() throws Exception {
        cloud.authorize(cloud.transport("smtp"), MAILBOX);
        String binding = Files.readString(dataDir.resolve("tokens/gmail/binding.properties"));
        assertTrue(binding.contains("provider=google") && binding.contains("username=" + MAILBOX), binding);

        Map<String, Object> otherMailbox = cloud.configuration("smtp");
        otherMailbox.put("username", "intern@printshop.example");
        GoogleMailTransport changed = cloud.transport(otherMailbox, java.time.Clock.systemUTC());
        assertEquals(State.AUTHORIZATION_REQUIRED, changed.health().state());
        assertTrue(changed.health().message().contains("username " + MAILBOX + " (now intern@printshop.example)"),
                changed.health().message());
        assertEquals(Status.UNAVAILABLE, changed.deliver(FakeGoogleTest.scan("not with the old tokens")).status());
        assertTrue(changed.authorization().lastAuthorization().isEmpty());

        Map<String, Object> otherClient = cloud.configuration("smtp");
        otherClient.put("clientId", "999-other.apps.googleusercontent.com");
        GoogleMailTransport rebound = cloud.transport(otherClient, java.time.Clock.systemUTC());
        assertEquals(State.AUTHORIZATION_REQUIRED, rebound.health().state());
        assertTrue(rebound.health().message().contains("client " + GoogleCloudFixture.CLIENT_ID),
                rebound.health().message());

        GoogleMailTransport back = cloud.transport("smtp");
        assertEquals(State.OK, back.health().state(), "the original configuration's sign-in still counts");
        assertEquals(Status.SENT, back.deliver(FakeGoogleTest.scan("with the original configuration")).status());
    }

    @Test
    void anotherAccountIsRefusedNamingBothAndNothingIsStored() throws Exception {
        GoogleMailTransport transport = cloud.transport("smtp");

        AuthorizationException e = assertThrows(AuthorizationException.class,
                () -> cloud.authorize(transport, "intern@printshop.example"));

        assertEquals(Reason.WRONG_ACCOUNT, e.reason());
        assertTrue(e.getMessage().contains("Signed in as intern@printshop.example"), e.getMessage());
        assertTrue(e.getMessage().contains("sends as " + MAILBOX), e.getMessage());
        assertFalse(Files.exists(dataDir.resolve("tokens/gmail/google-tokens.bin")));
        assertEquals(State.AUTHORIZATION_REQUIRED, transport.health().state());
        GoogleCloudFixture.assertNoSecret(e.getMessage());
    }

    @Test
    void anAddressGoogleHasNotVerifiedIsRefused() throws Exception {
        Map<String, Object> c = cloud.configuration("smtp");
        c.put("username", "unverified@printshop.example");
        GoogleMailTransport transport = cloud.transport(c, java.time.Clock.systemUTC());

        AuthorizationException e = assertThrows(AuthorizationException.class,
                () -> cloud.authorize(transport, "unverified@printshop.example"));

        assertEquals(Reason.WRONG_ACCOUNT, e.reason());
        assertTrue(e.getMessage().contains("has not verified the address unverified@printshop.example"),
                e.getMessage());
        assertFalse(Files.exists(dataDir.resolve("tokens/gmail/google-tokens.bin")));
    }

    @Test
    void theStateIsOnlyForTheBrowserThatBeganIt() throws Exception {
        GoogleMailTransport transport = cloud.transport("smtp");
        AuthorizationStart start = transport.authorization().begin(BROWSER);
        Map<String, String> callback = cloud.google.signIn(start.authorizationUrl(), MAILBOX);

        AuthorizationException otherBrowser = assertThrows(AuthorizationException.class,
                () -> transport.authorization().complete(callback, "another-browser"));

        assertEquals(Reason.INVALID_STATE, otherBrowser.reason());
        assertTrue(otherBrowser.getMessage().contains("another browser"), otherBrowser.getMessage());
        assertFalse(Files.exists(dataDir.resolve("tokens/gmail/google-tokens.bin")));
    }

    @Test
    void theStateIsSingleUse() throws Exception {
        GoogleMailTransport transport = cloud.transport("smtp");
        AuthorizationStart start = transport.authorization().begin(BROWSER);
        Map<String, String> callback = cloud.google.signIn(start.authorizationUrl(), MAILBOX);
        transport.authorization().complete(callback, BROWSER);

        AuthorizationException again = assertThrows(AuthorizationException.class,
                () -> transport.authorization().complete(callback, BROWSER));

        assertEquals(Reason.INVALID_STATE, again.reason());
        assertFalse(transport.authorization().recognizes(start.state()));
        assertEquals(1, cloud.google.tokenRequests("authorization_code"));
    }

    @Test
    void aConsumerAccountGetsConsumerGmailLimits() throws Exception {
        Map<String, Object> c = cloud.configuration("api");
        c.put("username", GoogleCloudFixture.CONSUMER);
        GoogleMailTransport transport = cloud.transport(c, java.time.Clock.systemUTC());
        cloud.authorize(transport, GoogleCloudFixture.CONSUMER);

        assertFalse(transport.accountLimits().workspace());
        assertEquals(500, transport.accountLimits().messagesPerDay());
        assertEquals(100, transport.accountLimits().recipientsPerMessage());
        String[] many = new String[101];
        for (int i = 0; i < many.length; i++) {
            many[i] = "r" + i + "@example.org";
        }
        var result = transport.deliver(notification.testkit.StoredTestMessage.text(GoogleCloudFixture.CONSUMER,
                "too many", many));
        assertEquals(Status.PERMANENT, result.status());
        assertTrue(result.reply().contains("at most 100 per message"), result.reply());
        assertTrue(cloud.google.gmail().messages().isEmpty());
    }
}
