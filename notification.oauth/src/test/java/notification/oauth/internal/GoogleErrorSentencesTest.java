package notification.oauth.internal;

import static notification.oauth.internal.GoogleCloudFixture.BROWSER;
import static notification.oauth.internal.GoogleCloudFixture.MAILBOX;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import notification.api.authorization.AuthorizationException;
import notification.api.authorization.AuthorizationStart;
import notification.api.transport.DeliveryResult;
import notification.api.transport.DeliveryResult.Status;
import notification.api.transport.TransportHealth.State;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Each of Google's errors, produced by the fake Google over HTTPS or the fake smtp.gmail.com, reaches the
 * administrator as a sentence with the fix, and mail meets the right fate (waits, is held, retried or failed).
 */
class GoogleErrorSentencesTest extends FakeGoogleTest {

    @ParameterizedTest(name = "sign-in answered {0}")
    @CsvSource(delimiter = '|', value = {
        "access_denied         | allow access",
        "admin_policy_enforced | Admin console > Security > Access and data control > API controls",
        "org_internal          | only accounts of its Google Workspace organisation"})
    void aRefusedSignInSaysWhatToDo(String error, String fix) throws Exception {
        GoogleMailTransport transport = cloud.transport("smtp");
        cloud.google.failNextAuthorization(error);

        AuthorizationException e = assertThrows(AuthorizationException.class,
                () -> cloud.authorize(transport, MAILBOX));

        assertTrue(e.getMessage().contains(fix), e.getMessage());
        assertTrue(e.getMessage().contains(error), e.getMessage());
        assertEquals(State.AUTHORIZATION_REQUIRED, transport.health().state());
    }

    @ParameterizedTest(name = "token endpoint answered {1} to the code")
    @CsvSource(delimiter = '|', value = {
        "400 | invalid_grant       | Bad Request            | after 7 days",
        "401 | unauthorized_client | Unauthorized           | of type \"Web application\"",
        "401 | invalid_client      | The OAuth client was not found. | copy the Client ID and Client secret",
        "400 | redirect_uri_mismatch | Bad Request          | Authorized redirect URIs"})
    void aRefusedCodeRedemptionSaysWhatToDo(int status, String error, String description, String fix)
            throws Exception {
        GoogleMailTransport transport = cloud.transport("smtp");
        AuthorizationStart start = transport.authorization().begin(BROWSER);
        Map<String, String> callback = cloud.google.signIn(start.authorizationUrl(), MAILBOX);
        cloud.google.failNextTokenRequest(status, error, description);

        AuthorizationException e = assertThrows(AuthorizationException.class,
                () -> transport.authorization().complete(callback, BROWSER));

        assertTrue(e.getMessage().contains(fix), e.getMessage());
        assertTrue(e.getMessage().contains(error + ": " + description), e.getMessage());
        GoogleCloudFixture.assertNoSecret(e.getMessage());
    }

    @ParameterizedTest(name = "refresh answered {0}")
    @CsvSource(delimiter = '|', value = {
        "invalid_grant       | Token has been expired or revoked. | publishing status is \"Testing\"",
        "unauthorized_client | Unauthorized                       | of type \"Web application\"",
        "admin_policy_enforced | Access blocked                   | mark the OAuth client as Trusted"})
    void aRefusedRefreshHoldsMailAndAsksForTheAdministrator(String error, String description, String fix)
            throws Exception {
        GoogleMailTransport transport = authorizedTransport("api");
        cloud.google.issuedTokens().revokeAll();
        cloud.google.failNextTokenRequest(400, error, description);

        DeliveryResult result = transport.deliver(scan("refused refresh"));

        assertEquals(Status.UNAVAILABLE, result.status());
        assertEquals(State.AUTHORIZATION_REQUIRED, transport.health().state());
        assertTrue(transport.health().message().contains(fix), transport.health().message());
        assertTrue(cloud.google.gmail().messages().isEmpty());
    }

    @ParameterizedTest(name = "smtp.gmail.com answered {1} to {0}")
    @CsvSource(delimiter = '|', value = {
        "AUTH | 535 5.7.8 Username and Password not accepted. | UNAVAILABLE | scope https://mail.google.com/ was not granted",
        "MAIL | 454 4.7.0 Too many login attempts, please try again later. | TRANSIENT | Gmail asks to try later",
        "DATA | 550 5.4.5 Daily user sending limit exceeded. | UNAVAILABLE | daily sending limit is reached (2,000 messages a day for Google Workspace, 500 for consumer Gmail accounts)",
        "DATA | 552 5.3.4 Your message exceeded the message size limits. | PERMANENT | 552 5.3.4"})
    void gmailSmtpRepliesMeetTheirFateWithTheFix(String command, String reply, Status expected, String fix)
            throws Exception {
        GoogleMailTransport transport = authorizedTransport("smtp");
        cloud.smtp.failNext(command, reply);
        if ("AUTH".equals(command)) {
            cloud.smtp.failNext(command, reply); // also refused with the fresh token
        }

        DeliveryResult result = transport.deliver(scan(command + " refused"));

        assertEquals(expected, result.status(), result.reply());
        assertTrue(result.reply().contains(fix), result.reply());
        assertTrue(cloud.smtp.messages().isEmpty());
        if (expected == Status.UNAVAILABLE) {
            assertEquals(State.FAILING, transport.health().state());
            DeliveryResult held = transport.deliver(scan("while held"));
            assertEquals(Status.UNAVAILABLE, held.status());
            assertTrue(cloud.smtp.messages().isEmpty());
        }
        if (reply.startsWith("454")) {
            assertEquals(GmailSmtp.BACKOFF, result.retryAfter());
        }
        assertFalse(result.reply().contains("fake-at-"));
    }
}
