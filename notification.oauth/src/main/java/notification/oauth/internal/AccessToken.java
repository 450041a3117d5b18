package notification.oauth.internal;

import java.time.Instant;

/**
 * An access token and when it expires. Its {@link #toString()} never shows the token.
 *
 * @param value the bearer token
 * @param expiresAt when it expires
 */
record AccessToken(String value, Instant expiresAt) {

    /**
     * Tells whether the token is still good for a while.
     *
     * @param now the time
     * @param margin how long it must stay valid
     * @return whether it expires after {@code now + margin}
     */
    boolean validFor(Instant now, java.time.Duration margin) {
        return expiresAt.isAfter(now.plus(margin));
    }

    @Override
    public String toString() {
        return "access token expiring " + expiresAt;
    }
}
