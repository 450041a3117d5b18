package notification.oauth.internal;

import java.time.Instant;
import java.util.Map;
import notification.api.authorization.AuthorizationException;
import notification.api.authorization.AuthorizationException.Reason;

/**
 * The claims of the id token Google returned with a redeemed code, checked: issuer, audience, expiry, nonce,
 * {@code email_verified} and that {@code email} is the mailbox. The signature is not checked: the token came straight
 * from the token endpoint over TLS (server certificate verified), which OpenID Connect Core 1.0 §3.1.3.7 accepts in
 * place of the signature for a confidential client.
 *
 * @param email the verified e-mail address
 * @param workspaceDomain the {@code hd} claim (Google Workspace), or empty (consumer Gmail)
 * @param subject the account's unchanging id ({@code sub}), or empty
 */
record GoogleIdToken(String email, String workspaceDomain, String subject) {

    /**
     * Reads and checks an id token.
     *
     * @param jwt the id token
     * @param settings the transport's settings (client ID, mailbox, issuers)
     * @param nonce the nonce of the sign-in
     * @param now the current time
     * @return the checked claims
     * @throws AuthorizationException when a check fails, naming what and what to do; nothing is stored then
     */
    static GoogleIdToken verify(String jwt, GoogleSettings settings, String nonce, Instant now)
            throws AuthorizationException {
        Map<String, Object> claims = JsonObjects.jwtClaims(jwt);
        if (claims.isEmpty()) {
            throw refused("Google returned no id token: the scopes must include openid and email.");
        }
        String issuer = JsonObjects.string(claims, "iss");
        if (!settings.issuers().contains(issuer)) {
            throw refused("The id token was issued by " + issuer + ", not by Google (" + String.join(" or ",
                    settings.issuers()) + "). Check authorizationUrl and tokenUrl.");
        }
        Object audience = claims.get("aud");
        boolean forUs = audience instanceof java.util.List<?> list ? list.contains(settings.clientId)
                : settings.clientId.equals(String.valueOf(audience));
        if (!forUs) {
            throw refused("The id token was issued for another OAuth client (" + audience + "). Check clientId.");
        }
        if (!nonce.equals(JsonObjects.string(claims, "nonce"))) {
            throw refused("The sign-in answer does not belong to this sign-in (nonce mismatch). Start again with "
                    + "Authorize.");
        }
        Object exp = claims.get("exp");
        if (!(exp instanceof Number n) || !Instant.ofEpochSecond(n.longValue()).isAfter(now)) {
            throw refused("The id token has expired: check this server's clock, then start again with Authorize.");
        }
        String email = JsonObjects.string(claims, "email");
        if (email == null || email.isBlank()) {
            throw refused("Google returned no e-mail address for the account: the scopes must include email.");
        }
        if (!"true".equalsIgnoreCase(JsonObjects.string(claims, "email_verified"))) {
            throw new AuthorizationException(Reason.WRONG_ACCOUNT, "Google has not verified the address " + email
                    + " of the account that signed in, so it cannot be taken as the mailbox " + settings.username
                    + ". Nothing was stored. Sign in with the mailbox's own Google account.");
        }
        if (!email.equalsIgnoreCase(settings.username)) {
            throw new AuthorizationException(Reason.WRONG_ACCOUNT, "Signed in as " + email + ", but this transport "
                    + "sends as " + settings.username + ". Nothing was stored. Sign out of Google in this browser (or "
                    + "use a private window), click Authorize again and sign in as " + settings.username + ".");
        }
        String hd = JsonObjects.string(claims, "hd");
        String sub = JsonObjects.string(claims, "sub");
        return new GoogleIdToken(email, hd == null ? "" : hd, sub == null ? "" : sub);
    }

    private static AuthorizationException refused(String message) {
        return new AuthorizationException(Reason.PROVIDER_ERROR, message);
    }
}
