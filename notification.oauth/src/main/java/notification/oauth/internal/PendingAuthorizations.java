package notification.oauth.internal;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import notification.api.authorization.AuthorizationException;
import notification.api.authorization.AuthorizationException.Reason;

/**
 * Authorizations begun and not yet completed: a single-use state bound to the browser that began it, with its PKCE
 * verifier and nonce, accepted for 10 minutes.
 */
final class PendingAuthorizations {

    static final Duration LIFETIME = Duration.ofMinutes(10);

    /**
     * One begun authorization.
     *
     * @param state the state
     * @param verifier the PKCE code verifier
     * @param challenge its S256 challenge
     * @param nonce the nonce expected in the id_token
     * @param expiresAt when the state stops being accepted
     */
    record Pending(String state, String verifier, String challenge, String nonce, Instant expiresAt,
            byte[] bindingHash) {
    }

    private final Map<String, Pending> pending = new ConcurrentHashMap<>();
    private final SecureRandom random = new SecureRandom();
    private final Clock clock;

    PendingAuthorizations(Clock clock) {
        this.clock = clock;
    }

    Pending begin(String browserBinding) {
        Instant now = clock.instant();
        pending.values().removeIf(p -> !p.expiresAt().isAfter(now));
        String verifier = randomToken(48);
        Pending p = new Pending(randomToken(32), verifier, sha256Base64Url(verifier), randomToken(24),
                now.plus(LIFETIME), hash(browserBinding));
        pending.put(p.state(), p);
        return p;
    }

    boolean recognizes(String state) {
        Pending p = state == null ? null : pending.get(state);
        return p != null && p.expiresAt().isAfter(clock.instant());
    }

    /**
     * Takes a state out (it is single-use whatever the outcome) and checks it.
     *
     * @param state the callback's state
     * @param browserBinding the callback browser's binding
     * @return the pending authorization
     * @throws AuthorizationException INVALID_STATE if unknown, used, expired or from another browser
     */
    Pending take(String state, String browserBinding) throws AuthorizationException {
        Pending p = state == null ? null : pending.remove(state);
        if (p == null) {
            throw new AuthorizationException(Reason.INVALID_STATE, "This sign-in is unknown or was already "
                    + "completed. Start again with Authorize.");
        }
        if (!p.expiresAt().isAfter(clock.instant())) {
            throw new AuthorizationException(Reason.INVALID_STATE, "This sign-in took longer than "
                    + LIFETIME.toMinutes() + " minutes and has expired. Start again with Authorize.");
        }
        if (!MessageDigest.isEqual(p.bindingHash(), hash(browserBinding))) {
            throw new AuthorizationException(Reason.INVALID_STATE, "This sign-in was started in another browser "
                    + "session. Start again with Authorize in this browser.");
        }
        return p;
    }

    private String randomToken(int bytes) {
        byte[] b = new byte[bytes];
        random.nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    static String sha256Base64Url(String value) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(hash(value));
    }

    private static byte[] hash(String value) {
        try {
            return MessageDigest.getInstance("SHA-256")
                    .digest(String.valueOf(value).getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
