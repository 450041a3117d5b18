package notification.testkit;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;

/** Builds the fake's token responses: access token, unsigned {@code id_token} and {@code client_info}. */
final class TokenResponses {

    private final FakeMicrosoftIdentityPlatform platform;

    TokenResponses(FakeMicrosoftIdentityPlatform platform) {
        this.platform = platform;
    }

    String delegated(FakeMicrosoftIdentityPlatform.Account account, List<String> scopes, String nonce,
            String refreshToken) {
        Duration lifetime = platform.accessTokenLifetime();
        IssuedTokens.AccessToken token = platform.issuedTokens().issue(account.username(), scopes, lifetime);
        String clientInfo = "{\"uid\":" + HttpExchanges.json(account.objectId()) + ",\"utid\":"
                + HttpExchanges.json(platform.tenantId()) + "}";
        return "{\"token_type\":\"Bearer\",\"scope\":" + HttpExchanges.json(String.join(" ", scopes))
                + ",\"expires_in\":" + lifetime.toSeconds() + ",\"ext_expires_in\":" + lifetime.toSeconds()
                + ",\"access_token\":" + HttpExchanges.json(token.value())
                + ",\"refresh_token\":" + HttpExchanges.json(refreshToken)
                + ",\"id_token\":" + HttpExchanges.json(idToken(account, nonce))
                + ",\"client_info\":" + HttpExchanges.json(base64Url(clientInfo)) + "}";
    }

    String appOnly(List<String> scopes) {
        Duration lifetime = platform.accessTokenLifetime();
        IssuedTokens.AccessToken token = platform.issuedTokens().issue(null, scopes, lifetime);
        return "{\"token_type\":\"Bearer\",\"expires_in\":" + lifetime.toSeconds() + ",\"ext_expires_in\":"
                + lifetime.toSeconds() + ",\"access_token\":" + HttpExchanges.json(token.value()) + "}";
    }

    private String idToken(FakeMicrosoftIdentityPlatform.Account account, String nonce) {
        long now = Instant.now().getEpochSecond();
        String payload = "{\"aud\":" + HttpExchanges.json(platform.clientId())
                + ",\"iss\":" + HttpExchanges.json(platform.issuer())
                + ",\"iat\":" + now + ",\"nbf\":" + now + ",\"exp\":" + (now + 3600)
                + ",\"name\":" + HttpExchanges.json(account.displayName())
                + ",\"oid\":" + HttpExchanges.json(account.objectId())
                + ",\"preferred_username\":" + HttpExchanges.json(account.username())
                + ",\"sub\":" + HttpExchanges.json("sub-" + account.objectId())
                + ",\"tid\":" + HttpExchanges.json(platform.tenantId())
                + (nonce == null || nonce.isEmpty() ? "" : ",\"nonce\":" + HttpExchanges.json(nonce))
                + ",\"ver\":\"2.0\"}";
        return base64Url("{\"alg\":\"none\",\"typ\":\"JWT\"}") + "." + base64Url(payload) + ".";
    }

    private static String base64Url(String json) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(json.getBytes(StandardCharsets.UTF_8));
    }
}
