package notification.testkit;

import static notification.testkit.HttpExchanges.encode;
import static notification.testkit.HttpExchanges.html;
import static notification.testkit.HttpExchanges.json;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The fake Google's OAuth endpoints. {@code /o/oauth2/v2/auth}: GET shows a sign-in page (account pre-filled from
 * {@code login_hint}); POSTing it redirects to the redirect URI with code and state in the query (or an injected
 * error). {@code /token}: authorization code (PKCE S256 checked; a refresh token only with {@code access_type=offline})
 * and refresh token (optionally rotated), with the client secret in the form.
 */
final class GoogleOAuthEndpoints {

    private static final Duration CODE_LIFETIME = Duration.ofMinutes(10);

    private record IssuedCode(FakeGoogle.AuthorizeRequest request, FakeGoogle.Account account, Instant expiresAt) {
    }

    private record RefreshGrant(FakeGoogle.Account account, List<String> scopes, boolean expired) {
    }

    private final FakeGoogle google;
    private final Map<String, FakeGoogle.AuthorizeRequest> signIns = new ConcurrentHashMap<>();
    private final Map<String, IssuedCode> codes = new ConcurrentHashMap<>();
    private final Map<String, RefreshGrant> refreshTokens = new ConcurrentHashMap<>();

    GoogleOAuthEndpoints(FakeGoogle google) {
        this.google = google;
    }

    void expireRefreshTokens() {
        refreshTokens.replaceAll((token, grant) -> new RefreshGrant(grant.account(), grant.scopes(), true));
    }

    void authorize(HttpExchange exchange) throws IOException {
        try (exchange) {
            if ("GET".equals(exchange.getRequestMethod())) {
                signInPage(exchange, HttpExchanges.parseForm(exchange.getRequestURI().getRawQuery()));
            } else if ("POST".equals(exchange.getRequestMethod())) {
                signIn(exchange, HttpExchanges.body(exchange));
            } else {
                HttpExchanges.reply(exchange, 405, "text/plain", "method not allowed");
            }
        }
    }

    private void signInPage(HttpExchange exchange, Map<String, String> q) throws IOException {
        FakeGoogle.AuthorizeRequest request = new FakeGoogle.AuthorizeRequest(q.getOrDefault("client_id", ""),
                q.getOrDefault("redirect_uri", ""), q.getOrDefault("scope", ""), q.getOrDefault("state", ""),
                q.getOrDefault("nonce", ""), q.getOrDefault("code_challenge", ""),
                q.getOrDefault("code_challenge_method", ""), q.getOrDefault("access_type", ""),
                q.getOrDefault("prompt", ""), q.getOrDefault("login_hint", ""));
        google.recordAuthorize(request);
        if (!google.clientId().equals(request.clientId())) {
            errorPage(exchange, "Error 401: invalid_client. The OAuth client was not found.");
            return;
        }
        if (!"code".equals(q.get("response_type")) || request.redirectUri().isEmpty()) {
            errorPage(exchange, "Error 400: invalid_request. Required parameter is missing: response_type or "
                    + "redirect_uri.");
            return;
        }
        String id = Randoms.token();
        signIns.put(id, request);
        HttpExchanges.reply(exchange, 200, "text/html; charset=utf-8", "<!DOCTYPE html>\n<html><head>"
                + "<title>Sign in - Google Accounts</title></head><body>\n<h1>Sign in with Google (fake)</h1>\n"
                + "<p>An application asks for: <code>" + html(request.scope()) + "</code></p>\n"
                + "<form id=\"sign-in-form\" method=\"post\">\n"
                + "<input type=\"hidden\" name=\"request\" value=\"" + html(id) + "\">\n"
                + "<label for=\"username\">Email</label> <input id=\"username\" name=\"username\" value=\""
                + html(request.loginHint()) + "\">\n<button id=\"sign-in\" type=\"submit\">Allow</button>\n"
                + "</form>\n</body></html>\n");
    }

    private void signIn(HttpExchange exchange, Map<String, String> form) throws IOException {
        FakeGoogle.AuthorizeRequest request = signIns.remove(form.getOrDefault("request", ""));
        if (request == null) {
            errorPage(exchange, "Error 400: the sign-in request is unknown or was already used.");
            return;
        }
        Optional<FakeGoogle.Account> account = google.account(form.get("username"));
        if (account.isEmpty()) {
            errorPage(exchange, "Couldn't find your Google Account " + form.get("username") + ".");
            return;
        }
        Map<String, String> result = new LinkedHashMap<>();
        result.put("state", request.state());
        Optional<FakeGoogle.OAuthError> injected = google.takeAuthorizeError();
        if (injected.isPresent()) {
            result.put("error", injected.get().error());
        } else {
            String code = "4/fake-" + Randoms.token();
            codes.put(code, new IssuedCode(request, account.get(), Instant.now().plus(CODE_LIFETIME)));
            result.put("code", code);
            result.put("scope", request.scope());
            if (!account.get().hostedDomain().isEmpty()) {
                result.put("hd", account.get().hostedDomain());
            }
            result.put("prompt", "consent");
        }
        StringBuilder location = new StringBuilder(request.redirectUri());
        char separator = request.redirectUri().contains("?") ? '&' : '?';
        for (Map.Entry<String, String> e : result.entrySet()) {
            location.append(separator).append(encode(e.getKey())).append('=').append(encode(e.getValue()));
            separator = '&';
        }
        HttpExchanges.redirect(exchange, location.toString());
    }

    void token(HttpExchange exchange) throws IOException {
        try (exchange) {
            if (!"POST".equals(exchange.getRequestMethod())) {
                HttpExchanges.reply(exchange, 405, "text/plain", "method not allowed");
                return;
            }
            Map<String, String> form = HttpExchanges.body(exchange);
            String grantType = form.get("grant_type");
            google.countTokenCall(grantType);
            Optional<FakeGoogle.OAuthError> error = google.takeTokenError();
            if (error.isEmpty() && !google.clientId().equals(form.get("client_id"))) {
                error = Optional.of(new FakeGoogle.OAuthError(401, "invalid_client", "The OAuth client was not "
                        + "found."));
            } else if (error.isEmpty() && !google.secretMatches(form.get("client_secret"))) {
                error = Optional.of(new FakeGoogle.OAuthError(401, "invalid_client", "Unauthorized"));
            }
            if (error.isEmpty()) {
                error = switch (String.valueOf(grantType)) {
                    case "authorization_code" -> redeem(exchange, form);
                    case "refresh_token" -> refresh(exchange, form);
                    default -> Optional.of(new FakeGoogle.OAuthError(400, "unsupported_grant_type",
                            "Invalid grant_type: " + grantType));
                };
            }
            if (error.isPresent()) {
                HttpExchanges.reply(exchange, error.get().status(), "application/json", "{\"error\":"
                        + json(error.get().error()) + ",\"error_description\":" + json(error.get().description())
                        + "}");
            }
        }
    }

    private Optional<FakeGoogle.OAuthError> redeem(HttpExchange exchange, Map<String, String> form)
            throws IOException {
        IssuedCode code = codes.remove(form.getOrDefault("code", ""));
        if (code == null || code.expiresAt().isBefore(Instant.now())) {
            return Optional.of(new FakeGoogle.OAuthError(400, "invalid_grant", "Malformed auth code."));
        }
        if (!code.request().redirectUri().equals(form.get("redirect_uri"))) {
            return Optional.of(new FakeGoogle.OAuthError(400, "redirect_uri_mismatch", "Bad Request"));
        }
        if (!pkceMatches(code.request(), form.get("code_verifier"))) {
            return Optional.of(new FakeGoogle.OAuthError(400, "invalid_grant", "Invalid code verifier."));
        }
        List<String> scopes = List.copyOf(FakeGoogle.scopes(code.request().scope()));
        String refreshToken = "offline".equals(code.request().accessType()) ? newRefreshToken(code.account(), scopes)
                : null;
        HttpExchanges.reply(exchange, 200, "application/json",
                response(code.account(), scopes, refreshToken, code.request().nonce()));
        return Optional.empty();
    }

    private Optional<FakeGoogle.OAuthError> refresh(HttpExchange exchange, Map<String, String> form)
            throws IOException {
        String presented = form.getOrDefault("refresh_token", "");
        RefreshGrant grant = refreshTokens.get(presented);
        if (grant == null || grant.expired()) {
            return Optional.of(new FakeGoogle.OAuthError(400, "invalid_grant", "Token has been expired or revoked."));
        }
        String rotated = null;
        if (google.rotateRefreshTokens()) {
            refreshTokens.remove(presented);
            rotated = newRefreshToken(grant.account(), grant.scopes());
        }
        HttpExchanges.reply(exchange, 200, "application/json", response(grant.account(), grant.scopes(), rotated,
                null));
        return Optional.empty();
    }

    private String response(FakeGoogle.Account account, List<String> scopes, String refreshToken, String nonce) {
        Duration lifetime = google.accessTokenLifetime();
        IssuedTokens.AccessToken token = google.issuedTokens().issue(account.email(), scopes, lifetime);
        return "{\"access_token\":" + json(token.value()) + ",\"expires_in\":" + lifetime.toSeconds()
                + ",\"scope\":" + json(String.join(" ", scopes)) + ",\"token_type\":\"Bearer\""
                + (refreshToken == null ? "" : ",\"refresh_token\":" + json(refreshToken))
                + (scopes.contains("openid") ? ",\"id_token\":" + json(idToken(account, nonce)) : "") + "}";
    }

    private String idToken(FakeGoogle.Account account, String nonce) {
        long now = Instant.now().getEpochSecond();
        String payload = "{\"iss\":" + json(google.baseUrl()) + ",\"azp\":" + json(google.clientId())
                + ",\"aud\":" + json(google.clientId()) + ",\"sub\":" + json(account.subject())
                + (account.hostedDomain().isEmpty() ? "" : ",\"hd\":" + json(account.hostedDomain()))
                + ",\"email\":" + json(account.email()) + ",\"email_verified\":" + account.emailVerified()
                + ",\"at_hash\":\"fake\"" + (nonce == null || nonce.isEmpty() ? "" : ",\"nonce\":" + json(nonce))
                + ",\"iat\":" + now + ",\"exp\":" + (now + 3600) + "}";
        return base64Url("{\"alg\":\"RS256\",\"kid\":\"fake\",\"typ\":\"JWT\"}") + "." + base64Url(payload)
                + ".ZmFrZS1zaWduYXR1cmU";
    }

    private String newRefreshToken(FakeGoogle.Account account, List<String> scopes) {
        String token = "1//fake-" + Randoms.token();
        refreshTokens.put(token, new RefreshGrant(account, scopes, false));
        return token;
    }

    private static boolean pkceMatches(FakeGoogle.AuthorizeRequest request, String verifier) {
        if (verifier == null || !"S256".equals(request.codeChallengeMethod())) {
            return false;
        }
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(digest).equals(request.codeChallenge());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String base64Url(String text) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }

    private static void errorPage(HttpExchange exchange, String message) throws IOException {
        HttpExchanges.reply(exchange, 400, "text/html; charset=utf-8", "<!DOCTYPE html>\n<html><head><title>Error"
                + "</title></head><body><h1>Access blocked</h1><p id=\"error\">" + html(message)
                + "</p></body></html>\n");
    }
}
