package notification.oauth.internal;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands out a Google transport's access tokens: the stored one while it stays valid for 5 more minutes, otherwise one
 * from the refresh token, saving a rotated refresh token at once. One caller at a time, and with a shared sign-in one
 * node at a time (the stored tokens are read again under the lock), so no two ever redeem the same refresh token. A
 * failure that needs the administrator marks the transport "authorization required".
 */
final class GoogleAccessTokens {

    private static final Logger LOG = LoggerFactory.getLogger(GoogleAccessTokens.class);

    private final GoogleTokenClient client;
    private final GoogleTokenStore store;
    private final TokenEntries entries;
    private final HealthTracker health;
    private final String transportName;
    private final Clock clock;

    GoogleAccessTokens(GoogleTokenClient client, GoogleTokenStore store, TokenEntries entries, HealthTracker health,
            String transportName, Clock clock) {
        this.client = client;
        this.store = store;
        this.entries = entries;
        this.health = health;
        this.transportName = transportName;
        this.clock = clock;
    }

    /**
     * Returns a token valid for at least 5 more minutes.
     *
     * @param forceRefresh whether to ask Google even if a valid token is at hand
     * @return the token
     * @throws TokenUnavailableException if none can be had
     */
    synchronized AccessToken get(boolean forceRefresh) throws TokenUnavailableException {
        try {
            return entries.exclusive(() -> fromStoreOrRefreshed(forceRefresh));
        } catch (TokenUnavailableException e) {
            throw unavailable(e);
        }
    }

    private AccessToken fromStoreOrRefreshed(boolean forceRefresh) throws TokenUnavailableException {
        Optional<GoogleTokenStore.Tokens> stored;
        try {
            stored = store.load(); // under the lock: what another node stored a moment ago counts
        } catch (IOException e) {
            throw new TokenUnavailableException(false, e.getMessage());
        }
        if (stored.isEmpty()) {
            throw new TokenUnavailableException(true, store.problem().orElse("Not authorized yet."));
        }
        GoogleTokenStore.Tokens tokens = stored.get();
        AccessToken current = new AccessToken(tokens.accessToken(), tokens.accessTokenExpiresAt());
        if (!forceRefresh && !tokens.accessToken().isEmpty()
                && current.validFor(clock.instant(), AccessTokens.MARGIN)) {
            return current;
        }
        GoogleTokenClient.TokenResponse response = client.refresh(tokens.refreshToken());
        Instant expiresAt = clock.instant().plus(Duration.ofSeconds(response.expiresInSeconds()));
        store.save(tokens.withAccess(response.accessToken(), expiresAt, response.refreshToken()));
        return new AccessToken(response.accessToken(), expiresAt);
    }

    /** @return the stored tokens' account facts (who, Workspace or consumer), or empty when not authorized */
    Optional<GoogleTokenStore.Tokens> stored() {
        return store.loadOrNone();
    }

    private TokenUnavailableException unavailable(TokenUnavailableException e) {
        if (e.needsAdministrator()) {
            health.authorizationRequired(e.getMessage());
            LOG.warn("Google transport {} needs authorization: {}", transportName, e.getMessage());
        } else {
            health.failing(e.getMessage());
            LOG.warn("Google transport {}: no access token: {}", transportName, e.getMessage());
        }
        return e;
    }
}
