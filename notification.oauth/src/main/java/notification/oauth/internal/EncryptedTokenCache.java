package notification.oauth.internal;

import com.microsoft.aad.msal4j.ITokenCacheAccessAspect;
import com.microsoft.aad.msal4j.ITokenCacheAccessContext;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.util.Optional;

/**
 * Persists MSAL4J's token cache (refresh and access tokens) encrypted with AES-256-GCM. The key lives in a separate
 * file; both files are mode 0600. A cache that cannot be decrypted (changed, damaged, key lost) is treated as empty
 * and reported as {@link #problem()}, never thrown.
 */
final class EncryptedTokenCache implements ITokenCacheAccessAspect {

    private static final byte[] MAGIC = "NTC1".getBytes(StandardCharsets.US_ASCII);
    private static final String AAD = "notification.oauth token cache";
    private static final String EMPTY_CACHE = "{}";

    private final Path cacheFile;
    private final TokenKey key;
    private String problem;

    EncryptedTokenCache(Path directory, TokenKey key) {
        this.cacheFile = directory.resolve("token-cache.bin");
        this.key = key;
    }

    @Override
    public synchronized void beforeCacheAccess(ITokenCacheAccessContext context) {
        context.tokenCache().deserialize(read().orElse(EMPTY_CACHE));
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

    /** @return whether a cache file exists */
    boolean exists() {
        return Files.exists(cacheFile);
    }

    synchronized Optional<String> read() {
        if (!Files.exists(cacheFile)) {
            return Optional.empty();
        }
        try {
            byte[] plain = key.open(MAGIC, AAD, Files.readAllBytes(cacheFile));
            problem = null;
            return Optional.of(new String(plain, StandardCharsets.UTF_8));
        } catch (IOException | GeneralSecurityException | RuntimeException e) {
            problem = "The stored authorization in " + cacheFile.getParent() + " cannot be read (the file was "
                    + "changed, damaged, or its key is missing). Click Authorize and sign in again.";
            return Optional.empty();
        }
    }

    private void write(String serializedCache) {
        try {
            FilePermissions.ownerOnlyDirectory(cacheFile.getParent());
            FilePermissions.writeOwnerOnly(cacheFile,
                    key.seal(MAGIC, AAD, serializedCache.getBytes(StandardCharsets.UTF_8)));
            problem = null;
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("cannot write the token cache in " + cacheFile.getParent() + ": "
                    + e.getClass().getSimpleName(), e);
        }
    }
}
