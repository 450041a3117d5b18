package notification.oauth.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Every error of the reference sheet maps to its cause and fix. */
class DiagnosticsTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "invalid_client|AADSTS7000215: Invalid client secret provided.|the Secret ID was entered instead of the secret's Value|true",
        "invalid_client|AADSTS7000222: The provided client secret keys are expired.|Create a new client secret|true",
        "invalid_request|AADSTS50011: The redirect URI does not match.|Register exactly this transport's redirect URI|false",
        "invalid_request|AADSTS500113: No reply address is registered.|Register this transport's redirect URI|false",
        "invalid_grant|AADSTS65001: The user or administrator has not consented.|grant admin consent|true",
        "unauthorized_client|AADSTS700016: Application not found.|Check the client (application) ID|true",
        "invalid_request|AADSTS90002: Tenant not found.|Check the tenant ID and the cloud|true",
        "invalid_grant|AADSTS50034: The user account does not exist.|Sign in with the sending mailbox's account|true",
        "invalid_grant|AADSTS50020: User account is not in tenant.|Sign in with the sending mailbox's account|true",
        "access_denied|AADSTS53003: Access has been blocked by Conditional Access policies.|Conditional Access|true",
        "access_denied|AADSTS530035: Access has been blocked by security defaults.|security defaults|true",
        "invalid_grant|AADSTS700082: The refresh token has expired due to inactivity.|Click Authorize and sign in again|true",
        "invalid_grant|AADSTS70043: The refresh token has expired or is invalid.|Click Authorize and sign in again|true",
        "invalid_grant|AADSTS50173: The provided grant has expired due to it being revoked.|Click Authorize and sign in again|true",
        "invalid_grant|AADSTS70008: The provided authorization code or refresh token has expired.|Click Authorize and sign in again|true"})
    void identityPlatformErrors(String error, String description, String expected, boolean needsAdministrator) {
        String sentence = Diagnostics.identityError(error, description);
        assertTrue(sentence.contains(expected), sentence);
        assertTrue(sentence.contains(description.substring(0, description.indexOf(':'))), sentence);
        assertEquals(needsAdministrator, Diagnostics.needsAdministrator(error, description));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "535 5.7.139 Authentication unsuccessful, SmtpClientAuthentication is disabled for the Tenant.|Authenticated SMTP is disabled for this mailbox or tenant — enable it, or switch this transport to Microsoft Graph",
        "535 5.7.3 Authentication unsuccessful|wrong account may have been authorized",
        "550 5.7.30 Basic authentication is not supported for Client Submission.|must use OAuth2",
        "554 5.7.60 SMTP; Client does not have permissions to send as this sender|keep From = the sending mailbox",
        "432 4.3.2 STOREDRV.ClientSubmit; sender thread limit exceeded|backing off",
        "421 4.7.66 TLS 1.0 and 1.1 are not supported.|TLS 1.2 or newer is required",
        "554 5.2.0 STOREDRV.Submission.Exception:SubmissionQuotaExceededException|daily sending quota (by default 10,000 recipients",
        "554 5.2.0 STOREDRV.Submission.Exception:SendAsDeniedException.MapiExceptionSendAsDenied|keep From = the sending mailbox"})
    void smtpReplies(String reply, String expected) {
        String sentence = Diagnostics.smtpReply(reply);
        assertTrue(sentence.startsWith(reply.substring(0, 9)), sentence);
        assertTrue(sentence.contains(expected), sentence);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "429|ApplicationThrottled|Retry-After",
        "403|ErrorAccessDenied|Mail.Send permission",
        "401|InvalidAuthenticationToken|authorize again",
        "403|ErrorSendAsDenied|keep From = the sending mailbox",
        "403|ErrorSubmissionQuotaExceeded|daily sending quota"})
    void graphErrors(int status, String code, String expected) {
        String sentence = Diagnostics.graphError(status, code, "message from Graph");
        assertTrue(sentence.startsWith("Graph " + status + " " + code), sentence);
        assertTrue(sentence.contains(expected), sentence);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "432 4.3.2 busy|TRANSIENT|PT1M",
        "451 4.4.0 temporary|TRANSIENT|",
        "550 5.1.1 unknown user|PERMANENT|",
        "535 5.7.139 disabled|UNAVAILABLE|",
        "535 5.7.3 Authentication unsuccessful|UNAVAILABLE|",
        "554 5.2.0 STOREDRV.Submission.Exception:SubmissionQuotaExceededException; Cannot submit message.|UNAVAILABLE|",
        "554 5.2.0 STOREDRV.Submission.Exception:SendAsDeniedException.MapiExceptionSendAsDenied|PERMANENT|"})
    void smtpClassification(String reply, String status, String retryAfter) {
        var result = ExchangeReplies.forReply(reply, java.time.Duration.ofMinutes(1));
        assertEquals(status, result.status().name());
        assertEquals(retryAfter == null ? null : java.time.Duration.parse(retryAfter), result.retryAfter());
    }

    @org.junit.jupiter.api.Test
    void unknownCodesStillNameWhatTheProviderSaid() {
        String sentence = Diagnostics.identityError("temporarily_unavailable", "AADSTS90033: busy\r\nTrace ID: x");
        assertTrue(sentence.contains("AADSTS90033: busy"), sentence);
        assertFalse(sentence.contains("Trace ID"), sentence);
        assertFalse(Diagnostics.needsAdministrator("temporarily_unavailable", "AADSTS90033: busy"));
    }
}
