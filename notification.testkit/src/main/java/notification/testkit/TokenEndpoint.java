package notification.testkit;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The fake's {@code /oauth2/v2.0/token}: authorization code (with PKCE S256 verification), refresh token (rotated on
 * every use: the old one stops working) and client credentials, with client authentication by secret.
 */
final class TokenEndpoint {

    private static final Set<String> OIDC_SCOPES = Set.of("openid", "profile", "offline_access", "email");
    private static final Duration CODE_LIFETIME = Duration.ofMinutes(10);

    private record IssuedCode(FakeMicrosoftIdentityPlatform.AuthorizeRequest request,
            FakeMicrosoftIdentityPlatform.Account account, Instant expiresAt) {
    }

    private record RefreshGrant(FakeMicrosoftIdentityPlatform.Account account, boolean expired) {
    }

    private final FakeMicrosoftIdentityPlatform platform;
    private final TokenResponses responses;
    private final Map<String, IssuedCode> codes = new ConcurrentHashMap<>();
    private final Map<String, RefreshGrant> refreshTokens = new ConcurrentHashMap<>();

    TokenEndpoint(FakeMicrosoftIdentityPlatform platform) {
        this.platform = platform;
        this.responses = new TokenResponses(platform);
    }

    String issueCode(FakeMicrosoftIdentityPlatform.AuthorizeRequest request,
            FakeMicrosoftIdentityPlatform.Account account) {
        String code = "fake-code-" + Randoms.token();
        codes.put(code, new IssuedCode(request, account, Instant.now().plus(CODE_LIFETIME)));
        return code;
    }

    void expireRefreshTokens() {
        refreshTokens.replaceAll((token, grant) -> new RefreshGrant(grant.account(), true));
    }

    void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            if (!"POST".equals(exchange.getRequestMethod())) {
                HttpExchanges.reply(exchange, 405, "text/plain", "method not allowed");
                return;
            }
            Map<String, String> form = HttpExchanges.body(exchange);
            String grantType = form.get("grant_type");
            platform.countTokenCall(grantType);
            Optional<TokenError> error = platform.takeTokenError().or(() -> authenticateClient(exchange, form));
            if (error.isEmpty()) {
                List<String> scopes = resourceScopes(form.getOrDefault("scope", ""));
                switch (String.valueOf(grantType)) {
                    case "authorization_code" -> redeemCode(exchange, form, scopes);
                    case "refresh_token" -> refresh(exchange, form, scopes);
                    case "client_credentials" -> clientCredentials(exchange, scopes);
                    default -> error = Optional.of(new TokenError(400, "unsupported_grant_type", 70003,
                            "The app requested an unsupported grant type '" + grantType + "'."));
                }
            }
            if (error.isPresent()) {
                fail(exchange, error.get());
            }
        }
    }

    private Optional<TokenError> authenticateClient(HttpExchange exchange, Map<String, String> form) {
        String clientId = form.get("client_id");
        String secret = form.get("client_secret");
        String basic = exchange.getRequestHeaders().getFirst("Authorization");
        if (basic != null && basic.startsWith("Basic ")) {
            String[] pair = new String(Base64.getDecoder().decode(basic.substring(6)), StandardCharsets.UTF_8)
                    .split(":", 2);
            clientId = pair[0];
            secret = pair.length > 1 ? pair[1] : null;
        }
        if (!platform.clientId().equals(clientId)) {
            return Optional.of(new TokenError(400, "unauthorized_client", 700016, "Application with identifier '"
                    + clientId + "' was not found in the directory '" + platform.tenantId() + "'."));
        }
        if (!platform.secretMatches(secret)) {
            return Optional.of(TokenError.invalidClientSecret());
        }
        return Optional.empty();
    }

    private void redeemCode(HttpExchange exchange, Map<String, String> form, List<String> scopes) throws IOException {
        IssuedCode code = codes.remove(form.getOrDefault("code", ""));
        if (code == null || code.expiresAt().isBefore(Instant.now())) {
            fail(exchange, new TokenError(400, "invalid_grant", 70008,
                    "The provided authorization code or refresh token has expired or was already redeemed."));
        } else if (!code.request().redirectUri().equals(form.get("redirect_uri"))) {
            fail(exchange, new TokenError(400, "invalid_grant", 500117,
                    "The reply uri specified in the request does not match the reply uri used in the authorization."));
        } else if (!pkceMatches(code.request(), form.get("code_verifier"))) {
            fail(exchange, new TokenError(400, "invalid_grant", 501481,
                    "The Code_Verifier does not match the code_challenge supplied in the authorization request."));
        } else {
            String refreshToken = newRefreshToken(code.account());
            HttpExchanges.reply(exchange, 200, "application/json", responses.delegated(
                    code.account(), scopes, code.request().nonce(), refreshToken));
        }
    }

    private void refresh(HttpExchange exchange, Map<String, String> form, List<String> scopes) throws IOException {
        RefreshGrant grant = refreshTokens.remove(form.getOrDefault("refresh_token", ""));
        if (grant == null) {
            fail(exchange, new TokenError(400, "invalid_grant", 70000,
                    "Provided grant is invalid or malformed (the refresh token is unknown or was already rotated)."));
        } else if (grant.expired()) {
            fail(exchange, TokenError.refreshTokenExpired());
        } else {
            HttpExchanges.reply(exchange, 200, "application/json", responses.delegated(
                    grant.account(), scopes, null, newRefreshToken(grant.account())));
        }
    }

    private void clientCredentials(HttpExchange exchange, List<String> scopes) throws IOException {
        if (scopes.size() != 1 || !scopes.get(0).endsWith("/.default")) {
            fail(exchange, new TokenError(400, "invalid_scope", 1002012,
                    "The provided value for scope " + String.join(" ", scopes) + " is not valid. Client credential "
                            + "flows must have a scope value with /.default suffixed to the resource identifier."));
            return;
        }
        HttpExchanges.reply(exchange, 200, "application/json", responses.appOnly(scopes));
    }

    private String newRefreshToken(FakeMicrosoftIdentityPlatform.Account account) {
        String token = "fake-rt-" + Randoms.token();
        refreshTokens.put(token, new RefreshGrant(account, false));
        return token;
    }

    private static boolean pkceMatches(FakeMicrosoftIdentityPlatform.AuthorizeRequest request, String verifier) {
        if (request.codeChallenge().isEmpty()) {
            return true;
        }
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

    private static List<String> resourceScopes(String scope) {
        return Arrays.stream(scope.split(" ")).filter(s -> !s.isBlank() && !OIDC_SCOPES.contains(s)).toList();
    }

    private static void fail(HttpExchange exchange, TokenError error) throws IOException {
        HttpExchanges.reply(exchange, error.status(), "application/json", error.toJson());
    }
}
