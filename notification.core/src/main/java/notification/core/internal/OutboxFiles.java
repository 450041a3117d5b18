package notification.core.internal;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.OpenOption;
import java.nio.file.Path;

/**
 * How the outbox creates, renames, deletes and syncs its files: every write of the journal and of the message files
 * goes through it, so that what is made durable (file data by {@link FileChannel#force}, names by
 * {@link #forceDirectory}) is decided in one place. The product uses {@link LocalOutboxFiles}.
 */
interface OutboxFiles {

    /**
     * Creates a folder and its missing parents, or makes an existing one private to the owner.
     *
     * @param dir the folder
     * @return {@code dir}
     * @throws IOException if it cannot be created or its permissions set
     */
    Path createDirectories(Path dir) throws IOException;

    /**
     * Opens a file; a file it creates is private to the owner.
     *
     * @param file the file
     * @param options how to open it (as {@link FileChannel#open(Path, OpenOption...)})
     * @return the channel
     * @throws IOException if it cannot be opened
     */
    FileChannel open(Path file, OpenOption... options) throws IOException;

    /**
     * Makes an existing file private to the owner (a file from an older installation).
     *
     * @param file the file
     * @throws IOException if its permissions cannot be set
     */
    void restrict(Path file) throws IOException;

    /**
     * Renames a file atomically, replacing nothing.
     *
     * @param from the file
     * @param to its new name, in the same folder
     * @throws IOException if it cannot be renamed
     */
    void move(Path from, Path to) throws IOException;

    /**
     * Deletes a file if it exists.
     *
     * @param file the file
     * @throws IOException if it exists and cannot be deleted
     */
    void delete(Path file) throws IOException;

    /**
     * Makes a folder's entries durable: files created, renamed or deleted in it.
     *
     * @param dir the folder
     * @throws IOException if it cannot be synced
     */
    void forceDirectory(Path dir) throws IOException;
}
