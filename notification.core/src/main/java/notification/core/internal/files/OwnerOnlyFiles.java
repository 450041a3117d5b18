package notification.core.internal.files;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashSet;
import java.util.Set;

/**
 * Creates files readable by their owner only (0600) and folders usable by their owner only (0700), whatever the
 * process's umask, on file systems that have POSIX permissions; elsewhere the platform's defaults apply.
 */
public final class OwnerOnlyFiles {
    private static final boolean POSIX = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
    private static final Set<PosixFilePermission> FILE = PosixFilePermissions.fromString("rw-------");
    private static final Set<PosixFilePermission> FOLDER = PosixFilePermissions.fromString("rwx------");

    private OwnerOnlyFiles() {
    }

    /**
     * Creates a folder and its missing parents owner-only; an existing folder is made owner-only too, so an
     * installation made before this rule is tightened at its next start.
     *
     * @param folder the folder
     * @return the folder
     * @throws IOException if it cannot be created or its mode set
     */
    public static Path folder(Path folder) throws IOException {
        Path absolute = folder.toAbsolutePath();
        if (!Files.isDirectory(absolute)) {
            Path parent = absolute.getParent();
            if (parent != null && !Files.isDirectory(parent)) {
                folder(parent);
            }
            try {
                Files.createDirectory(absolute, attributes(FOLDER));
            } catch (FileAlreadyExistsException raced) {
                // made by another thread meanwhile
            }
        }
        setMode(absolute, FOLDER);
        return folder;
    }

    /**
     * Opens a file for writing, creating it owner-only if it does not exist.
     *
     * @param file the file
     * @param options more options (CREATE and WRITE are implied)
     * @return the open channel
     * @throws IOException if it cannot be opened
     */
    public static FileChannel open(Path file, OpenOption... options) throws IOException {
        Set<OpenOption> all = new HashSet<>(Set.of(options));
        all.add(StandardOpenOption.CREATE);
        all.add(StandardOpenOption.WRITE);
        FileChannel channel = FileChannel.open(file, all, attributes(FILE));
        setMode(file, FILE);
        return channel;
    }

    /**
     * Replaces a file's content atomically (a temporary owner-only file beside it, forced, then renamed).
     *
     * @param file the file
     * @param content the new content
     * @throws IOException if it cannot be written
     */
    public static void write(Path file, byte[] content) throws IOException {
        Path temp = file.resolveSibling("." + file.getFileName() + ".tmp");
        try {
            try (FileChannel ch = open(temp, StandardOpenOption.TRUNCATE_EXISTING)) {
                ByteBuffer buffer = ByteBuffer.wrap(content);
                while (buffer.hasRemaining()) {
                    ch.write(buffer);
                }
                ch.force(true);
            }
            Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    private static FileAttribute<?>[] attributes(Set<PosixFilePermission> mode) {
        return POSIX ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(mode)} : new FileAttribute<?>[0];
    }

    private static void setMode(Path path, Set<PosixFilePermission> mode) throws IOException {
        if (POSIX) {
            Files.setPosixFilePermissions(path, mode);
        }
    }
}
