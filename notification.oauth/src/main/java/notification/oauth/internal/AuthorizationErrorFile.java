package notification.oauth.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the last authorization error of a transport next to its token cache (owner-only), so a reload or a restart
 * still shows why the sign-in failed until a sign-in succeeds. Holds sentences for administrators, never a secret.
 */
final class AuthorizationErrorFile {

    private static final Logger LOG = LoggerFactory.getLogger(AuthorizationErrorFile.class);

    private final Path file;

    AuthorizationErrorFile(Path tokenDirectory) {
        this.file = tokenDirectory.resolve("last-authorization-error.txt");
    }

    Optional<String> load() {
        try {
            if (!Files.isRegularFile(file)) {
                return Optional.empty();
            }
            String text = Files.readString(file, StandardCharsets.UTF_8).strip();
            return text.isEmpty() ? Optional.empty() : Optional.of(text);
        } catch (IOException e) {
            LOG.warn("Cannot read {}: {}", file, e.toString());
            return Optional.empty();
        }
    }

    void save(String error) {
        try {
            Files.createDirectories(file.getParent());
            FilePermissions.writeOwnerOnly(file, error.getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            LOG.warn("Cannot record the authorization error in {}: {}", file, e.toString());
        }
    }

    void clear() {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            LOG.warn("Cannot remove {}: {}", file, e.toString());
        }
    }
}
