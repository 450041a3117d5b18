package notification.oauth.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Optional;

/**
 * Where a transport's sign-in is kept, entry by entry (the token cache, who authorized, what for): this node's token
 * folder ({@link TokenFolder}) or the database all nodes share ({@link SharedTokens}). Secret entries are sealed with
 * the place's {@link TokenKey}.
 */
interface TokenEntries {

    /**
     * An entry kept sealed.
     *
     * @param name the entry's (file) name
     * @param magic 4 bytes naming its kind
     * @param context what it is for, authenticated with it
     */
    record Sealed(String name, byte[] magic, String context) {
        /** MSAL4J's serialized token cache of a Microsoft 365 transport. */
        static final Sealed MSAL_CACHE = new Sealed("token-cache.bin", "NTC1".getBytes(StandardCharsets.US_ASCII),
                "notification.oauth token cache");
        /** A Google transport's refresh and access tokens. */
        static final Sealed GOOGLE_TOKENS = new Sealed("google-tokens.bin",
                "NGT1".getBytes(StandardCharsets.US_ASCII), "notification.oauth google tokens");
    }

    /**
     * Work done while no other node changes the sign-in.
     *
     * @param <T> its result
     * @param <E> what it throws
     */
    @FunctionalInterface
    interface Work<T, E extends Exception> {
        T run() throws E;
    }

    /**
     * Reads an entry.
     *
     * @param entry its name
     * @return its bytes, or empty when there is none
     * @throws IOException if the place cannot be read (the message says why, without secrets)
     */
    Optional<byte[]> read(String entry) throws IOException;

    /**
     * Replaces an entry.
     *
     * @param entry its name
     * @param content its bytes
     * @throws IOException if the place cannot be written
     */
    void write(String entry, byte[] content) throws IOException;

    /** @return the key sealed entries are kept with */
    TokenKey key();

    /**
     * Runs work that reads, refreshes and writes the sign-in, so that two nodes never redeem the same (rotating)
     * refresh token: the second one waits and then reads what the first one stored.
     *
     * @param work the work
     * @return its result
     * @throws E what the work throws
     * @throws TokenUnavailableException if the place cannot be locked (the database cannot be reached)
     */
    <T, E extends Exception> T exclusive(Work<T, E> work) throws E, TokenUnavailableException;

    /**
     * Says why a sealed entry cannot be opened, and what to do.
     *
     * @param what what it holds, e.g. "authorization" or "Google authorization"
     * @return the sentence
     */
    String unreadable(String what);

    /** @return whether all nodes share this place */
    boolean shared();

    /** @return a warning for the page about where the sign-in is kept, or empty */
    default Optional<String> notice() {
        return Optional.empty();
    }

    /**
     * Reads and opens a sealed entry.
     *
     * @param entry which
     * @return its plain bytes, or empty when there is none
     * @throws IOException if the place cannot be read
     * @throws GeneralSecurityException if it was sealed with another key, or changed, or the key cannot be read
     */
    default Optional<byte[]> open(Sealed entry) throws IOException, GeneralSecurityException {
        Optional<byte[]> sealed = read(entry.name());
        if (sealed.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(key().open(entry.magic(), entry.context(), sealed.get()));
        } catch (IOException keyUnreadable) {
            throw new GeneralSecurityException("the key cannot be read", keyUnreadable);
        }
    }

    /**
     * Seals and replaces an entry.
     *
     * @param entry which
     * @param plain its plain bytes
     * @throws IOException if the place cannot be written
     * @throws GeneralSecurityException if the platform lacks AES-GCM
     */
    default void seal(Sealed entry, byte[] plain) throws IOException, GeneralSecurityException {
        write(entry.name(), key().seal(entry.magic(), entry.context(), plain));
    }
}
