package notification.oauth.internal;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import notification.api.authorization.AuthorizationException;
import notification.api.authorization.AuthorizationException.Reason;
import notification.api.authorization.AuthorizationRecord;
import notification.api.authorization.AuthorizationStart;
import notification.api.authorization.InteractiveAuthorization;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The administrator's sign-in for a Gmail / Google Workspace transport: authorize URL with state, PKCE S256, nonce,
 * {@code access_type=offline} and {@code prompt=consent}; completion checks state, browser and configuration, redeems
 * the code, and requires the id token's verified e-mail address to be the mailbox before anything is stored. Begun
 * sign-ins are kept on disk like Microsoft's, so they survive a re-activation or restart.
 */
final class GoogleAuthorization implements InteractiveAuthorization {

    private static final Logger LOG = LoggerFactory.getLogger(GoogleAuthorization.class);

    private final String transportName;
    private final GoogleSettings settings;
    private final PendingAuthorizations pending;
    private final GoogleTokenClient client;
    private final GoogleTokenStore store;
    private final SignInCompletion completion;
    private final AuthorizationFile authorizations;
    private final HealthTracker health;
    private final Clock clock;

    GoogleAuthorization(String transportName, GoogleSettings settings, PendingAuthorizations pending,
            GoogleTokenClient client, GoogleTokenStore store, TokenEntries entries, AuthorizationFile authorizations,
            HealthTracker health, Clock clock) {
        this.completion = new SignInCompletion(pending, health, entries);
        this.transportName = transportName;
        this.settings = settings;
        this.pending = pending;
        this.client = client;
        this.store = store;
        this.authorizations = authorizations;
        this.health = health;
        this.clock = clock;
    }

    /** @return what a sign-in is begun for: the OAuth client, Google's endpoint and the mailbox */
    SignInTarget target() {
        return new SignInTarget(settings.clientId, settings.authorizationUrl, settings.username);
    }

    @Override
    public String transportName() {
        return transportName;
    }

    @Override
    public String expectedAccount() {
        return settings.username;
    }

    @Override
    public String redirectUri() {
        return settings.redirectUri;
    }

    @Override
    public AuthorizationStart begin(String browserBinding) throws AuthorizationException {
        requireConfigured();
        PendingAuthorizations.Pending p = pending.begin(browserBinding, settings.redirectUri, target());
        return new AuthorizationStart(client.authorizationUrl(p), p.state(), p.expiresAt());
    }

    @Override
    public boolean recognizes(String state) {
        return pending.recognizes(state);
    }

    @Override
    public AuthorizationRecord complete(Map<String, String> callbackParameters, String browserBinding)
            throws AuthorizationException {
        requireConfigured();
        return completion.complete(callbackParameters, browserBinding, target(), GoogleDiagnostics::oauthError,
                this::redeem);
    }

    private AuthorizationRecord redeem(PendingAuthorizations.Pending p, String code) throws AuthorizationException {
        GoogleTokenClient.TokenResponse response;
        try {
            response = client.redeem(code, p.verifier(), p.redirectUri());
        } catch (TokenUnavailableException e) {
            throw new AuthorizationException(Reason.PROVIDER_ERROR, e.getMessage());
        }
        Instant now = clock.instant();
        GoogleIdToken id = GoogleIdToken.verify(response.idToken(), settings, p.nonce(), now);
        if (response.refreshToken() == null || response.refreshToken().isBlank()) {
            throw new AuthorizationException(Reason.PROVIDER_ERROR, "Google returned no refresh token, so the "
                    + "transport could not keep sending. Click Authorize again (it asks for offline access with "
                    + "prompt=consent); if it persists, remove the app's access in the Google account's security "
                    + "settings first.");
        }
        AuthorizationRecord record = new AuthorizationRecord(id.email(), now);
        completion.store(() -> {
            store.save(new GoogleTokenStore.Tokens(response.refreshToken(), response.accessToken(),
                    now.plus(Duration.ofSeconds(response.expiresInSeconds())), id.email(), id.workspaceDomain()));
            // Google has no MSAL account: the Workspace domain (hd) stands for the tenant, sub for the object id
            authorizations.save(new AuthorizationFile.StoredAuthorization(record, "", id.workspaceDomain(),
                    id.subject()));
            return null;
        });
        health.authorized(record);
        LOG.info("Google transport {} authorized as {} ({})", transportName, id.email(),
                id.workspaceDomain().isEmpty() ? "consumer Gmail" : "Google Workspace " + id.workspaceDomain());
        return record;
    }

    @Override
    public Optional<AuthorizationRecord> lastAuthorization() {
        return authorizations.loadOrNone().map(AuthorizationFile.StoredAuthorization::record);
    }

    private void requireConfigured() throws AuthorizationException {
        if (!settings.complete()) {
            throw new AuthorizationException(Reason.NOT_CONFIGURED, "Transport " + transportName + " is not "
                    + "configured: " + String.join("; ", settings.problems) + ".");
        }
    }
}
