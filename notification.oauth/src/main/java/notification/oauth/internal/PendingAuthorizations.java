package notification.oauth.internal;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import notification.api.authorization.AuthorizationException;
import notification.api.authorization.AuthorizationException.Reason;

/**
 * Authorizations begun and not yet completed: a single-use state bound to the browser that began it, with its PKCE
 * verifier and nonce, accepted for 10 minutes. States are recognised by their hash in memory, without decrypting. Kept in a file ({@link PendingFile}), so a sign-in survives the
 * component being re-activated or the server restarting, but only for the client, tenant and mailbox it began for.
 */
final class PendingAuthorizations {

    static final Duration LIFETIME = Duration.ofMinutes(10);

    /**
     * One begun authorization.
     *
     * @param state the state
     * @param verifier the PKCE code verifier
     * @param challenge its S256 challenge (empty once read back from the file)
     * @param nonce the nonce expected in the id_token
     * @param expiresAt when the state stops being accepted
     * @param bindingHash SHA-256 of the browser binding
     * @param redirectUri the redirect URI the authorize request named (the code must be redeemed with it)
     * @param target the client, tenant and mailbox it was begun for
     */
    record Pending(String state, String verifier, String challenge, String nonce, Instant expiresAt,
            byte[] bindingHash, String redirectUri, SignInTarget target) {
    }

    private final PendingFile file;
    private final SecureRandom random = new SecureRandom();
    private final Clock clock;
    /** When each stored state (by its hash) expires: answers {@link #recognizes} without the file or the key. */
    private final Map<String, Instant> index = new ConcurrentHashMap<>();

    PendingAuthorizations(PendingFile file, Clock clock) {
        this.file = file;
        this.clock = clock;
        index.putAll(file.expiries());
    }

    /**
     * Begins an authorization and stores it.
     *
     * @param browserBinding what identifies the admin's browser session
     * @param redirectUri the redirect URI of the authorize request
     * @param target the configuration it is begun for
     * @return the new authorization
     * @throws AuthorizationException NOT_CONFIGURED if it cannot be stored
     */
    synchronized Pending begin(String browserBinding, String redirectUri, SignInTarget target)
            throws AuthorizationException {
        Instant now = clock.instant();
        String verifier = randomToken(48);
        Pending p = new Pending(randomToken(32), verifier, sha256Base64Url(verifier), randomToken(24),
                now.plus(LIFETIME), hash(browserBinding), redirectUri, target);
        Map<String, Pending> all = file.load(now);
        all.put(sha256Base64Url(p.state()), p);
        file.save(all);
        index.keySet().retainAll(all.keySet());
        index.put(sha256Base64Url(p.state()), p.expiresAt());
        return p;
    }

    /**
     * Tells whether a state was issued here and is still pending: a hash and a look-up in memory, never the file or
     * the key, and not under the lock that a sign-in's completion holds, so unknown states cost next to nothing.
     *
     * @param state the callback's state
     * @return whether it is pending and not expired
     */
    boolean recognizes(String state) {
        if (state == null || state.isEmpty() || state.length() > 512) {
            return false;
        }
        Instant expires = index.get(sha256Base64Url(state));
        return expires != null && expires.isAfter(clock.instant());
    }

    /**
     * Takes a state out and checks it. A state presented by another browser is refused and left for the browser that
     * began it; otherwise it is single-use whatever the outcome.
     *
     * @param state the callback's state
     * @param browserBinding the callback browser's binding
     * @param current the configuration in force now
     * @return the pending authorization
     * @throws AuthorizationException INVALID_STATE if unknown, used, expired, from another browser or begun for
     *         another client, tenant or mailbox
     */
    synchronized Pending take(String state, String browserBinding, SignInTarget current)
            throws AuthorizationException {
        if (!index.containsKey(state == null ? "" : sha256Base64Url(state))) {
            throw new AuthorizationException(Reason.INVALID_STATE, "This sign-in is unknown or was already "
                    + "completed. Start again with Authorize.");
        }
        Map<String, Pending> all = file.loadAll();
        String id = sha256Base64Url(state);
        Pending p = all.get(id);
        if (p != null && p.expiresAt().isAfter(clock.instant())
                && !MessageDigest.isEqual(p.bindingHash(), hash(browserBinding))) {
            throw new AuthorizationException(Reason.INVALID_STATE, "This sign-in was started in another browser "
                    + "session. Start again with Authorize in this browser.");
        }
        all.remove(id);
        all.values().removeIf(other -> !other.expiresAt().isAfter(clock.instant()));
        file.save(all);
        index.keySet().retainAll(all.keySet());
        if (p == null) {
            throw new AuthorizationException(Reason.INVALID_STATE, "This sign-in is unknown or was already "
                    + "completed. Start again with Authorize.");
        }
        if (!p.expiresAt().isAfter(clock.instant())) {
            throw new AuthorizationException(Reason.INVALID_STATE, "This sign-in took longer than "
                    + LIFETIME.toMinutes() + " minutes and has expired. Start again with Authorize.");
        }
        List<String> changed = p.target().differencesFrom(current);
        if (!changed.isEmpty()) {
            throw new AuthorizationException(Reason.INVALID_STATE, "This sign-in was started for another "
                    + "configuration: " + String.join(", ", changed) + ". Nothing was stored. Start again with "
                    + "Authorize.");
        }
        if (p.verifier() == null) {
            throw new AuthorizationException(Reason.INVALID_STATE, "This sign-in's stored PKCE verifier cannot be "
                    + "read (its key changed). Start again with Authorize.");
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

    static byte[] hash(String value) {
        try {
            return MessageDigest.getInstance("SHA-256")
                    .digest(String.valueOf(value).getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
