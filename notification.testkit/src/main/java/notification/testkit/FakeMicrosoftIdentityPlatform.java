package notification.testkit;

import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A fake Microsoft identity platform (Entra ID v2.0 endpoints) over real HTTPS, for tests: one tenant, one registered
 * confidential application, a few accounts. It serves {@code /{tenant}/oauth2/v2.0/authorize} (a sign-in page where a
 * test or a browser picks the account, then {@code form_post} or a query redirect back to the redirect URI) and
 * {@code /{tenant}/oauth2/v2.0/token} (authorization code with PKCE, refresh token with rotation, client
 * credentials), issuing {@code id_token} and {@code client_info} as MSAL4J expects. Errors can be injected; calls are
 * counted. Point a "custom" cloud at {@link #authorityUrl()} and trust {@link TestTls}.
 */
public final class FakeMicrosoftIdentityPlatform implements AutoCloseable {

    /** A user of the tenant. @param username the sign-in name @param displayName the name @param objectId the oid */
    public record Account(String username, String displayName, String objectId) {
    }

    /**
     * What an authorize request asked for, as recorded by the fake.
     *
     * @param clientId client_id
     * @param redirectUri redirect_uri
     * @param scope scope
     * @param state state
     * @param nonce nonce
     * @param codeChallenge code_challenge
     * @param codeChallengeMethod code_challenge_method
     * @param loginHint login_hint
     * @param responseMode response_mode ("form_post" or "query"; empty means query)
     */
    public record AuthorizeRequest(String clientId, String redirectUri, String scope, String state, String nonce,
            String codeChallenge, String codeChallengeMethod, String loginHint, String responseMode) {
    }

    private final String tenantId;
    private final String clientId;
    private final String clientSecret;
    private final String clientSecretId = UUID.randomUUID().toString();
    private final Map<String, Account> accounts = new ConcurrentHashMap<>();
    private final IssuedTokens tokens = new IssuedTokens(Clock.systemUTC());
    private final List<AuthorizeRequest> authorizeRequests = new CopyOnWriteArrayList<>();
    private final Deque<TokenError> injectedTokenErrors = new ConcurrentLinkedDeque<>();
    private final Deque<Map.Entry<String, String>> injectedAuthorizeErrors = new ConcurrentLinkedDeque<>();
    private final Map<String, AtomicInteger> tokenCalls = new ConcurrentHashMap<>();
    private final ExecutorService executor = HttpExchanges.executor("fake-identity-platform");
    private final TokenEndpoint tokenEndpoint;
    private final HttpsServer server;
    private volatile Duration accessTokenLifetime = Duration.ofHours(1);

    private FakeMicrosoftIdentityPlatform(String tenantId, String clientId, String clientSecret) throws IOException {
        this.tenantId = tenantId;
        this.clientId = clientId;
        this.clientSecret = clientSecret;
        this.tokenEndpoint = new TokenEndpoint(this);
        this.server = HttpExchanges.startServer(executor);
        AuthorizeEndpoint authorize = new AuthorizeEndpoint(this);
        server.createContext("/" + tenantId + "/oauth2/v2.0/authorize", authorize::handle);
        server.createContext("/" + tenantId + "/oauth2/v2.0/token", tokenEndpoint::handle);
        server.start();
    }

    /**
     * Starts the fake on a free loopback port.
     *
     * @param tenantId the tenant (directory) ID the authority URL carries
     * @param clientId the registered application's client ID
     * @param clientSecret the application's secret Value (the only secret the token endpoint accepts)
     * @return the running fake; close it after the test
     */
    public static FakeMicrosoftIdentityPlatform start(String tenantId, String clientId, String clientSecret) {
        try {
            return new FakeMicrosoftIdentityPlatform(tenantId, clientId, clientSecret);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the fake identity platform", e);
        }
    }

    /**
     * Adds a user who can sign in.
     *
     * @param username the sign-in name (UPN), for example "scanner@contoso.example"
     * @param displayName the display name
     * @return the account
     */
    public Account addAccount(String username, String displayName) {
        Account account = new Account(username, displayName, UUID.randomUUID().toString());
        accounts.put(username.toLowerCase(), account);
        return account;
    }

    /**
     * Returns the authority URL for a "custom" cloud, for example "https://localhost:40123/contoso/".
     *
     * @return the authority URL, with trailing slash
     */
    public String authorityUrl() {
        return "https://localhost:" + server.getAddress().getPort() + "/" + tenantId + "/";
    }

    /** @return the tenant ID */
    public String tenantId() {
        return tenantId;
    }

    /** @return the registered client ID */
    public String clientId() {
        return clientId;
    }

    /** @return the ID of the application's secret: what an administrator wrongly pastes instead of the Value */
    public String clientSecretId() {
        return clientSecretId;
    }

    /** @return the tokens issued so far, to check bearer tokens against */
    public IssuedTokens issuedTokens() {
        return tokens;
    }

    /**
     * Sets the lifetime of access tokens issued from now on (MSAL4J refreshes tokens expiring within 5 minutes).
     *
     * @param lifetime the lifetime
     */
    public void setAccessTokenLifetime(Duration lifetime) {
        this.accessTokenLifetime = lifetime;
    }

    /**
     * Makes the next token request fail with an error; several calls queue several errors.
     *
     * @param error the error, for example {@link TokenError#invalidClientSecret()}
     */
    public void failNextTokenRequest(TokenError error) {
        injectedTokenErrors.add(error);
    }

    /**
     * Makes the next sign-in return an error to the redirect URI instead of a code.
     *
     * @param error the OAuth2 error, for example "access_denied"
     * @param description the error_description, for example "AADSTS65004: User declined to consent"
     */
    public void failNextAuthorization(String error, String description) {
        injectedAuthorizeErrors.add(Map.entry(error, description));
    }

    /** Makes every refresh token issued so far lapse (AADSTS700082 on its next use). */
    public void expireRefreshTokens() {
        tokenEndpoint.expireRefreshTokens();
    }

    /**
     * Counts token endpoint calls, successful or not.
     *
     * @param grantType "authorization_code", "refresh_token" or "client_credentials"; {@code null} for all
     * @return the number of calls
     */
    public int tokenRequests(String grantType) {
        if (grantType != null) {
            AtomicInteger count = tokenCalls.get(grantType);
            return count == null ? 0 : count.get();
        }
        return tokenCalls.values().stream().mapToInt(AtomicInteger::get).sum();
    }

    /** @return every authorize request received, oldest first */
    public List<AuthorizeRequest> authorizeRequests() {
        return new ArrayList<>(authorizeRequests);
    }

    /**
     * Signs in as a browser would: opens the authorization URL, picks the account on the sign-in page, and returns
     * the parameters the identity platform sends to the redirect URI (code and state, or error and
     * error_description), without calling the redirect URI.
     *
     * @param authorizationUrl the URL from the transport's authorization start
     * @param username the account to sign in with
     * @return the callback parameters
     */
    public Map<String, String> signIn(java.net.URI authorizationUrl, String username) {
        return new SignInClient().signIn(authorizationUrl, username);
    }

    /** Stops the server. */
    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }

    Optional<Account> account(String username) {
        return Optional.ofNullable(username == null ? null : accounts.get(username.toLowerCase()));
    }

    String issueCode(AuthorizeRequest request, Account account) {
        return tokenEndpoint.issueCode(request, account);
    }

    void recordAuthorize(AuthorizeRequest request) {
        authorizeRequests.add(request);
    }

    Optional<Map.Entry<String, String>> takeAuthorizeError() {
        return Optional.ofNullable(injectedAuthorizeErrors.poll());
    }

    Optional<TokenError> takeTokenError() {
        return Optional.ofNullable(injectedTokenErrors.poll());
    }

    void countTokenCall(String grantType) {
        tokenCalls.computeIfAbsent(String.valueOf(grantType), g -> new AtomicInteger()).incrementAndGet();
    }

    boolean secretMatches(String presented) {
        return clientSecret.equals(presented);
    }

    Duration accessTokenLifetime() {
        return accessTokenLifetime;
    }

    String issuer() {
        return authorityUrl() + "v2.0";
    }
}
