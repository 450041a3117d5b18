package notification.oauth.internal;

import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns Microsoft's error codes (AADSTS codes of the identity platform, SMTP replies of Exchange Online, Graph
 * errors) into sentences an administrator can act on: what is wrong and how to fix it.
 */
final class Diagnostics {

    /** The AADSTS codes after which only the administrator can help: the sign-in must be repeated. */
    static final Set<String> AUTHORIZE_AGAIN = Set.of("700082", "70043", "50173", "70008", "70000", "50076",
            "50079", "65001", "7000215", "7000222", "700016", "90002", "50034", "50020", "53003", "530035");

    private static final Pattern AADSTS = Pattern.compile("AADSTS(\\d+)");
    private static final Pattern ENHANCED = Pattern.compile("\\b([245]\\.\\d{1,3}\\.\\d{1,3})\\b");

    private static final String EXPIRED_SIGN_IN = "The stored sign-in has expired or was revoked (unused for 90 "
            + "days, password change, or revoked sessions). Click Authorize and sign in again.";
    private static final String SEND_AS = "The From address is not the authenticated mailbox (SendAsDenied): keep "
            + "From = the sending mailbox and use the display name and Reply-To instead";

    private static final String QUOTA = "Exchange Online refused the message because this mailbox's daily sending "
            + "quota (by default 10,000 recipients in 24 hours) is used up";

    private static final Map<String, String> AADSTS_SENTENCES = Map.ofEntries(
            Map.entry("7000215", "The client secret is wrong: the Secret ID was entered instead of the secret's "
                    + "Value (or the Value is mistyped). In Entra ID > App registrations > Certificates & secrets, "
                    + "copy the Value column of the secret and enter it as the client secret."),
            Map.entry("7000222", "The client secret has expired. Create a new client secret for the app "
                    + "registration (valid at most 2 years) and enter its Value."),
            Map.entry("50011", "The redirect URI does not match the app registration. Register exactly this "
                    + "transport's redirect URI under Authentication, platform \"Web\"."),
            Map.entry("500113", "The app registration has no redirect URI. Register this transport's redirect URI "
                    + "under Authentication, platform \"Web\"."),
            Map.entry("65001", "Consent for the mail permission is missing. In the app registration's API "
                    + "permissions, grant admin consent, then authorize again."),
            Map.entry("700016", "The application was not found in this tenant. Check the client (application) ID, "
                    + "the tenant ID and the cloud."),
            Map.entry("90002", "The tenant was not found. Check the tenant ID and the cloud."),
            Map.entry("50034", "The account does not exist in this tenant. Sign in with the sending mailbox's "
                    + "account."),
            Map.entry("50020", "The account is not a member of this tenant. Sign in with the sending mailbox's "
                    + "account."),
            Map.entry("53003", "The sign-in was blocked by Conditional Access. Look up the sign-in in Entra ID's "
                    + "sign-in logs and adjust the policy."),
            Map.entry("530035", "The sign-in was blocked by security defaults. Look up the sign-in in Entra ID's "
                    + "sign-in logs and adjust the policy."),
            Map.entry("700082", EXPIRED_SIGN_IN),
            Map.entry("70043", EXPIRED_SIGN_IN),
            Map.entry("50173", EXPIRED_SIGN_IN),
            Map.entry("70008", EXPIRED_SIGN_IN));

    private static final Map<String, String> SMTP_SENTENCES = Map.ofEntries(
            Map.entry("5.7.139", "Authenticated SMTP is disabled for this mailbox or tenant — enable it, or switch "
                    + "this transport to Microsoft Graph (Exchange Online: Set-CASMailbox -Identity <mailbox> "
                    + "-SmtpClientAuthenticationDisabled $false; security defaults also disable it)"),
            Map.entry("5.7.3", "Exchange Online rejected the access token: the wrong account may have been "
                    + "authorized, the scope or audience is wrong for this cloud, or (app-only) the service principal "
                    + "and the mailbox permission in Exchange Online are missing"),
            Map.entry("5.7.30", "Exchange Online refused Basic authentication: this transport must use OAuth2"),
            Map.entry("5.7.60", SEND_AS),
            Map.entry("4.3.2", "Exchange Online's concurrency or rate limit was reached: backing off; keep at most 3 "
                    + "connections per mailbox"),
            Map.entry("4.7.66", "The connection used TLS below 1.2: TLS 1.2 or newer is required"));

    /** Exchange answers 554 5.2.0 for several submission problems; the text after it tells which. */
    private static final Map<String, String> SUBMISSION_SENTENCES = Map.of(
            "SubmissionQuotaExceeded", QUOTA,
            "SendAsDenied", SEND_AS);

    private static final Map<String, String> GRAPH_SENTENCES = Map.ofEntries(
            Map.entry("429", "Microsoft Graph is throttling this mailbox: waiting as long as Graph asked "
                    + "(Retry-After)"),
            Map.entry("ErrorAccessDenied", "Microsoft Graph denied sending: the app lacks the Mail.Send permission "
                    + "(with admin consent) or the mailbox is outside the app's scope — add the permission, grant "
                    + "consent, and check RBAC for Applications"),
            Map.entry("InvalidAuthenticationToken", "Microsoft Graph rejected the access token: check the Graph "
                    + "scope for this cloud and authorize again"),
            Map.entry("ErrorSendAsDenied", SEND_AS),
            Map.entry("ErrorSubmissionQuotaExceeded", QUOTA.replace("Exchange Online", "Microsoft Graph")),
            Map.entry("ErrorQuotaExceeded", "Microsoft Graph refused the message because this mailbox's quota is "
                    + "used up (its daily sending quota, or its storage: then empty Sent Items or raise the quota)"));

    private Diagnostics() {
    }

    /**
     * Finds the AADSTS code in an identity platform message.
     *
     * @param text an error description or exception message
     * @return the number after "AADSTS", or empty
     */
    static Optional<String> aadstsCode(String text) {
        Matcher m = AADSTS.matcher(text == null ? "" : text);
        return m.find() ? Optional.of(m.group(1)) : Optional.empty();
    }

    /**
     * Explains an identity platform error.
     *
     * @param error the OAuth2 error ("invalid_grant"), or {@code null}
     * @param description the error description, usually starting with "AADSTSnnn:"
     * @return a sentence naming the code, the cause and the fix
     */
    static String identityError(String error, String description) {
        Optional<String> code = aadstsCode(description);
        String known = code.map(AADSTS_SENTENCES::get).orElse(null);
        if (known != null) {
            return known + " (AADSTS" + code.get() + ")";
        }
        if ("invalid_grant".equals(error) || "interaction_required".equals(error)) {
            return "The stored sign-in is no longer valid. Click Authorize and sign in again. (" + firstLine(
                    description) + ")";
        }
        if ("access_denied".equals(error) || "consent_required".equals(error)) {
            return "The sign-in was cancelled or consent was refused. Sign in again and accept the permissions. ("
                    + firstLine(description) + ")";
        }
        return "The Microsoft identity platform answered " + (error == null ? "an error" : error) + ": "
                + firstLine(description);
    }

    /**
     * Tells whether an identity platform error needs the administrator (a new sign-in or a configuration fix).
     *
     * @param error the OAuth2 error, or {@code null}
     * @param description the description
     * @return whether retrying on its own cannot help
     */
    static boolean needsAdministrator(String error, String description) {
        return aadstsCode(description).map(AUTHORIZE_AGAIN::contains).orElse(false)
                || "invalid_grant".equals(error) || "invalid_client".equals(error)
                || "unauthorized_client".equals(error) || "interaction_required".equals(error)
                || "consent_required".equals(error);
    }

    /**
     * Explains an SMTP reply of Exchange Online.
     *
     * @param reply the server's reply, for example "535 5.7.139 Authentication unsuccessful ..."
     * @return the reply's first line followed by the explanation when the code is known
     */
    static String smtpReply(String reply) {
        String line = firstLine(reply);
        String sentence = SUBMISSION_SENTENCES.entrySet().stream().filter(e -> line.contains(e.getKey()))
                .map(Map.Entry::getValue).findFirst().orElse(null);
        Matcher m = ENHANCED.matcher(line);
        if (sentence == null && m.find()) {
            sentence = SMTP_SENTENCES.get(m.group(1));
        }
        return sentence == null ? line : line + " — " + sentence;
    }

    /**
     * Explains a Microsoft Graph error.
     *
     * @param status the HTTP status
     * @param code the Graph error code, or {@code null}
     * @param message Graph's message, or {@code null}
     * @return a sentence with status, code and the explanation when known
     */
    static String graphError(int status, String code, String message) {
        String sentence = GRAPH_SENTENCES.get(code == null ? "" : code);
        if (sentence == null) {
            sentence = GRAPH_SENTENCES.get(String.valueOf(status));
        }
        String head = "Graph " + status + (code == null ? "" : " " + code) + (message == null ? "" : ": "
                + firstLine(message));
        return sentence == null ? head : head + " — " + sentence;
    }

    /**
     * Tells whether an SMTP reply says the mailbox's daily sending quota is used up (554 5.2.0 ...
     * SubmissionQuotaExceeded).
     *
     * @param reply the reply
     * @return whether mail must be held until the quota recovers
     */
    static boolean isSmtpQuotaExceeded(String reply) {
        return firstLine(reply).contains("SubmissionQuotaExceeded");
    }

    /**
     * Tells whether a Graph error says the mailbox's sending quota is used up.
     *
     * @param code the Graph error code, or {@code null}
     * @param message Graph's message, or {@code null}
     * @return whether mail must be held until the quota recovers
     */
    static boolean isGraphQuotaExceeded(String code, String message) {
        return code != null && code.endsWith("QuotaExceeded")
                || message != null && message.contains("SubmissionQuotaExceeded");
    }

    static String firstLine(String text) {
        if (text == null) {
            return "";
        }
        String trimmed = text.strip();
        int end = trimmed.indexOf('\n');
        return (end < 0 ? trimmed : trimmed.substring(0, end)).strip();
    }
}
