package notification.oauth.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.Locale;
import java.util.Optional;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * An AES-256-GCM key and sealing with it: a 4-byte magic, a random 12-byte IV, then ciphertext and tag, bound to a
 * context string. The key is either a transport's token folder's own ({@code token-cache.key}, mode 0600, made on
 * first use) or the administrator's {@code tokenKey}, given to every node, for the sign-in shared in the database.
 */
final class TokenKey {

    private static final int IV_BYTES = 12;
    private static final int TAG_BITS = 128;
    private static final int KEY_BYTES = 32;

    private final Path keyFile;
    private final SecretKeySpec given;
    private final String scope;
    private final SecureRandom random = new SecureRandom();

    /**
     * The key of a token folder.
     *
     * @param directory the folder holding (or to hold) {@code token-cache.key}
     */
    TokenKey(Path directory) {
        this.keyFile = directory.resolve("token-cache.key");
        this.given = null;
        this.scope = "";
    }

    private TokenKey(byte[] key, String scope) {
        this.keyFile = null;
        this.given = new SecretKeySpec(key, "AES");
        this.scope = scope;
    }

    /**
     * The key the administrator gave every node ({@code tokenKey}), sealing only for one transport: its name is part
     * of every context, so a row cannot be moved to another transport.
     *
     * @param base64 the key as {@code openssl rand -base64 32} prints it
     * @param transportName the transport whose sign-in it seals
     * @return the key
     * @throws IllegalArgumentException if the value is not 32 bytes in base64, saying so without showing it
     */
    static TokenKey shared(String base64, String transportName) {
        byte[] key;
        try {
            key = Base64.getDecoder().decode(base64.replaceAll("\\s", ""));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("tokenKey is not base64: make one with openssl rand -base64 32 and "
                    + "give every node the same");
        }
        if (key.length != KEY_BYTES) {
            throw new IllegalArgumentException("tokenKey decodes to " + key.length + " bytes, not " + KEY_BYTES
                    + ": make one with openssl rand -base64 32 and give every node the same");
        }
        return new TokenKey(key, " of transport " + transportName.toLowerCase(Locale.ROOT));
    }

    /**
     * Checks a configured {@code tokenKey} without showing it.
     *
     * @param configured the value in effect (empty: none)
     * @return what is wrong with it, or empty
     */
    static Optional<String> problem(String configured) {
        if (configured.isEmpty()) {
            return Optional.empty();
        }
        if (configured.startsWith("$[")) {
            return Optional.of("tokenKey was not resolved: the placeholder " + configured.replaceAll("[:].*", ":...]")
                    + " names a secret that does not exist");
        }
        try {
            shared(configured, "");
            return Optional.empty();
        } catch (IllegalArgumentException e) {
            return Optional.of(e.getMessage());
        }
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
        cipher.updateAAD((context + scope).getBytes(StandardCharsets.UTF_8));
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
        cipher.updateAAD((context + scope).getBytes(StandardCharsets.UTF_8));
        int offset = magic.length + IV_BYTES;
        return cipher.doFinal(sealed, offset, sealed.length - offset);
    }

    private SecretKeySpec key(boolean create) throws IOException {
        if (given != null) {
            return given;
        }
        if (!Files.exists(keyFile)) {
            if (!create) {
                throw new IOException("key file missing");
            }
            byte[] key = new byte[KEY_BYTES];
            random.nextBytes(key);
            FilePermissions.ownerOnlyDirectory(keyFile.getParent());
            FilePermissions.writeOwnerOnly(keyFile, key);
        }
        byte[] key = Files.readAllBytes(keyFile);
        if (key.length != KEY_BYTES) {
            throw new IOException("key file has the wrong length");
        }
        return new SecretKeySpec(key, "AES");
    }
}
