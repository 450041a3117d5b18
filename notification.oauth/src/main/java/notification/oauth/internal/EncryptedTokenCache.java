package notification.oauth.internal;

import com.microsoft.aad.msal4j.ITokenCacheAccessAspect;
import com.microsoft.aad.msal4j.ITokenCacheAccessContext;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Optional;

/**
 * Persists MSAL4J's token cache (refresh and access tokens) sealed with AES-256-GCM, where the transport keeps its
 * sign-in ({@link TokenEntries}: this node's folder, or the database all nodes share). It is read before every
 * access, so a node sees what another one stored. A cache that cannot be opened (changed, damaged, another key) is
 * treated as empty and reported as {@link #problem()}, never thrown; a place that cannot be read at all (the database
 * is down) fails the access with the reason.
 */
final class EncryptedTokenCache implements ITokenCacheAccessAspect {

    private static final String EMPTY_CACHE = "{}";

    private final TokenEntries entries;
    private String problem;

    EncryptedTokenCache(TokenEntries entries) {
        this.entries = entries;
    }

    @Override
    public synchronized void beforeCacheAccess(ITokenCacheAccessContext context) {
        try {
            context.tokenCache().deserialize(read().orElse(EMPTY_CACHE));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public synchronized void afterCacheAccess(ITokenCacheAccessContext context) {
        if (context.hasCacheChanged()) {
            write(context.tokenCache().serialize());
        }
    }

    /**
     * Replaces the stored cache, for example with the cache of a just-completed authorization.
     *
     * @param serializedCache MSAL4J's serialized cache
     */
    synchronized void replace(String serializedCache) {
        write(serializedCache);
    }

    /** @return why the stored cache could not be used at the last read, or empty */
    synchronized Optional<String> problem() {
        return Optional.ofNullable(problem);
    }

    /**
     * Reads the stored cache.
     *
     * @return MSAL4J's serialized cache, or empty when none is stored or it cannot be opened ({@link #problem()})
     * @throws IOException if the place cannot be read
     */
    synchronized Optional<String> read() throws IOException {
        try {
            Optional<byte[]> plain = entries.open(TokenEntries.Sealed.MSAL_CACHE);
            problem = null;
            return plain.map(p -> new String(p, StandardCharsets.UTF_8));
        } catch (GeneralSecurityException | RuntimeException e) {
            problem = entries.unreadable("authorization");
            return Optional.empty();
        }
    }

    private void write(String serializedCache) {
        try {
            entries.seal(TokenEntries.Sealed.MSAL_CACHE, serializedCache.getBytes(StandardCharsets.UTF_8));
            problem = null;
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("cannot store the token cache in " + entries + ": "
                    + (e instanceof IOException && entries.shared() ? e.getMessage() : e.getClass().getSimpleName()),
                    e);
        }
    }
}
