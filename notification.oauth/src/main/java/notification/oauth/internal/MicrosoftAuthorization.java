package notification.oauth.internal;

import java.time.Clock;
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
 * The administrator's sign-in for a delegated Microsoft 365 transport: authorize URL with state, PKCE S256, nonce and
 * login hint; completion checks state, browser, configuration, nonce and that the signed-in account is the sending
 * mailbox before anything is stored. Begun sign-ins are kept on disk, so they survive a re-activation or restart.
 */
final class MicrosoftAuthorization implements InteractiveAuthorization {

    private static final Logger LOG = LoggerFactory.getLogger(MicrosoftAuthorization.class);

    private final String transportName;
    private final MicrosoftSettings settings;
    private final PendingAuthorizations pending;
    private final MsalTokens msal;
    private final EncryptedTokenCache cache;
    private final SignInCompletion completion;
    private final AuthorizationFile authorizations;
    private final HealthTracker health;
    private final AccessTokens tokens;
    private final Clock clock;

    MicrosoftAuthorization(String transportName, MicrosoftSettings settings, PendingAuthorizations pending,
            MsalTokens msal, EncryptedTokenCache cache, TokenEntries entries, AuthorizationFile authorizations,
            HealthTracker health, AccessTokens tokens, Clock clock) {
        this.completion = new SignInCompletion(pending, health, entries);
        this.transportName = transportName;
        this.settings = settings;
        this.pending = pending;
        this.msal = msal;
        this.cache = cache;
        this.authorizations = authorizations;
        this.health = health;
        this.tokens = tokens;
        this.clock = clock;
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
        PendingAuthorizations.Pending p = pending.begin(browserBinding, settings.redirectUri,
                SignInTarget.of(settings));
        return new AuthorizationStart(msal.authorizationUrl(p), p.state(), p.expiresAt());
    }

    @Override
    public boolean recognizes(String state) {
        return pending.recognizes(state);
    }

    @Override
    public AuthorizationRecord complete(Map<String, String> callbackParameters, String browserBinding)
            throws AuthorizationException {
        requireConfigured();
        return completion.complete(callbackParameters, browserBinding, SignInTarget.of(settings),
                Diagnostics::identityError, this::redeem);
    }

    private AuthorizationRecord redeem(PendingAuthorizations.Pending p, String code) throws AuthorizationException {
        MsalTokens.Redeemed redeemed;
        try {
            redeemed = msal.redeem(code, p.verifier(), p.redirectUri());
        } catch (TokenUnavailableException e) {
            throw new AuthorizationException(Reason.PROVIDER_ERROR, e.getMessage());
        }
        Map<String, Object> claims = JsonObjects.jwtClaims(redeemed.result().idToken());
        if (!p.nonce().equals(JsonObjects.string(claims, "nonce"))) {
            throw new AuthorizationException(Reason.PROVIDER_ERROR, "The sign-in answer does not belong to this "
                    + "sign-in (nonce mismatch). Start again with Authorize.");
        }
        if (redeemed.result().account() == null) {
            throw new AuthorizationException(Reason.PROVIDER_ERROR, "The identity platform returned no account "
                    + "(client_info missing); the authority URL may not be a Microsoft identity platform.");
        }
        String signedIn = redeemed.result().account().username();
        if (signedIn == null || !signedIn.equalsIgnoreCase(settings.username)) {
            LOG.warn("Microsoft 365 transport {}: refused sign-in as {} (expected {})", transportName, signedIn,
                    settings.username);
            throw new AuthorizationException(Reason.WRONG_ACCOUNT, "Signed in as " + signedIn + ", but this "
                    + "transport sends as " + settings.username + ". Nothing was stored. Sign out of Microsoft in "
                    + "this browser (or use a private window), click Authorize again and sign in as "
                    + settings.username + ".");
        }
        String tenant = JsonObjects.string(claims, "tid");
        if (!sameTenant(settings.tenantId, tenant)) {
            LOG.warn("Microsoft 365 transport {}: refused sign-in to tenant {} (expected {})", transportName, tenant,
                    settings.tenantId);
            throw new AuthorizationException(Reason.WRONG_ACCOUNT, "Signed in to tenant " + tenant + ", but this "
                    + "transport is configured for tenant " + settings.tenantId + ". Nothing was stored. Check the "
                    + "Directory (tenant) ID, click Authorize again and sign in as " + settings.username + ".");
        }
        AuthorizationRecord record = new AuthorizationRecord(signedIn, clock.instant());
        String objectId = JsonObjects.string(claims, "oid");
        AuthorizationFile.StoredAuthorization stored = new AuthorizationFile.StoredAuthorization(record,
                redeemed.result().account().homeAccountId(), tenant == null ? "" : tenant,
                objectId == null ? "" : objectId);
        completion.store(() -> {
            cache.replace(redeemed.serializedCache());
            authorizations.save(stored);
            return null;
        });
        tokens.forget();
        health.authorized(record);
        LOG.info("Microsoft 365 transport {} authorized as {}", transportName, signedIn);
        return record;
    }

    @Override
    public Optional<AuthorizationRecord> lastAuthorization() {
        return authorizations.loadOrNone().map(AuthorizationFile.StoredAuthorization::record);
    }

    /**
     * Compares the tenant signed in to ({@code tid}) with the configured one. A tenant configured by its ID must be
     * that tenant; one configured by a domain name ({@code contoso.onmicrosoft.com}) or as {@code organizations}
     * cannot be compared here, and the authority already restricts it.
     */
    static boolean sameTenant(String configured, String tid) {
        String c = configured == null ? "" : configured.strip();
        if (c.isEmpty() || c.contains(".") || c.equalsIgnoreCase("organizations") || c.equalsIgnoreCase("common")) {
            return true;
        }
        return tid != null && tid.equalsIgnoreCase(c);
    }

    private void requireConfigured() throws AuthorizationException {
        if (!settings.complete()) {
            throw new AuthorizationException(Reason.NOT_CONFIGURED, "Transport " + transportName + " is not "
                    + "configured: " + String.join("; ", settings.problems) + ".");
        }
        if (settings.appOnly) {
            throw new AuthorizationException(Reason.NOT_CONFIGURED, "Transport " + transportName + " uses app-only "
                    + "authorization (client credentials) and needs no sign-in.");
        }
    }
}
