package notification.oauth.internal;

import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.Optional;
import java.util.Properties;

/**
 * Keeps a Google transport's tokens in the entry {@code google-tokens.bin}, sealed with AES-256-GCM by the place's
 * {@link TokenKey} (in the token folder, or in the database all nodes share). They are used only while the
 * configuration in effect has the {@link TokenBinding} they were issued for (as Microsoft's are): after a change of
 * endpoint, client or mailbox they count as no authorization until a new sign-in. A file that cannot be opened, or that
 * is bound to another configuration, counts as no authorization and is reported as {@link #problem()}, never thrown.
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

    private final TokenEntries entries;
    private final AuthorizationFile binding;
    private String problem;
    private Tokens loaded;
    private byte[] loadedFrom;

    /**
     * Opens the store.
     *
     * @param entries where the transport keeps its sign-in
     * @param binding the authorization file, which says whether the stored sign-in fits the configuration in effect
     */
    GoogleTokenStore(TokenEntries entries, AuthorizationFile binding) {
        this.entries = entries;
        this.binding = binding;
    }

    /**
     * Reads the stored tokens (opened again only when they changed).
     *
     * @return them, or empty when none are stored or they cannot be used ({@link #problem()})
     * @throws IOException if the place cannot be read (the database is down)
     */
    synchronized Optional<Tokens> load() throws IOException {
        Optional<byte[]> sealed = entries.read(TokenEntries.Sealed.GOOGLE_TOKENS.name());
        if (sealed.isEmpty()) {
            loaded = null;
            return Optional.empty();
        }
        Optional<String> rebound = binding.bindingProblem();
        if (rebound.isPresent()) {
            problem = rebound.get();
            loaded = null;
            return Optional.empty();
        }
        if (loaded != null && Arrays.equals(sealed.get(), loadedFrom)) {
            return Optional.of(loaded);
        }
        try {
            Properties p = new Properties();
            p.load(new StringReader(new String(entries.open(TokenEntries.Sealed.GOOGLE_TOKENS).orElseThrow(),
                    StandardCharsets.UTF_8)));
            problem = null;
            loaded = new Tokens(required(p, "refreshToken"), p.getProperty("accessToken", ""),
                    Instant.parse(p.getProperty("accessTokenExpiresAt", Instant.EPOCH.toString())),
                    required(p, "account"), p.getProperty("workspaceDomain", ""));
            loadedFrom = sealed.get();
            return Optional.of(loaded);
        } catch (GeneralSecurityException | DateTimeParseException | IllegalArgumentException
                | java.util.NoSuchElementException e) {
            problem = entries.unreadable("Google authorization");
            loaded = null;
            return Optional.empty();
        }
    }

    /**
     * Reads the stored tokens, or none when the place cannot be read (for limits and the page, which must not fail).
     *
     * @return them, or empty
     */
    Optional<Tokens> loadOrNone() {
        try {
            return load();
        } catch (IOException e) {
            return Optional.empty();
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
            entries.seal(TokenEntries.Sealed.GOOGLE_TOKENS, text.toString().getBytes(StandardCharsets.UTF_8));
            problem = null;
            loaded = null;
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("cannot store the Google tokens in " + entries + ": "
                    + (e instanceof IOException && entries.shared() ? e.getMessage() : e.getClass().getSimpleName()),
                    e);
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
