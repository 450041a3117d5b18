package notification.oauth.internal;

import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
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
 * that is (a small properties entry beside the tokens, in the token folder or the shared database). The authorization
 * counts only while the configuration in effect has the {@link TokenBinding} the tokens were issued for; one stored
 * before bindings existed is bound to the configuration in effect the first time it is read.
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

    /** The entry (file) name. */
    static final String FILE = "authorization.properties";
    private static final Logger LOG = LoggerFactory.getLogger(AuthorizationFile.class);

    private final TokenEntries entries;
    private final TokenBinding current;

    AuthorizationFile(TokenEntries entries, TokenBinding current) {
        this.entries = entries;
        this.current = current;
    }

    /**
     * Tells why the stored authorization does not count for the configuration in effect.
     *
     * @return a sentence naming what changed, or empty when it counts or none is stored
     * @throws IOException if the place cannot be read
     */
    Optional<String> bindingProblem() throws IOException {
        if (entries.read(FILE).isEmpty()) {
            return Optional.empty();
        }
        Optional<TokenBinding> stored = TokenBinding.load(entries);
        if (stored.isEmpty()) {
            current.save(entries);
            LOG.info("Stored tokens in {} are now bound to the configuration in effect", entries);
            return Optional.empty();
        }
        List<String> changed = stored.get().differencesFrom(current);
        return changed.isEmpty() ? Optional.empty() : Optional.of("The stored sign-in was made for another "
                + "configuration: " + String.join(", ", changed) + ". Click Authorize and sign in again.");
    }

    /**
     * Reads the authorization.
     *
     * @return it, or empty when none is stored or it does not count for the configuration in effect
     * @throws IOException if the place cannot be read
     */
    Optional<StoredAuthorization> load() throws IOException {
        Optional<byte[]> stored = entries.read(FILE);
        if (stored.isEmpty() || bindingProblem().isPresent()) {
            return Optional.empty();
        }
        try {
            Properties p = new Properties();
            p.load(new StringReader(new String(stored.get(), StandardCharsets.UTF_8)));
            String account = p.getProperty("account");
            String at = p.getProperty("authorizedAt");
            if (account == null || at == null) {
                return Optional.empty();
            }
            return Optional.of(new StoredAuthorization(new AuthorizationRecord(account, Instant.parse(at)),
                    p.getProperty("homeAccountId", ""), p.getProperty("tenantId", ""), p.getProperty("objectId", "")));
        } catch (IOException | IllegalArgumentException | DateTimeParseException e) {
            return Optional.empty();
        }
    }

    /**
     * Reads the authorization, or none when the place cannot be read (for the page, which must not fail).
     *
     * @return it, or empty
     */
    Optional<StoredAuthorization> loadOrNone() {
        try {
            return load();
        } catch (IOException e) {
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
            p.store(text, "Who authorized this transport (no secrets here; the tokens are sealed beside this)");
            current.save(entries);
            entries.write(FILE, text.toString().getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new IllegalStateException("cannot record the authorization in " + entries + ": "
                    + (entries.shared() ? e.getMessage() : e.getClass().getSimpleName()), e);
        }
    }
}
