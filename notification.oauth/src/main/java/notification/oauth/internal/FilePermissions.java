package notification.oauth.internal;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/** Writes files readable by the owner only (mode 0600, directories 0700), atomically. */
final class FilePermissions {

    private static final boolean POSIX = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");

    private FilePermissions() {
    }

    static void writeOwnerOnly(Path file, byte[] content) throws IOException {
        Path temp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.deleteIfExists(temp);
        if (POSIX) {
            Files.createFile(temp, PosixFilePermissions.asFileAttribute(Set.of(
                    PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE)));
        }
        Files.write(temp, content, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                StandardOpenOption.WRITE, StandardOpenOption.SYNC);
        Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /** Creates a folder, and each missing parent, owner-only whatever the umask; an existing one is made so. */
    static void ownerOnlyDirectory(Path directory) throws IOException {
        Path absolute = directory.toAbsolutePath();
        if (!Files.isDirectory(absolute)) {
            if (absolute.getParent() != null && !Files.isDirectory(absolute.getParent())) {
                ownerOnlyDirectory(absolute.getParent());
            }
            try {
                if (POSIX) {
                    Files.createDirectory(absolute, PosixFilePermissions.asFileAttribute(
                            PosixFilePermissions.fromString("rwx------")));
                } else {
                    Files.createDirectory(absolute);
                }
            } catch (FileAlreadyExistsException raced) {
                // made meanwhile
            }
        }
        if (POSIX) {
            Files.setPosixFilePermissions(absolute, PosixFilePermissions.fromString("rwx------"));
        }
    }
}
