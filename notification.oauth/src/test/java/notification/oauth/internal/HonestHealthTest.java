package notification.oauth.internal;

import static notification.oauth.internal.MicrosoftCloudFixture.BROWSER;
import static notification.oauth.internal.MicrosoftCloudFixture.MAILBOX;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.function.Predicate;
import notification.api.authorization.AuthorizationException;
import notification.api.authorization.AuthorizationStart;
import notification.api.transport.TransportHealth;
import notification.api.transport.TransportHealth.State;
import org.junit.jupiter.api.Test;

/** OK means proven: not yet tested until a check or a delivery; the last sign-in error stays until a sign-in works. */
class HonestHealthTest extends FakeMicrosoftCloudTest {

    @Test
    void isNotYetTestedAfterSignInUntilTheConnectionCheckPasses() throws Exception {
        for (String protocol : new String[] {"smtp", "graph"}) {
            Map<String, Object> config = cloud.configuration(protocol);
            config.put("name", "m365-" + protocol);
            MicrosoftMailTransport transport = cloud.transport(config, Clock.systemUTC());
            cloud.authorize(transport, MAILBOX);
            TransportHealth signedIn = transport.health();
            assertEquals(State.OK, signedIn.state());
            assertFalse(signedIn.verified(), protocol + ": signed in, not yet tested");

            TransportHealth checked = transport.testConnection();
            assertEquals(State.OK, checked.state(), checked.message());
            assertTrue(checked.verified(), protocol + ": " + checked);
            transport.close();
        }
        assertTrue(cloud.smtp.messages().isEmpty() && cloud.graph.messages().isEmpty(), "a check sends nothing");
    }

    @Test
    void theBackgroundCheckAfterSignInProvesTheTransport() throws Exception {
        MicrosoftMailTransport transport = cloud.transport("smtp");
        transport.checkInBackground(); // not signed in: nothing to check, nothing asked
        assertEquals(State.AUTHORIZATION_REQUIRED, transport.health().state());
        cloud.authorize(transport, MAILBOX);

        transport.checkInBackground();

        TransportHealth proven = await(transport, TransportHealth::verified);
        assertEquals(State.OK, proven.state(), proven.message());
        assertEquals(1, cloud.smtp.successfulLogins());
        transport.close();
    }

    @Test
    void theLastSignInErrorSurvivesARestartUntilASignInSucceeds() throws Exception {
        Map<String, Object> wrongSecret = cloud.configuration("smtp");
        wrongSecret.put("clientSecret", cloud.identity.clientSecretId());
        MicrosoftMailTransport first = cloud.transport(wrongSecret, Clock.systemUTC());
        AuthorizationStart start = first.authorization().begin(BROWSER);
        Map<String, String> callback = cloud.identity.signIn(start.authorizationUrl(), MAILBOX);
        assertThrows(AuthorizationException.class, () -> first.authorization().complete(callback, BROWSER));
        String error = first.health().lastError();
        assertTrue(error != null && error.contains("Secret ID"), String.valueOf(error));
        first.close();

        MicrosoftMailTransport restarted = cloud.transport(wrongSecret, Clock.systemUTC());
        TransportHealth afterRestart = restarted.health();
        assertEquals(error, afterRestart.lastError());
        assertEquals(State.AUTHORIZATION_REQUIRED, afterRestart.state());
        assertTrue(afterRestart.message().contains("Secret ID"), afterRestart.message());
        MicrosoftCloudFixture.assertNoSecret(afterRestart.toString());
        Path kept = dataDir.resolve("tokens").resolve("m365").resolve("last-authorization-error.txt");
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(kept)));
        restarted.close();

        MicrosoftMailTransport fixed = cloud.transport(cloud.configuration("smtp"), Clock.systemUTC());
        assertEquals(error, fixed.health().lastError(), "a new secret alone proves nothing yet");
        cloud.authorize(fixed, MAILBOX);
        assertNull(fixed.health().lastError());
        assertFalse(Files.exists(kept));
        fixed.close();
    }

    @Test
    void warnsFromThirtyDaysBeforeTheClientSecretExpires() {
        MutableClock clock = new MutableClock(); // 2026-11-26
        Map<String, Object> config = cloud.configuration("smtp");
        config.put("secretExpires", "2027-01-10");
        MicrosoftMailTransport transport = cloud.transport(config, clock);
        assertTrue(transport.health().warnings().isEmpty(), "45 days before: no warning yet");

        clock.advance(Duration.ofDays(16));
        assertEquals(java.util.List.of("The client secret expires in 29 days (2027-01-10): before then, create a new "
                + "client secret in Entra (App registrations > Certificates & secrets), enter its Value as Client "
                + "secret, and set secretExpires to its expiry date."), transport.health().warnings());

        clock.advance(Duration.ofDays(30));
        assertTrue(transport.health().warnings().get(0).startsWith("The client secret expired on 2027-01-10"),
                transport.health().warnings().toString());
        transport.close();
    }

    @Test
    void aSecretExpiryThatIsNotADateSaysHowToWriteIt() {
        Map<String, Object> config = cloud.configuration("smtp");
        config.put("secretExpires", "10.01.2027");
        MicrosoftMailTransport transport = cloud.transport(config, Clock.systemUTC());
        String warning = transport.health().warnings().get(0);
        assertTrue(warning.startsWith("secretExpires '10.01.2027' is not a date: write it as yyyy-MM-dd"), warning);
        assertEquals(State.AUTHORIZATION_REQUIRED, transport.health().state(), "the transport itself still works");
        transport.close();
    }

    private static TransportHealth await(MicrosoftMailTransport transport, Predicate<TransportHealth> condition)
            throws InterruptedException {
        for (int i = 0; i < 600; i++) {
            TransportHealth h = transport.health();
            if (condition.test(h)) {
                return h;
            }
            Thread.sleep(50);
        }
        TransportHealth last = transport.health();
        assertTrue(condition.test(last), "the check did not finish: " + last);
        return last;
    }
}
