package notification.oauth.internal;

import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import notification.api.authorization.AuthorizationException;
import notification.api.authorization.AuthorizationException.Reason;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The file {@code pending} (mode 0600) beside the token cache that keeps begun sign-ins across re-activations and
 * restarts. Entries are keyed by the SHA-256 of their state; the PKCE verifier is sealed with the token cache's key.
 */
final class PendingFile {

    private static final Logger LOG = LoggerFactory.getLogger(PendingFile.class);
    private static final byte[] MAGIC = "NPV1".getBytes(StandardCharsets.US_ASCII);
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder UNB64 = Base64.getUrlDecoder();

    private final Path file;
    private final TokenKey key;

    PendingFile(Path directory, TokenKey key) {
        this.file = directory.resolve("pending");
        this.key = key;
    }

    /** @return the file's path */
    Path path() {
        return file;
    }

    /**
     * Reads the sign-ins that have not expired.
     *
     * @param now the current time
     * @return the entries by state hash (a modifiable copy)
     */
    Map<String, PendingAuthorizations.Pending> load(Instant now) {
        Map<String, PendingAuthorizations.Pending> all = loadAll();
        all.values().removeIf(p -> !p.expiresAt().isAfter(now));
        return all;
    }

    /**
     * Reads when each stored sign-in expires, by state hash, without decrypting anything.
     *
     * @return the expiry of each entry
     */
    Map<String, Instant> expiries() {
        Map<String, Instant> found = new HashMap<>();
        Properties p = read();
        for (String name : p.stringPropertyNames()) {
            if (name.endsWith(".expiresAt")) {
                try {
                    found.put(name.substring(0, name.length() - ".expiresAt".length()),
                            Instant.parse(p.getProperty(name)));
                } catch (RuntimeException e) {
                    // an incomplete entry; loadAll reports it
                }
            }
        }
        return found;
    }

    private Properties read() {
        Properties p = new Properties();
        if (Files.exists(file)) {
            try {
                p.load(new StringReader(Files.readString(file, StandardCharsets.UTF_8)));
            } catch (IOException | IllegalArgumentException e) {
                LOG.warn("Begun sign-ins in {} cannot be read ({}); they must be started again", file,
                        e.getClass().getSimpleName());
                return new Properties();
            }
        }
        return p;
    }

    /** @return every stored entry by state hash, expired ones included (a modifiable copy) */
    Map<String, PendingAuthorizations.Pending> loadAll() {
        Map<String, PendingAuthorizations.Pending> found = new HashMap<>();
        Properties p = read();
        for (String name : p.stringPropertyNames()) {
            if (name.endsWith(".expiresAt")) {
                String id = name.substring(0, name.length() - ".expiresAt".length());
                try {
                    found.put(id, entry(id, p));
                } catch (RuntimeException e) {
                    LOG.warn("A begun sign-in in {} is incomplete and was ignored", file);
                }
            }
        }
        return found;
    }

    /**
     * Replaces the stored entries; deletes the file when none is left.
     *
     * @param entries the entries by state hash
     * @throws AuthorizationException NOT_CONFIGURED if the data folder cannot be written
     */
    void save(Map<String, PendingAuthorizations.Pending> entries) throws AuthorizationException {
        try {
            if (entries.isEmpty()) {
                Files.deleteIfExists(file);
                return;
            }
            Properties p = new Properties();
            for (Map.Entry<String, PendingAuthorizations.Pending> e : entries.entrySet()) {
                put(p, e.getKey(), e.getValue());
            }
            StringWriter text = new StringWriter();
            p.store(text, "Sign-ins begun and not yet completed (single-use, 10 minutes; PKCE verifiers encrypted)");
            FilePermissions.ownerOnlyDirectory(file.getParent());
            FilePermissions.writeOwnerOnly(file, text.toString().getBytes(StandardCharsets.UTF_8));
        } catch (IOException | GeneralSecurityException e) {
            throw new AuthorizationException(Reason.NOT_CONFIGURED, "The sign-in cannot be kept in " + file
                    + " (" + e.getClass().getSimpleName() + "): check that the data folder is writable.");
        }
    }

    private void put(Properties p, String id, PendingAuthorizations.Pending e)
            throws IOException, GeneralSecurityException {
        p.setProperty(id + ".verifier", B64.encodeToString(key.seal(MAGIC, context(id),
                e.verifier().getBytes(StandardCharsets.US_ASCII))));
        p.setProperty(id + ".nonce", e.nonce());
        p.setProperty(id + ".binding", B64.encodeToString(e.bindingHash()));
        p.setProperty(id + ".expiresAt", e.expiresAt().toString());
        p.setProperty(id + ".redirectUri", e.redirectUri());
        p.setProperty(id + ".clientId", e.target().clientId());
        p.setProperty(id + ".authority", e.target().authority());
        p.setProperty(id + ".username", e.target().username());
    }

    private PendingAuthorizations.Pending entry(String id, Properties p) {
        String verifier;
        try {
            verifier = new String(key.open(MAGIC, context(id), UNB64.decode(required(p, id, "verifier"))),
                    StandardCharsets.US_ASCII);
        } catch (IOException | GeneralSecurityException e) {
            verifier = null; // reported when the sign-in is completed
        }
        SignInTarget target = new SignInTarget(required(p, id, "clientId"), required(p, id, "authority"),
                required(p, id, "username"));
        return new PendingAuthorizations.Pending("", verifier, "", required(p, id, "nonce"),
                Instant.parse(required(p, id, "expiresAt")), UNB64.decode(required(p, id, "binding")),
                required(p, id, "redirectUri"), target);
    }

    private static String required(Properties p, String id, String field) {
        String value = p.getProperty(id + "." + field);
        if (value == null) {
            throw new IllegalArgumentException(field + " missing");
        }
        return value;
    }

    private static String context(String id) {
        return "notification.oauth pending sign-in " + id;
    }
}
