package notification.oauth.internal;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Talks to Google's OAuth 2.0 endpoints with the JDK's HTTP client: the authorize URL (code flow, PKCE S256,
 * {@code access_type=offline}, {@code prompt=consent}, login hint), code redemption and refresh (client secret in the
 * form body). Errors become {@link TokenUnavailableException}s with a sentence from {@link GoogleDiagnostics}.
 */
final class GoogleTokenClient {

    /**
     * What the token endpoint answered.
     *
     * @param accessToken the access token
     * @param expiresInSeconds its lifetime
     * @param refreshToken a (new) refresh token, or {@code null} when Google kept the old one
     * @param idToken the id token, or {@code null} (refreshes may omit it)
     */
    record TokenResponse(String accessToken, long expiresInSeconds, String refreshToken, String idToken) {
        @Override
        public String toString() {
            return "token response (expires in " + expiresInSeconds + " s)";
        }
    }

    private final GoogleSettings settings;
    private final HttpClient client;

    GoogleTokenClient(GoogleSettings settings) {
        this.settings = settings;
        HttpClient.Builder builder = HttpClient.newBuilder().connectTimeout(settings.connectTimeout)
                .followRedirects(HttpClient.Redirect.NEVER);
        if (settings.tls != null) {
            builder.sslContext(settings.tls);
        }
        this.client = builder.build();
    }

    URI authorizationUrl(PendingAuthorizations.Pending pending) {
        Map<String, String> query = new LinkedHashMap<>();
        query.put("client_id", settings.clientId);
        query.put("redirect_uri", pending.redirectUri());
        query.put("response_type", "code");
        query.put("scope", GoogleSettings.SCOPES);
        query.put("state", pending.state());
        query.put("nonce", pending.nonce());
        query.put("code_challenge", pending.challenge());
        query.put("code_challenge_method", "S256");
        query.put("access_type", "offline");
        query.put("prompt", "consent");
        query.put("login_hint", settings.username);
        String separator = settings.authorizationUrl.contains("?") ? "&" : "?";
        return URI.create(settings.authorizationUrl + separator + form(query));
    }

    TokenResponse redeem(String code, String verifier, String redirectUri) throws TokenUnavailableException {
        Map<String, String> form = new LinkedHashMap<>();
        form.put("grant_type", "authorization_code");
        form.put("code", code);
        form.put("code_verifier", verifier);
        form.put("redirect_uri", redirectUri);
        return post(form);
    }

    TokenResponse refresh(String refreshToken) throws TokenUnavailableException {
        Map<String, String> form = new LinkedHashMap<>();
        form.put("grant_type", "refresh_token");
        form.put("refresh_token", refreshToken);
        return post(form);
    }

    private TokenResponse post(Map<String, String> fields) throws TokenUnavailableException {
        Map<String, String> all = new LinkedHashMap<>(fields);
        all.put("client_id", settings.clientId);
        all.put("client_secret", settings.clientSecret);
        HttpRequest request = HttpRequest.newBuilder(URI.create(settings.tokenUrl))
                .header("Content-Type", "application/x-www-form-urlencoded").header("Accept", "application/json")
                .timeout(settings.readTimeout).POST(HttpRequest.BodyPublishers.ofString(form(all))).build();
        HttpResponse<String> response;
        try {
            response = client.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new TokenUnavailableException(false, "Google's token endpoint " + host() + " cannot be reached ("
                    + e.getClass().getSimpleName() + ": " + Diagnostics.firstLine(e.getMessage()) + ").");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TokenUnavailableException(false, "Interrupted while asking Google's token endpoint.");
        }
        Map<String, Object> json = JsonObjects.parse(response.body());
        String error = JsonObjects.string(json, "error");
        if (response.statusCode() != 200 || error != null) {
            if (error == null) {
                throw new TokenUnavailableException(false, "Google's token endpoint " + host() + " answered HTTP "
                        + response.statusCode() + "; trying again later.");
            }
            throw new TokenUnavailableException(GoogleDiagnostics.needsAdministrator(error),
                    GoogleDiagnostics.oauthError(error, JsonObjects.string(json, "error_description")));
        }
        String accessToken = JsonObjects.string(json, "access_token");
        if (accessToken == null || accessToken.isBlank()) {
            throw new TokenUnavailableException(false, "Google's token endpoint " + host() + " answered without an "
                    + "access token.");
        }
        return new TokenResponse(accessToken, seconds(json.get("expires_in")),
                JsonObjects.string(json, "refresh_token"), JsonObjects.string(json, "id_token"));
    }

    private static long seconds(Object value) {
        if (value instanceof Number n) {
            return n.longValue();
        }
        try {
            return Long.parseLong(String.valueOf(value));
        } catch (NumberFormatException e) {
            return 3600;
        }
    }

    private String host() {
        return URI.create(settings.tokenUrl).getRawAuthority();
    }

    private static String form(Map<String, String> values) {
        return values.entrySet().stream().map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
                + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8)).collect(Collectors.joining("&"));
    }
}
