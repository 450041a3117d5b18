package notification.oauth.internal;

import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.Properties;
import notification.api.authorization.AuthorizationRecord;

/** Remembers who authorized a transport, when, and which MSAL account that is (a small 0600 properties file). */
final class AuthorizationFile {

    /**
     * A stored authorization.
     *
     * @param record who and when
     * @param homeAccountId MSAL4J's id of the account in the token cache
     */
    record StoredAuthorization(AuthorizationRecord record, String homeAccountId) {
    }

    private final Path file;

    AuthorizationFile(Path directory) {
        this.file = directory.resolve("authorization.properties");
    }

    Optional<StoredAuthorization> load() {
        if (!Files.exists(file)) {
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
                    p.getProperty("homeAccountId", "")));
        } catch (IOException | DateTimeParseException e) {
            return Optional.empty();
        }
    }

    void save(StoredAuthorization authorization) {
        Properties p = new Properties();
        p.setProperty("account", authorization.record().account());
        p.setProperty("authorizedAt", authorization.record().authorizedAt().toString());
        p.setProperty("homeAccountId", authorization.homeAccountId());
        try {
            StringWriter text = new StringWriter();
            p.store(text, "Who authorized this transport (no secrets here; tokens are in token-cache.bin)");
            FilePermissions.ownerOnlyDirectory(file.getParent());
            FilePermissions.writeOwnerOnly(file, text.toString().getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new IllegalStateException("cannot record the authorization in " + file + ": "
                    + e.getClass().getSimpleName(), e);
        }
    }
}
