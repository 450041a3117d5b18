package notification.oauth.internal;

import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import notification.api.authorization.AuthorizationRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Remembers who authorized a transport, when, and which MSAL account, tenant ({@code tid}) and object ({@code oid})
 * that is (a small 0600 properties file). The authorization counts only while the configuration in effect has the
 * {@link TokenBinding} the tokens were issued for; one stored before bindings existed is bound to the configuration
 * in effect the first time it is read.
 */
final class AuthorizationFile {

    /**
     * A stored authorization.
     *
     * @param record who and when
     * @param homeAccountId MSAL4J's id of the account in the token cache
     * @param tenantId the tenant the account signed in to ({@code tid}), or empty
     * @param objectId the account's object id ({@code oid}), or empty
     */
    record StoredAuthorization(AuthorizationRecord record, String homeAccountId, String tenantId, String objectId) {
    }

    private static final Logger LOG = LoggerFactory.getLogger(AuthorizationFile.class);

    private final Path file;
    private final TokenBinding current;

    AuthorizationFile(Path directory, TokenBinding current) {
        this.file = directory.resolve("authorization.properties");
        this.current = current;
    }

    /**
     * Tells why the stored authorization does not count for the configuration in effect.
     *
     * @return a sentence naming what changed, or empty when it counts or none is stored
     */
    Optional<String> bindingProblem() {
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        Optional<TokenBinding> stored = TokenBinding.load(file.getParent());
        if (stored.isEmpty()) {
            current.save(file.getParent());
            LOG.info("Stored tokens in {} are now bound to the configuration in effect", file.getParent());
            return Optional.empty();
        }
        List<String> changed = stored.get().differencesFrom(current);
        return changed.isEmpty() ? Optional.empty() : Optional.of("The stored sign-in was made for another "
                + "configuration: " + String.join(", ", changed) + ". Click Authorize and sign in again.");
    }

    Optional<StoredAuthorization> load() {
        if (!Files.exists(file) || bindingProblem().isPresent()) {
            return Optional.empty();
        }
        try {
            Properties p = new Properties();
            p.load(new StringReader(Files.readString(file, StandardCharsets.UTF_8)));
            String account = p.getProperty("account");
            String at = p.getProperty("authorizedAt");
            if (account == null || at == null) {
                return Optional.empty();
            }
            return Optional.of(new StoredAuthorization(new AuthorizationRecord(account, Instant.parse(at)),
                    p.getProperty("homeAccountId", ""), p.getProperty("tenantId", ""), p.getProperty("objectId", "")));
        } catch (IOException | DateTimeParseException e) {
            return Optional.empty();
        }
    }

    void save(StoredAuthorization authorization) {
        Properties p = new Properties();
        p.setProperty("account", authorization.record().account());
        p.setProperty("authorizedAt", authorization.record().authorizedAt().toString());
        p.setProperty("homeAccountId", authorization.homeAccountId());
        p.setProperty("tenantId", authorization.tenantId());
        p.setProperty("objectId", authorization.objectId());
        try {
            StringWriter text = new StringWriter();
            p.store(text, "Who authorized this transport (no secrets here; tokens are in token-cache.bin)");
            FilePermissions.ownerOnlyDirectory(file.getParent());
            current.save(file.getParent());
            FilePermissions.writeOwnerOnly(file, text.toString().getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new IllegalStateException("cannot record the authorization in " + file + ": "
                    + e.getClass().getSimpleName(), e);
        }
    }
}
