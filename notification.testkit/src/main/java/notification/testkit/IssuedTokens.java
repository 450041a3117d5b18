package notification.testkit;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The access tokens the fake identity platform issued, so the fake SMTP server and the fake Graph endpoint accept
 * exactly those (and only until they expire or are revoked).
 */
public final class IssuedTokens {

    /**
     * One issued access token.
     *
     * @param value the opaque token
     * @param username the signed-in user, or {@code null} for an app-only (client credentials) token
     * @param scopes the granted scopes
     * @param expiresAt when it stops being accepted
     */
    public record AccessToken(String value, String username, List<String> scopes, Instant expiresAt) {

        /**
         * Tells whether the token grants something on a resource, for example "https://outlook.office.com".
         *
         * @param resource the resource (scope without its permission part)
         * @return whether any granted scope belongs to it
         */
        public boolean grants(String resource) {
            return scopes.stream().anyMatch(s -> s.toLowerCase().startsWith(resource.toLowerCase() + "/"));
        }
    }

    private final Map<String, AccessToken> tokens = new ConcurrentHashMap<>();
    private final Clock clock;

    IssuedTokens(Clock clock) {
        this.clock = clock;
    }

    /**
     * Creates an empty set of tokens without an identity platform, for an SMTP server used on its own (engine tests,
     * benchmarks).
     *
     * @return tokens issued by {@link #issueFor} only
     */
    public static IssuedTokens standalone() {
        return new IssuedTokens(Clock.systemUTC());
    }

    /**
     * Issues an access token directly, as the identity platform would after a sign-in.
     *
     * @param username the user
     * @param scope the granted scope, for example "https://outlook.office.com/SMTP.Send"
     * @param lifetime how long it is accepted
     * @return the bearer token
     */
    public String issueFor(String username, String scope, Duration lifetime) {
        return issue(username, List.of(scope), lifetime).value();
    }

    AccessToken issue(String username, List<String> scopes, Duration lifetime) {
        AccessToken token = new AccessToken(
                "fake-at-" + Randoms.token(), username, List.copyOf(scopes), clock.instant().plus(lifetime));
        tokens.put(token.value(), token);
        return token;
    }

    /**
     * Looks up a token that is still valid.
     *
     * @param value the bearer token presented
     * @return the token, or empty if unknown, revoked or expired
     */
    public Optional<AccessToken> valid(String value) {
        AccessToken token = value == null ? null : tokens.get(value);
        if (token == null || !token.expiresAt().isAfter(clock.instant())) {
            return Optional.empty();
        }
        return Optional.of(token);
    }

    /** Revokes every access token issued so far (as if the tenant revoked the user's sessions). */
    public void revokeAll() {
        tokens.clear();
    }
}
