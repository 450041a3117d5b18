package notification.oauth.internal;

import static notification.oauth.internal.MicrosoftCloudFixture.BROWSER;
import static notification.oauth.internal.MicrosoftCloudFixture.MAILBOX;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import notification.api.authorization.AuthorizationException;
import notification.api.authorization.AuthorizationRecord;
import notification.api.authorization.AuthorizationStart;
import notification.api.transport.DeliveryResult;
import notification.api.transport.DeliveryResult.Status;
import notification.api.transport.TransportHealth.State;
import notification.testkit.FakeMicrosoftIdentityPlatform.AuthorizeRequest;
import notification.testkit.TokenError;
import org.junit.jupiter.api.Test;
import notification.testkit.StoredTestMessage;

/** The SMTP XOAUTH2 transport against the fake identity platform (real MSAL4J over HTTPS) and fake Exchange SMTP. */
class MicrosoftSmtpTransportTest extends FakeMicrosoftCloudTest {


    @Test
    void authorizeSendRestartAndSendAgainWithoutSigningIn() throws Exception {
        MicrosoftMailTransport first = cloud.transport("smtp");
        assertEquals(State.AUTHORIZATION_REQUIRED, first.health().state());
        assertEquals(Status.UNAVAILABLE, first.deliver(scan("before")).status());

        AuthorizationStart start = first.authorization().begin(BROWSER);
        Map<String, String> query = MicrosoftCloudFixture.query(start.authorizationUrl());
        assertEquals(MAILBOX, query.get("login_hint"));
        assertEquals("S256", query.get("code_challenge_method"));
        assertEquals(start.state(), query.get("state"));
        assertTrue(start.expiresAt().isAfter(java.time.Instant.now().plus(Duration.ofMinutes(9))));
        Map<String, String> callback = cloud.identity.signIn(start.authorizationUrl(), MAILBOX);
        AuthorizeRequest seen = cloud.identity.authorizeRequests().get(0);
        assertFalse(seen.nonce().isEmpty());
        assertEquals("form_post", seen.responseMode());
        assertTrue(first.authorization().recognizes(start.state()));
        AuthorizationRecord record = first.authorization().complete(callback, BROWSER);
        assertEquals(MAILBOX, record.account());
        assertEquals(State.OK, first.health().state());

        DeliveryResult sent = first.deliver(scan("first scan"));
        assertEquals(Status.SENT, sent.status(), sent.reply());
        first.close();

        Path tokens = dataDir.resolve("tokens").resolve("m365");
        for (String file : List.of("token-cache.bin", "token-cache.key", "authorization.properties")) {
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(tokens.resolve(file))));
        }
        String stored = Files.readString(tokens.resolve("token-cache.bin"), StandardCharsets.ISO_8859_1);
        assertFalse(stored.contains("fake-rt-") || stored.contains("fake-at-"), "tokens stored in plain text");

        MicrosoftMailTransport restarted = cloud.transport("smtp");
        assertEquals(State.OK, restarted.health().state(), restarted.health().message());
        assertEquals(MAILBOX, restarted.authorization().lastAuthorization().orElseThrow().account());
        DeliveryResult again = restarted.deliver(StoredTestMessage.text(MAILBOX, "after restart", "b@example.org"));
        assertEquals(Status.SENT, again.status(), again.reply());
        restarted.close();

        assertEquals(List.of("first scan", "after restart"),
                cloud.smtp.messages().stream().map(m -> m.subject()).toList());
        assertEquals(MAILBOX, cloud.smtp.messages().get(1).authenticatedUser());
        assertEquals(1, cloud.identity.tokenRequests("authorization_code"));
        assertEquals(0, cloud.identity.tokenRequests("refresh_token"), "the restart did not reuse the stored token");
    }

    @Test
    void refreshTokenRotationIsPersistedAcrossRestarts() throws Exception {
        MicrosoftMailTransport first = authorizedTransport("smtp");
        first.keepAlive();
        first.close();
        MicrosoftMailTransport second = cloud.transport("smtp");
        second.keepAlive();
        assertEquals(State.OK, second.health().state(), second.health().message());
        assertEquals(2, cloud.identity.tokenRequests("refresh_token"));
        assertEquals(Status.SENT, second.deliver(scan("rotated")).status());
        second.close();
    }

    @Test
    void aStateWorksOnceAndOnlyInTheBrowserThatBeganIt() throws Exception {
        MicrosoftMailTransport transport = cloud.transport("smtp");
        AuthorizationStart start = transport.authorization().begin(BROWSER);
        Map<String, String> callback = cloud.identity.signIn(start.authorizationUrl(), MAILBOX);
        AuthorizationException otherBrowser = assertThrows(AuthorizationException.class,
                () -> transport.authorization().complete(callback, "another-browser"));
        assertEquals(AuthorizationException.Reason.INVALID_STATE, otherBrowser.reason());
        assertTrue(transport.authorization().lastAuthorization().isEmpty());
        assertEquals(MAILBOX, transport.authorization().complete(callback, BROWSER).account(),
                "another browser cannot burn the state: the browser that began the sign-in completes it");
        AuthorizationException replay = assertThrows(AuthorizationException.class,
                () -> transport.authorization().complete(callback, BROWSER));
        assertEquals(AuthorizationException.Reason.INVALID_STATE, replay.reason());
        transport.close();
    }

    @Test
    void anotherAccountSigningInIsRefusedAndNothingIsStored() throws Exception {
        MicrosoftMailTransport transport = cloud.transport("smtp");
        AuthorizationException refused = assertThrows(AuthorizationException.class,
                () -> cloud.authorize(transport, "intern@contoso.example"));
        assertEquals(AuthorizationException.Reason.WRONG_ACCOUNT, refused.reason());
        assertTrue(refused.getMessage().contains("Signed in as intern@contoso.example"), refused.getMessage());
        assertTrue(refused.getMessage().contains("sign in as " + MAILBOX), refused.getMessage());
        assertTrue(transport.authorization().lastAuthorization().isEmpty());
        assertFalse(Files.exists(dataDir.resolve("tokens/m365/token-cache.bin")));
        assertEquals(State.AUTHORIZATION_REQUIRED, transport.health().state());
        transport.close();
    }

    @Test
    void theSecretIdEnteredInsteadOfTheValueIsExplained() throws Exception {
        Map<String, Object> config = cloud.configuration("smtp");
        config.put("clientSecret", cloud.identity.clientSecretId());
        MicrosoftMailTransport transport = cloud.transport(config, java.time.Clock.systemUTC());
        AuthorizationException refused = assertThrows(AuthorizationException.class,
                () -> cloud.authorize(transport, MAILBOX));
        assertEquals(AuthorizationException.Reason.PROVIDER_ERROR, refused.reason());
        assertTrue(refused.getMessage().contains("the Secret ID was entered instead of the secret's Value"),
                refused.getMessage());
        assertTrue(refused.getMessage().contains("AADSTS7000215"), refused.getMessage());
        assertFalse(refused.getMessage().contains(cloud.identity.clientSecretId()), "secret shown");
        transport.close();
    }

    @Test
    void anExpiredRefreshTokenHoldsMailUntilTheAdministratorAuthorizesAgain() throws Exception {
        MicrosoftMailTransport transport = authorizedTransport("smtp");
        cloud.identity.expireRefreshTokens();
        transport.keepAlive();
        assertEquals(State.AUTHORIZATION_REQUIRED, transport.health().state());
        assertTrue(transport.health().message().contains("AADSTS700082"), transport.health().message());
        assertTrue(transport.health().message().contains("Authorize"), transport.health().message());

        DeliveryResult held = transport.deliver(scan("held"));
        assertEquals(Status.UNAVAILABLE, held.status());
        assertTrue(cloud.smtp.messages().isEmpty());
        MicrosoftCloudFixture.assertNoSecret(held.reply(), transport.health().toString());

        cloud.authorize(transport, MAILBOX);
        DeliveryResult released = transport.deliver(scan("held"));
        assertEquals(Status.SENT, released.status(), released.reply());
        assertEquals(1, cloud.smtp.messages().size());
        transport.close();
    }

    @Test
    void anExpiredSignInFoundWhileSendingHoldsTheMessage() throws Exception {
        cloud.identity.setAccessTokenLifetime(Duration.ofSeconds(60));
        MicrosoftMailTransport transport = authorizedTransport("smtp");
        cloud.identity.expireRefreshTokens();
        DeliveryResult held = transport.deliver(scan("held"));
        assertEquals(Status.UNAVAILABLE, held.status(), held.reply());
        assertTrue(held.reply().contains("AADSTS700082"), held.reply());
        assertEquals(State.AUTHORIZATION_REQUIRED, transport.health().state());
        assertEquals(0, cloud.smtp.connectionsOpened());
        transport.close();
    }

    @Test
    void aTamperedTokenCacheMeansAuthorizationRequiredNotACrash() throws Exception {
        MicrosoftMailTransport first = authorizedTransport("smtp");
        first.close();
        Path cache = dataDir.resolve("tokens/m365/token-cache.bin");
        byte[] bytes = Files.readAllBytes(cache);
        bytes[bytes.length / 2] ^= 0x5a;
        Files.write(cache, bytes);

        MicrosoftMailTransport restarted = cloud.transport("smtp");
        assertEquals(State.AUTHORIZATION_REQUIRED, restarted.health().state());
        assertTrue(restarted.health().message().contains("cannot be read"), restarted.health().message());
        assertEquals(Status.UNAVAILABLE,
                restarted.deliver(scan("waits")).status());
        cloud.authorize(restarted, MAILBOX);
        assertEquals(Status.SENT, restarted.deliver(scan("waits")).status());
        restarted.close();
    }

    @Test
    void aThrottlingReplyBacksOffAndTheNextAttemptGoesThrough() throws Exception {
        MicrosoftMailTransport transport = authorizedTransport("smtp");
        cloud.smtp.failNext("MAIL", "432 4.3.2 STOREDRV.ClientSubmit; sender thread limit exceeded");
        DeliveryResult throttled = transport.deliver(scan("busy"));
        assertEquals(Status.TRANSIENT, throttled.status());
        assertEquals(Duration.ofSeconds(60), throttled.retryAfter());
        assertTrue(throttled.reply().contains("432 4.3.2") && throttled.reply().contains("backing off"),
                throttled.reply());
        assertEquals(Status.SENT, transport.deliver(scan("busy")).status());
        transport.close();
    }

    @Test
    void aRefusedRecipientIsReportedAloneAndTheOthersGetTheMessage() throws Exception {
        MicrosoftMailTransport transport = authorizedTransport("smtp");
        cloud.smtp.failNext("RCPT", "550 5.1.10 RESOLVER.ADR.RecipientNotFound; Recipient not found by SMTP address");
        DeliveryResult partial = transport.deliver(
                StoredTestMessage.text(MAILBOX, "two", "gone@example.org", "here@example.org"));
        assertEquals(Status.PERMANENT, partial.statusOf("gone@example.org"), partial.toString());
        assertEquals(Status.SENT, partial.statusOf("here@example.org"), partial.toString());
        assertEquals(List.of("here@example.org"), cloud.smtp.messages().get(0).recipients());
        assertEquals(Status.SENT, transport.deliver(scan("next")).status());
        assertEquals(1, cloud.smtp.connectionsOpened(), "the connection was reused");
        transport.close();
    }

    @Test
    void aPooledConnectionTheServerDroppedIsReplacedWithoutLosingTheMessage() throws Exception {
        MicrosoftMailTransport transport = authorizedTransport("smtp");
        assertEquals(Status.SENT, transport.deliver(scan("one")).status());
        cloud.smtp.dropConnections();
        DeliveryResult second = transport.deliver(scan("two"));
        assertEquals(Status.SENT, second.status(), second.reply());
        assertEquals(2, cloud.smtp.connectionsOpened());
        assertEquals(List.of("one", "two"), cloud.smtp.messages().stream().map(m -> m.subject()).toList());
        transport.close();
    }

    @Test
    void anUnreachableIdentityPlatformLeavesTheMessageUnattempted() throws Exception {
        cloud.identity.setAccessTokenLifetime(Duration.ofSeconds(60));
        MicrosoftMailTransport transport = authorizedTransport("smtp");
        cloud.identity.close();
        DeliveryResult waiting = transport.deliver(scan("later"));
        assertEquals(Status.UNAVAILABLE, waiting.status());
        assertTrue(waiting.reply().contains("cannot be reached"), waiting.reply());
        assertEquals(State.FAILING, transport.health().state(), "may recover by itself");
        assertEquals(0, cloud.smtp.connectionsOpened());
        transport.close();
    }

    @Test
    void testConnectionAuthenticatesWithoutSending() throws Exception {
        MicrosoftMailTransport transport = cloud.transport("smtp");
        assertEquals(State.AUTHORIZATION_REQUIRED, transport.testConnection().state());
        cloud.authorize(transport, MAILBOX);
        assertEquals(State.OK, transport.testConnection().state());
        assertEquals(1, cloud.smtp.successfulLogins());
        cloud.smtp.setSmtpAuthDisabled(true);
        var health = transport.testConnection();
        assertEquals(State.FAILING, health.state());
        assertTrue(health.message().contains("5.7.139"), health.message());
        assertTrue(cloud.smtp.messages().isEmpty());
        transport.close();
    }

    @Test
    void smtpAuthDisabledHoldsMailWithTheFixWithoutHammeringExchange() throws Exception {
        MutableClock clock = new MutableClock();
        MicrosoftMailTransport transport = cloud.transport(cloud.configuration("smtp"), clock);
        cloud.authorize(transport, MAILBOX);
        cloud.smtp.setSmtpAuthDisabled(true);
        DeliveryResult refused = transport.deliver(scan("no auth"));
        assertEquals(Status.UNAVAILABLE, refused.status(), "a set-up problem must not fail the message");
        assertTrue(refused.reply().contains("5.7.139"), refused.reply());
        assertTrue(refused.reply().contains("Authenticated SMTP is disabled for this mailbox or tenant — enable it, "
                + "or switch this transport to Microsoft Graph"), refused.reply());
        assertEquals(State.FAILING, transport.health().state());
        assertTrue(transport.health().message().contains("switch this transport to Microsoft Graph"));
        assertEquals(refused.reply(), transport.health().lastError());
        MicrosoftCloudFixture.assertNoSecret(refused.reply(), transport.health().toString());
        assertEquals(1, cloud.smtp.connectionsOpened());

        clock.advance(Duration.ofSeconds(59));
        DeliveryResult held = transport.deliver(scan("no auth"));
        assertEquals(Status.UNAVAILABLE, held.status());
        assertEquals(refused.reply(), held.reply());
        assertEquals(1, cloud.smtp.connectionsOpened(), "held back without connecting");

        clock.advance(Duration.ofSeconds(1));
        assertEquals(Status.UNAVAILABLE, transport.deliver(scan("no auth"))
                .status());
        assertEquals(2, cloud.smtp.connectionsOpened(), "tried again after 60 s");
        clock.advance(Duration.ofSeconds(119));
        transport.deliver(scan("no auth"));
        assertEquals(2, cloud.smtp.connectionsOpened(), "the second hold lasts 120 s");

        cloud.smtp.setSmtpAuthDisabled(false);
        clock.advance(Duration.ofSeconds(1));
        DeliveryResult released = transport.deliver(scan("no auth"));
        assertEquals(Status.SENT, released.status(), released.reply());
        assertEquals(State.OK, transport.health().state());
        assertEquals(List.of("no auth"), cloud.smtp.messages().stream().map(m -> m.subject()).toList());
        transport.close();
    }

    @Test
    void testConnectionEndsTheHoldOnceTheTenantIsFixed() throws Exception {
        MutableClock clock = new MutableClock();
        MicrosoftMailTransport transport = cloud.transport(cloud.configuration("smtp"), clock);
        cloud.authorize(transport, MAILBOX);
        cloud.smtp.setSmtpAuthDisabled(true);
        assertEquals(Status.UNAVAILABLE, transport.deliver(scan("m")).status());
        cloud.smtp.setSmtpAuthDisabled(false);
        assertEquals(Status.UNAVAILABLE, transport.deliver(scan("m")).status());
        assertEquals(1, cloud.smtp.connectionsOpened());
        assertEquals(State.OK, transport.testConnection().state());
        assertEquals(Status.SENT, transport.deliver(scan("m")).status());
        transport.close();
    }

    @Test
    void aRejectedTokenHoldsMailUntilTheConfigurationIsFixed() throws Exception {
        Map<String, Object> wrongScope = cloud.configuration("smtp");
        wrongScope.put("smtpScope", "https://graph.microsoft.com/Mail.Send");
        MicrosoftMailTransport transport = cloud.transport(wrongScope, new MutableClock());
        cloud.authorize(transport, MAILBOX);
        DeliveryResult refused = transport.deliver(scan("token"));
        assertEquals(Status.UNAVAILABLE, refused.status(), refused.reply());
        assertTrue(refused.reply().contains("5.7.3") && refused.reply().contains("rejected the access token"),
                refused.reply());
        assertEquals(State.FAILING, transport.health().state());
        int opened = cloud.smtp.connectionsOpened();
        assertEquals(Status.UNAVAILABLE, transport.deliver(scan("token"))
                .status());
        assertEquals(opened, cloud.smtp.connectionsOpened(), "held back without connecting");
        transport.close();

        // A configuration change re-creates the transport: no hold, and the stored sign-in serves the right scope.
        MicrosoftMailTransport fixed = cloud.transport(cloud.configuration("smtp"), new MutableClock());
        DeliveryResult sent = fixed.deliver(scan("token"));
        assertEquals(Status.SENT, sent.status(), sent.reply());
        fixed.close();
    }

    @Test
    void neverMoreThanThreeConnectionsAndOneTokenRequestPerConnectionAtMost() throws Exception {
        MicrosoftMailTransport transport = authorizedTransport("smtp");
        int afterAuthorization = cloud.identity.tokenRequests(null);
        cloud.smtp.setDataDelay(Duration.ofMillis(300));
        ExecutorService pool = Executors.newFixedThreadPool(8);
        List<Future<DeliveryResult>> results = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
            String subject = "parallel " + i;
            results.add(pool.submit(() -> transport.deliver(StoredTestMessage.text(MAILBOX, subject, "a@example.org"))));
        }
        for (Future<DeliveryResult> r : results) {
            assertEquals(Status.SENT, r.get().status(), r.get().reply());
        }
        pool.shutdown();
        assertEquals(16, cloud.smtp.messages().size());
        int connections = cloud.smtp.maxConcurrentConnections();
        assertTrue(connections <= 3 && connections >= 2, "connections at once: " + connections);
        assertTrue(cloud.smtp.connectionsOpened() < 16, "connections were not reused");
        int tokenCalls = cloud.identity.tokenRequests(null) - afterAuthorization;
        assertTrue(tokenCalls <= cloud.smtp.connectionsOpened(), "token calls " + tokenCalls);
        transport.close();
    }

    @Test
    void consentRevokedAtRefreshIsExplained() throws Exception {
        MicrosoftMailTransport transport = authorizedTransport("smtp");
        cloud.identity.failNextTokenRequest(TokenError.consentRequired());
        transport.keepAlive();
        assertEquals(State.AUTHORIZATION_REQUIRED, transport.health().state());
        assertTrue(transport.health().message().contains("grant admin consent"), transport.health().message());
        transport.close();
    }
}
