package notification.oauth.internal;

import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.GeneralSecurityException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Optional;
import java.util.Properties;

/**
 * Keeps a Google transport's tokens in {@code google-tokens.bin}, sealed with AES-256-GCM by the folder's
 * {@link TokenKey}. They are used only while the configuration in effect has the {@link TokenBinding} they were
 * issued for (as Microsoft's are): after a change of endpoint, client or mailbox they count as no authorization until
 * a new sign-in. A file that cannot be opened, or that is bound to another configuration, counts as no authorization
 * and is reported as {@link #problem()}, never thrown.
 */
final class GoogleTokenStore {

    /**
     * What is kept.
     *
     * @param refreshToken the refresh token
     * @param accessToken the last access token, or empty
     * @param accessTokenExpiresAt when it expires
     * @param account the signed-in (verified) e-mail address
     * @param workspaceDomain the id token's {@code hd} claim (a Google Workspace account), or empty (consumer Gmail)
     */
    record Tokens(String refreshToken, String accessToken, Instant accessTokenExpiresAt, String account,
            String workspaceDomain) {

        /** @return whether the account is a Google Workspace account */
        boolean workspace() {
            return !workspaceDomain.isEmpty();
        }

        Tokens withAccess(String token, Instant expiresAt, String newRefreshToken) {
            return new Tokens(newRefreshToken == null || newRefreshToken.isBlank() ? refreshToken : newRefreshToken,
                    token, expiresAt, account, workspaceDomain);
        }

        @Override
        public String toString() {
            return "tokens of " + account;
        }
    }

    private static final byte[] MAGIC = "NGT1".getBytes(StandardCharsets.US_ASCII);
    private static final String AAD = "notification.oauth google tokens";

    private final Path file;
    private final TokenKey key;
    private final AuthorizationFile binding;
    private String problem;
    private Tokens loaded;
    private Object loadedVersion;

    /**
     * Opens the store of a token folder.
     *
     * @param directory the transport's token folder
     * @param key the folder's key
     * @param binding the authorization file, which says whether the stored sign-in fits the configuration in effect
     */
    GoogleTokenStore(Path directory, TokenKey key, AuthorizationFile binding) {
        this.file = directory.resolve("google-tokens.bin");
        this.key = key;
        this.binding = binding;
    }

    /** @return the stored tokens (read again only when the file changed), or empty */
    synchronized Optional<Tokens> load() {
        Object version = version();
        if (version == null) {
            loaded = null;
            return Optional.empty();
        }
        Optional<String> rebound = binding.bindingProblem();
        if (rebound.isPresent()) {
            problem = rebound.get();
            loaded = null;
            return Optional.empty();
        }
        if (loaded != null && version.equals(loadedVersion)) {
            return Optional.of(loaded);
        }
        try {
            Properties p = new Properties();
            p.load(new StringReader(new String(key.open(MAGIC, AAD, Files.readAllBytes(file)),
                    StandardCharsets.UTF_8)));
            problem = null;
            loaded = new Tokens(required(p, "refreshToken"), p.getProperty("accessToken", ""),
                    Instant.parse(p.getProperty("accessTokenExpiresAt", Instant.EPOCH.toString())),
                    required(p, "account"), p.getProperty("workspaceDomain", ""));
            loadedVersion = version;
            return Optional.of(loaded);
        } catch (IOException | GeneralSecurityException | DateTimeParseException | IllegalArgumentException e) {
            problem = "The stored Google authorization in " + file.getParent() + " cannot be read (the file was "
                    + "changed or damaged, or its key is missing). Click Authorize and sign in again.";
            loaded = null;
            return Optional.empty();
        }
    }

    private Object version() {
        try {
            BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
            return List.of(a.lastModifiedTime(), a.size(), String.valueOf(a.fileKey()));
        } catch (IOException e) {
            return null;
        }
    }

    synchronized void save(Tokens tokens) {
        Properties p = new Properties();
        p.setProperty("refreshToken", tokens.refreshToken());
        p.setProperty("accessToken", tokens.accessToken());
        p.setProperty("accessTokenExpiresAt", tokens.accessTokenExpiresAt().toString());
        p.setProperty("account", tokens.account());
        p.setProperty("workspaceDomain", tokens.workspaceDomain());
        try {
            StringWriter text = new StringWriter();
            p.store(text, null);
            Files.createDirectories(file.getParent());
            FilePermissions.ownerOnlyDirectory(file.getParent());
            FilePermissions.writeOwnerOnly(file, key.seal(MAGIC, AAD, text.toString()
                    .getBytes(StandardCharsets.UTF_8)));
            problem = null;
            loaded = null;
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("cannot write the Google tokens in " + file.getParent() + ": "
                    + e.getClass().getSimpleName(), e);
        }
    }

    /** @return why the stored tokens could not be used at the last read, or empty */
    synchronized Optional<String> problem() {
        return Optional.ofNullable(problem);
    }

    private static String required(Properties p, String name) {
        String value = p.getProperty(name);
        if (value == null || value.isEmpty()) {
            throw new IllegalArgumentException(name + " missing");
        }
        return value;
    }
}
