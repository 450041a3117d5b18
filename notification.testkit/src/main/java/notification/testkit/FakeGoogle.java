package notification.testkit;

import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A fake Google over real HTTPS, for tests: the OAuth 2.0 authorization endpoint ({@code /o/oauth2/v2/auth}, a sign-in
 * page, then a query redirect with code and state), the token endpoint ({@code /token}: authorization code with PKCE
 * S256, refresh token; id tokens with {@code email}, {@code email_verified}, {@code hd} and the nonce) and the Gmail
 * API's {@code users.messages.send} (media and resumable uploads, see {@link FakeGmailApi}). One registered OAuth
 * client of type Web application; accounts are added by the test; errors can be injected and calls are counted.
 * Point a transport at {@link #authorizationUrl()}, {@link #tokenUrl()} and {@link #apiUrl()} and trust
 * {@link TestTls}; for SMTP start {@link FakeExchangeSmtpServer#startForGmail(IssuedTokens)} with
 * {@link #issuedTokens()}.
 */
public final class FakeGoogle implements AutoCloseable {

    /** The scope that grants Gmail (SMTP and API). */
    public static final String GMAIL_SCOPE = "https://mail.google.com/";

    /**
     * A Google account.
     *
     * @param email its address
     * @param emailVerified what the id token's {@code email_verified} says
     * @param hostedDomain the Google Workspace domain ({@code hd}), or empty for a consumer account
     * @param subject the stable account id ({@code sub})
     */
    public record Account(String email, boolean emailVerified, String hostedDomain, String subject) {
    }

    /**
     * What an authorize request asked for.
     *
     * @param clientId client_id
     * @param redirectUri redirect_uri
     * @param scope scope
     * @param state state
     * @param nonce nonce
     * @param codeChallenge code_challenge
     * @param codeChallengeMethod code_challenge_method
     * @param accessType access_type
     * @param prompt prompt
     * @param loginHint login_hint
     */
    public record AuthorizeRequest(String clientId, String redirectUri, String scope, String state, String nonce,
            String codeChallenge, String codeChallengeMethod, String accessType, String prompt, String loginHint) {
    }

    /**
     * An OAuth error the fake answers with instead of the normal response.
     *
     * @param status the HTTP status (token endpoint)
     * @param error the OAuth error code, for example "invalid_grant"
     * @param description the error_description
     */
    public record OAuthError(int status, String error, String description) {
    }

    private final String clientId;
    private final String clientSecret;
    private final Map<String, Account> accounts = new ConcurrentHashMap<>();
    private final IssuedTokens tokens = new IssuedTokens(Clock.systemUTC());
    private final List<AuthorizeRequest> authorizeRequests = new CopyOnWriteArrayList<>();
    private final Deque<OAuthError> tokenErrors = new ConcurrentLinkedDeque<>();
    private final Deque<OAuthError> authorizeErrors = new ConcurrentLinkedDeque<>();
    private final Map<String, AtomicInteger> tokenCalls = new ConcurrentHashMap<>();
    private final ExecutorService executor = HttpExchanges.executor("fake-google");
    private final GoogleOAuthEndpoints oauth;
    private final FakeGmailApi gmail;
    private final HttpsServer server;
    private volatile Duration accessTokenLifetime = Duration.ofHours(1);
    private volatile boolean rotateRefreshTokens;

    private FakeGoogle(String clientId, String clientSecret) throws IOException {
        this.clientId = clientId;
        this.clientSecret = clientSecret;
        this.server = HttpExchanges.startServer(executor);
        this.oauth = new GoogleOAuthEndpoints(this);
        this.gmail = new FakeGmailApi(tokens, this::baseUrl);
        server.createContext("/o/oauth2/v2/auth", oauth::authorize);
        server.createContext("/token", oauth::token);
        server.createContext("/upload/gmail/v1/users/me/messages/send", gmail::send);
        server.createContext("/gmail/v1/users/me/profile", gmail::profile);
        server.start();
    }

    /**
     * Starts the fake on a free loopback port.
     *
     * @param clientId the OAuth client's ID
     * @param clientSecret its secret
     * @return the running fake; close it after the test
     */
    public static FakeGoogle start(String clientId, String clientSecret) {
        try {
            return new FakeGoogle(clientId, clientSecret);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the fake Google", e);
        }
    }

    /**
     * Adds a consumer Gmail account (no {@code hd}) with a verified address.
     *
     * @param email the address
     * @return the account
     */
    public Account addConsumerAccount(String email) {
        return addAccount(email, true, "");
    }

    /**
     * Adds a Google Workspace account with a verified address; its {@code hd} is the address's domain.
     *
     * @param email the address
     * @return the account
     */
    public Account addWorkspaceAccount(String email) {
        return addAccount(email, true, email.substring(email.indexOf('@') + 1));
    }

    /**
     * Adds an account.
     *
     * @param email the address
     * @param emailVerified the id token's {@code email_verified}
     * @param hostedDomain the {@code hd} claim, or empty
     * @return the account
     */
    public Account addAccount(String email, boolean emailVerified, String hostedDomain) {
        Account account = new Account(email, emailVerified, hostedDomain, String.valueOf(
                Math.abs((long) email.toLowerCase().hashCode()) + 100000000000000000L));
        accounts.put(email.toLowerCase(), account);
        return account;
    }

    /** @return the authorization endpoint, for example "https://localhost:40123/o/oauth2/v2/auth" */
    public String authorizationUrl() {
        return baseUrl() + "/o/oauth2/v2/auth";
    }

    /** @return the token endpoint */
    public String tokenUrl() {
        return baseUrl() + "/token";
    }

    /** @return the Gmail API root (also the id tokens' issuer) */
    public String apiUrl() {
        return baseUrl();
    }

    /** @return the tokens issued so far, to check bearer tokens against */
    public IssuedTokens issuedTokens() {
        return tokens;
    }

    /** @return the fake Gmail API: messages received, injected failures */
    public FakeGmailApi gmail() {
        return gmail;
    }

    /** @param lifetime the lifetime of access tokens issued from now on */
    public void setAccessTokenLifetime(Duration lifetime) {
        this.accessTokenLifetime = lifetime;
    }

    /** @param rotate whether a refresh returns a new refresh token and ends the old one */
    public void setRotateRefreshTokens(boolean rotate) {
        this.rotateRefreshTokens = rotate;
    }

    /**
     * Makes the next token request fail; several calls queue several errors.
     *
     * @param status the HTTP status, usually 400 or 401
     * @param error the OAuth error, for example "invalid_grant"
     * @param description the description
     */
    public void failNextTokenRequest(int status, String error, String description) {
        tokenErrors.add(new OAuthError(status, error, description));
    }

    /**
     * Makes the next sign-in redirect back with an error instead of a code.
     *
     * @param error for example "access_denied" or "admin_policy_enforced"
     */
    public void failNextAuthorization(String error) {
        authorizeErrors.add(new OAuthError(302, error, ""));
    }

    /** Makes every refresh token issued so far fail with {@code invalid_grant} "Token has been expired or revoked." */
    public void expireRefreshTokens() {
        oauth.expireRefreshTokens();
    }

    /**
     * Counts token endpoint calls, successful or not.
     *
     * @param grantType "authorization_code" or "refresh_token"; {@code null} for all
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
     * Signs in as a browser would: opens the authorization URL, submits the sign-in page with the account, and
     * returns the parameters Google sends to the redirect URI, without calling it.
     *
     * @param authorizationUrl the URL from the transport's authorization start
     * @param email the account to sign in with
     * @return the callback parameters (code and state, or error and state)
     */
    public Map<String, String> signIn(URI authorizationUrl, String email) {
        return new SignInClient().signIn(authorizationUrl, email);
    }

    /** Stops the server. */
    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }

    String baseUrl() {
        return "https://localhost:" + server.getAddress().getPort();
    }

    String clientId() {
        return clientId;
    }

    boolean secretMatches(String presented) {
        return clientSecret.equals(presented);
    }

    Optional<Account> account(String email) {
        return Optional.ofNullable(email == null ? null : accounts.get(email.toLowerCase()));
    }

    void recordAuthorize(AuthorizeRequest request) {
        authorizeRequests.add(request);
    }

    Optional<OAuthError> takeAuthorizeError() {
        return Optional.ofNullable(authorizeErrors.poll());
    }

    Optional<OAuthError> takeTokenError() {
        return Optional.ofNullable(tokenErrors.poll());
    }

    void countTokenCall(String grantType) {
        tokenCalls.computeIfAbsent(String.valueOf(grantType), g -> new AtomicInteger()).incrementAndGet();
    }

    Duration accessTokenLifetime() {
        return accessTokenLifetime;
    }

    boolean rotateRefreshTokens() {
        return rotateRefreshTokens;
    }

    static Set<String> scopes(String scope) {
        return Set.of(scope.trim().split("\\s+"));
    }
}
