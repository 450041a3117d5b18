package notification.oauth.internal;

import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns Google's errors (OAuth2 errors of the authorization and token endpoints, SMTP replies of smtp.gmail.com,
 * Gmail API errors) into sentences an administrator can act on: what is wrong and how to fix it.
 */
final class GoogleDiagnostics {

    /** OAuth2 errors after which only the administrator can help (a new sign-in or a configuration fix). */
    static final Set<String> NEEDS_ADMINISTRATOR = Set.of("invalid_grant", "invalid_client", "unauthorized_client",
            "access_denied", "admin_policy_enforced", "org_internal", "redirect_uri_mismatch", "invalid_scope",
            "disabled_client", "deleted_client");

    private static final Pattern ENHANCED = Pattern.compile("\\b([245]\\.\\d{1,3}\\.\\d{1,3})\\b");

    private static final String CREDENTIALS = "Google Cloud console > APIs & Services > Credentials";

    private static final Map<String, String> OAUTH_SENTENCES = Map.ofEntries(
            Map.entry("invalid_grant", "Google no longer accepts the stored sign-in: it expired or was revoked. "
                    + "While the OAuth consent screen's publishing status is \"Testing\", Google ends refresh tokens "
                    + "after 7 days: publish the app (or make it Internal for a Google Workspace organisation). It "
                    + "also ends when the mailbox's password changes, when access is removed in the Google account's "
                    + "security settings, or after 6 months unused. Click Authorize and sign in again."),
            Map.entry("unauthorized_client", "Google does not allow this OAuth client to use the authorization code "
                    + "flow: create an OAuth client of type \"Web application\" in " + CREDENTIALS + " and enter its "
                    + "Client ID and Client secret (a Desktop, Android or service-account client does not work)."),
            Map.entry("invalid_client", "Google does not know this OAuth client or the client secret is wrong: copy "
                    + "the Client ID and Client secret of the Web application client again from " + CREDENTIALS
                    + "."),
            Map.entry("access_denied", "The sign-in was cancelled or access to Gmail was not allowed. Click Authorize "
                    + "again and allow access; while the consent screen is in \"Testing\" the mailbox must be listed "
                    + "as a test user, and an \"Internal\" app accepts only accounts of its organisation."),
            Map.entry("admin_policy_enforced", "The Google Workspace administrator's policy blocks this app: in the "
                    + "Admin console > Security > Access and data control > API controls, mark the OAuth client as "
                    + "Trusted (or allow its access to Gmail), then click Authorize again."),
            Map.entry("org_internal", "The OAuth consent screen is \"Internal\": only accounts of its Google Workspace "
                    + "organisation can sign in. Sign in as the mailbox, or create the client in the mailbox's "
                    + "organisation."),
            Map.entry("redirect_uri_mismatch", "The redirect URI is not registered for this OAuth client: add exactly "
                    + "this transport's redirect URI under Authorized redirect URIs in " + CREDENTIALS + "."),
            Map.entry("invalid_scope", "Google refused the scopes asked for: add https://mail.google.com/ to the "
                    + "consent screen's scopes (Data access) and click Authorize again."));

    private static final String REFUSED_TOKEN = "Gmail refused the access token: the account authorized is not the "
            + "mailbox, the scope https://mail.google.com/ was not granted, or access was revoked. Click Authorize and "
            + "sign in as the mailbox";
    private static final String DAILY_LIMIT = "Gmail refused the message because this mailbox's daily sending limit "
            + "is reached (2,000 messages a day for Google Workspace, 500 for consumer Gmail accounts)";

    private static final Map<String, String> SMTP_SENTENCES = Map.of(
            "5.7.8", REFUSED_TOKEN,
            "4.7.0", "Gmail asks to try later (too many sign-ins or a temporary problem at Google): backing off",
            "5.4.5", DAILY_LIMIT,
            "5.7.0", "Gmail requires authentication or TLS: this transport signs in with XOAUTH2 after STARTTLS; "
                    + "check smtpHost and smtpPort (smtp.gmail.com, 587)");

    private GoogleDiagnostics() {
    }

    /**
     * Explains an OAuth2 error of Google's authorization or token endpoint.
     *
     * @param error the error code, for example "invalid_grant"
     * @param description Google's error_description, or {@code null}
     * @return a sentence naming the cause and the fix, followed by Google's own words
     */
    static String oauthError(String error, String description) {
        String sentence = OAUTH_SENTENCES.get(error == null ? "" : error);
        String google = Diagnostics.firstLine(description);
        String code = error == null || error.isBlank() ? "an error" : error;
        if (sentence == null) {
            return "Google answered " + code + (google.isEmpty() ? "." : ": " + google + ".");
        }
        return sentence + " (" + code + (google.isEmpty() ? "" : ": " + google) + ")";
    }

    /**
     * Tells whether an OAuth2 error needs the administrator.
     *
     * @param error the error code
     * @return whether retrying alone cannot help
     */
    static boolean needsAdministrator(String error) {
        return error != null && NEEDS_ADMINISTRATOR.contains(error);
    }

    /**
     * Explains an SMTP reply of smtp.gmail.com.
     *
     * @param reply the reply, for example "535-5.7.8 Username and Password not accepted"
     * @return the reply's first line followed by the explanation when the code is known
     */
    static String smtpReply(String reply) {
        String line = Diagnostics.firstLine(reply);
        Matcher m = ENHANCED.matcher(line);
        String sentence = m.find() ? SMTP_SENTENCES.get(m.group(1)) : null;
        return sentence == null ? line : line + " — " + sentence;
    }

    /** @return whether the SMTP reply says the daily sending limit is reached (550 5.4.5) */
    static boolean isDailyLimit(String reply) {
        return Diagnostics.firstLine(reply).contains("5.4.5");
    }

    /**
     * Explains a Gmail API error.
     *
     * @param status the HTTP status
     * @param reason the first error's reason (for example "rateLimitExceeded"), or {@code null}
     * @param message Google's message, or {@code null}
     * @return a sentence with status, reason and the explanation when known
     */
    static String apiError(int status, String reason, String message) {
        String head = "Gmail API " + status + (reason == null ? "" : " " + reason)
                + (message == null ? "" : ": " + Diagnostics.firstLine(message));
        String sentence;
        if (isApiDailyLimit(status, reason, message)) {
            sentence = DAILY_LIMIT;
        } else if (status == 401) {
            sentence = REFUSED_TOKEN;
        } else if ("accessNotConfigured".equals(reason) || message != null && message.contains("has not been used")) {
            sentence = "the Gmail API is not enabled for the OAuth client's project: enable it in Google Cloud "
                    + "console > APIs & Services > Library > Gmail API";
        } else if (status == 403) {
            sentence = "Gmail denied sending: the scope https://mail.google.com/ was not granted or the mailbox "
                    + "cannot send. Click Authorize and sign in as the mailbox";
        } else if (status == 429) {
            sentence = "Gmail is limiting this mailbox's rate: waiting as long as Google asked";
        } else if (status >= 500) {
            sentence = "a temporary problem at Google: trying again later";
        } else if (status == 413) {
            sentence = "the message is larger than Gmail accepts (35 MB)";
        } else {
            sentence = null;
        }
        return sentence == null ? head : head + " — " + sentence;
    }

    /** @return whether the Gmail API error says the daily sending limit is reached */
    static boolean isApiDailyLimit(int status, String reason, String message) {
        String text = String.valueOf(message).toLowerCase(java.util.Locale.ROOT);
        return (status == 403 || status == 429) && ("dailyLimitExceeded".equals(reason)
                || text.contains("daily user sending limit") || text.contains("sending limit exceeded"));
    }
}
