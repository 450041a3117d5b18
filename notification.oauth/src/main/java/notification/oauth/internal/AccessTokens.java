package notification.oauth.internal;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands out access tokens for sending: the last one while it stays valid for 5 more minutes, otherwise a silent
 * acquisition through MSAL4J. One caller at a time, and with a shared sign-in one node at a time (MSAL4J reads the
 * stored cache again under the lock), so no two ever redeem the same (rotating) refresh token.
 * A failure that needs the administrator marks the transport "authorization required".
 */
final class AccessTokens {

    static final Duration MARGIN = Duration.ofMinutes(5);
    private static final Logger LOG = LoggerFactory.getLogger(AccessTokens.class);

    private final MsalTokens msal;
    private final AuthorizationFile authorizations;
    private final EncryptedTokenCache cache;
    private final TokenEntries entries;
    private final HealthTracker health;
    private final MicrosoftSettings settings;
    private final Clock clock;
    private AccessToken current;

    AccessTokens(MsalTokens msal, AuthorizationFile authorizations, EncryptedTokenCache cache, TokenEntries entries,
            HealthTracker health, MicrosoftSettings settings, Clock clock) {
        this.entries = entries;
        this.msal = msal;
        this.authorizations = authorizations;
        this.cache = cache;
        this.health = health;
        this.settings = settings;
        this.clock = clock;
    }

    /**
     * Returns a token valid for at least 5 more minutes.
     *
     * @param forceRefresh whether to ask the identity platform even if a valid token is at hand
     * @return the token
     * @throws TokenUnavailableException if none can be had
     */
    synchronized AccessToken get(boolean forceRefresh) throws TokenUnavailableException {
        if (!forceRefresh && current != null && current.validFor(clock.instant(), MARGIN)) {
            return current;
        }
        current = null;
        try {
            current = entries.exclusive(() -> acquire(forceRefresh));
            return current;
        } catch (TokenUnavailableException e) {
            throw unavailable(e);
        }
    }

    /** Asks MSAL4J, which reads the stored cache first and stores it again after a refresh (under the lock). */
    private AccessToken acquire(boolean forceRefresh) throws TokenUnavailableException {
        String homeAccountId = null;
        if (!settings.appOnly) {
            Optional<AuthorizationFile.StoredAuthorization> stored;
            try {
                stored = authorizations.load();
            } catch (IOException e) {
                throw new TokenUnavailableException(false, e.getMessage());
            }
            if (stored.isEmpty()) {
                throw new TokenUnavailableException(true, HealthTracker.NOT_AUTHORIZED_YET);
            }
            homeAccountId = stored.get().homeAccountId();
        }
        return msal.acquire(homeAccountId, forceRefresh);
    }

    /** Forgets the token at hand (after a new authorization, or when a server rejected it). */
    synchronized void forget() {
        current = null;
    }

    private TokenUnavailableException unavailable(TokenUnavailableException e) {
        if (e.needsAdministrator()) {
            Optional<String> cacheProblem = cache.problem();
            TokenUnavailableException reported = cacheProblem.isPresent()
                    ? new TokenUnavailableException(true, cacheProblem.get()) : e;
            health.authorizationRequired(reported.getMessage());
            LOG.warn("Microsoft 365 transport {} needs authorization: {}", settings.name, reported.getMessage());
            return reported;
        }
        LOG.warn("Microsoft 365 transport {}: no access token: {}", settings.name, e.getMessage());
        health.failing(e.getMessage());
        return e;
    }
}
