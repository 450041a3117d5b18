package notification.oauth.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * The AES-256-GCM key of one transport's token folder ({@code token-cache.key}, mode 0600, made on first use), and
 * sealing with it: a 4-byte magic, a random 12-byte IV, then ciphertext and tag, bound to a context string.
 */
final class TokenKey {

    private static final int IV_BYTES = 12;
    private static final int TAG_BITS = 128;

    private final Path keyFile;
    private final SecureRandom random = new SecureRandom();

    TokenKey(Path directory) {
        this.keyFile = directory.resolve("token-cache.key");
    }

    /**
     * Encrypts a value.
     *
     * @param magic 4 bytes naming the kind of content
     * @param context what the value is for (authenticated, not stored)
     * @param plain the value
     * @return the sealed bytes
     * @throws IOException if the key cannot be read or made
     * @throws GeneralSecurityException if the platform lacks AES-GCM
     */
    synchronized byte[] seal(byte[] magic, String context, byte[] plain) throws IOException, GeneralSecurityException {
        byte[] iv = new byte[IV_BYTES];
        random.nextBytes(iv);
        Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
        cipher.init(Cipher.ENCRYPT_MODE, key(true), new GCMParameterSpec(TAG_BITS, iv));
        cipher.updateAAD(context.getBytes(StandardCharsets.UTF_8));
        byte[] encrypted = cipher.doFinal(plain);
        return ByteBuffer.allocate(magic.length + iv.length + encrypted.length).put(magic).put(iv).put(encrypted)
                .array();
    }

    /**
     * Decrypts what {@link #seal} made.
     *
     * @param magic the expected magic
     * @param context the context it was sealed for
     * @param sealed the sealed bytes
     * @return the value
     * @throws IOException if the key is missing or unreadable
     * @throws GeneralSecurityException if the bytes were changed, sealed for another context or with another key
     */
    synchronized byte[] open(byte[] magic, String context, byte[] sealed) throws IOException, GeneralSecurityException {
        if (sealed.length < magic.length + IV_BYTES + TAG_BITS / 8
                || !Arrays.equals(Arrays.copyOf(sealed, magic.length), magic)) {
            throw new GeneralSecurityException("not sealed content of this kind");
        }
        Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
        cipher.init(Cipher.DECRYPT_MODE, key(false), new GCMParameterSpec(TAG_BITS, sealed, magic.length, IV_BYTES));
        cipher.updateAAD(context.getBytes(StandardCharsets.UTF_8));
        int offset = magic.length + IV_BYTES;
        return cipher.doFinal(sealed, offset, sealed.length - offset);
    }

    private SecretKeySpec key(boolean create) throws IOException {
        if (!Files.exists(keyFile)) {
            if (!create) {
                throw new IOException("key file missing");
            }
            byte[] key = new byte[32];
            random.nextBytes(key);
            FilePermissions.ownerOnlyDirectory(keyFile.getParent());
            FilePermissions.writeOwnerOnly(keyFile, key);
        }
        byte[] key = Files.readAllBytes(keyFile);
        if (key.length != 32) {
            throw new IOException("key file has the wrong length");
        }
        return new SecretKeySpec(key, "AES");
    }
}
