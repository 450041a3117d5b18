package notification.oauth.internal;

import com.microsoft.aad.msal4j.ITokenCacheAccessAspect;
import com.microsoft.aad.msal4j.ITokenCacheAccessContext;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Optional;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Persists MSAL4J's token cache (refresh and access tokens) encrypted with AES-256-GCM. The key lives in a separate
 * file; both files are mode 0600. A cache that cannot be decrypted (changed, damaged, key lost) is treated as empty
 * and reported as {@link #problem()}, never thrown.
 */
final class EncryptedTokenCache implements ITokenCacheAccessAspect {

    private static final byte[] MAGIC = "NTC1".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] AAD = "notification.oauth token cache".getBytes(StandardCharsets.US_ASCII);
    private static final int IV_BYTES = 12;
    private static final String EMPTY_CACHE = "{}";

    private final Path cacheFile;
    private final Path keyFile;
    private final SecureRandom random = new SecureRandom();
    private String problem;

    EncryptedTokenCache(Path directory) {
        this.cacheFile = directory.resolve("token-cache.bin");
        this.keyFile = directory.resolve("token-cache.key");
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
            byte[] stored = Files.readAllBytes(cacheFile);
            if (!Files.exists(keyFile)) {
                throw new GeneralSecurityException("key file missing");
            }
            if (stored.length < MAGIC.length + IV_BYTES + 16
                    || !Arrays.equals(Arrays.copyOf(stored, MAGIC.length), MAGIC)) {
                throw new GeneralSecurityException("not a token cache file");
            }
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, key(), new GCMParameterSpec(128, stored, MAGIC.length, IV_BYTES));
            cipher.updateAAD(AAD);
            int offset = MAGIC.length + IV_BYTES;
            String json = new String(cipher.doFinal(stored, offset, stored.length - offset), StandardCharsets.UTF_8);
            problem = null;
            return Optional.of(json);
        } catch (IOException | GeneralSecurityException | RuntimeException e) {
            problem = "The stored authorization in " + cacheFile.getParent() + " cannot be read (the file was "
                    + "changed, damaged, or its key is missing). Click Authorize and sign in again.";
            return Optional.empty();
        }
    }

    private void write(String serializedCache) {
        try {
            Files.createDirectories(cacheFile.getParent());
            FilePermissions.ownerOnlyDirectory(cacheFile.getParent());
            byte[] iv = new byte[IV_BYTES];
            random.nextBytes(iv);
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, key(), new GCMParameterSpec(128, iv));
            cipher.updateAAD(AAD);
            byte[] encrypted = cipher.doFinal(serializedCache.getBytes(StandardCharsets.UTF_8));
            ByteBuffer out = ByteBuffer.allocate(MAGIC.length + iv.length + encrypted.length);
            out.put(MAGIC).put(iv).put(encrypted);
            FilePermissions.writeOwnerOnly(cacheFile, out.array());
            problem = null;
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("cannot write the token cache in " + cacheFile.getParent() + ": "
                    + e.getClass().getSimpleName(), e);
        }
    }

    private SecretKeySpec key() throws IOException {
        if (!Files.exists(keyFile)) {
            byte[] key = new byte[32];
            random.nextBytes(key);
            Files.createDirectories(keyFile.getParent());
            FilePermissions.writeOwnerOnly(keyFile, key);
        }
        byte[] key = Files.readAllBytes(keyFile);
        if (key.length != 32) {
            throw new IOException("key file has the wrong length");
        }
        return new SecretKeySpec(key, "AES");
    }
}
