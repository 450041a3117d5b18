package notification.oauth.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * A transport's sign-in in this node's token folder ({@code <data dir>/tokens/<name>/}): one owner-only file per
 * entry, sealed ones with the folder's own {@code token-cache.key}. The transport's own lock is all the exclusion it
 * needs.
 */
final class TokenFolder implements TokenEntries {

    private final Path directory;
    private final TokenKey key;
    private final String notice;

    TokenFolder(Path directory) {
        this(directory, null);
    }

    /**
     * Uses a token folder.
     *
     * @param directory the folder
     * @param notice why the sign-in is kept here although the outbox is shared, or {@code null}
     */
    TokenFolder(Path directory, String notice) {
        this.directory = directory;
        this.key = new TokenKey(directory);
        this.notice = notice;
    }

    @Override
    public Optional<String> notice() {
        return Optional.ofNullable(notice);
    }

    /** @return the folder */
    Path directory() {
        return directory;
    }

    @Override
    public Optional<byte[]> read(String entry) throws IOException {
        Path file = directory.resolve(entry);
        return Files.exists(file) ? Optional.of(Files.readAllBytes(file)) : Optional.empty();
    }

    @Override
    public void write(String entry, byte[] content) throws IOException {
        FilePermissions.ownerOnlyDirectory(directory);
        FilePermissions.writeOwnerOnly(directory.resolve(entry), content);
    }

    @Override
    public TokenKey key() {
        return key;
    }

    @Override
    public <T, E extends Exception> T exclusive(Work<T, E> work) throws E {
        return work.run();
    }

    @Override
    public String unreadable(String what) {
        return "The stored " + what + " in " + directory + " cannot be read (the file was changed, damaged, or its "
                + "key is missing). Click Authorize and sign in again.";
    }

    @Override
    public boolean shared() {
        return false;
    }

    @Override
    public String toString() {
        return "the token folder " + directory;
    }
}
