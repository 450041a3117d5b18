package notification.core.internal;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;

/**
 * The outbox's files on the local disk, owner-only whatever the umask: files 0600, folders 0700 (set at creation and
 * checked; existing ones from older installations are re-moded when opened).
 */
final class LocalOutboxFiles implements OutboxFiles {
    static final Set<PosixFilePermission> FILE_MODE = PosixFilePermissions.fromString("rw-------");
    static final Set<PosixFilePermission> DIR_MODE = PosixFilePermissions.fromString("rwx------");
    private final boolean posix = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");

    /** Creates missing folders owner-only; of existing ones, re-modes only {@code dir} itself (not /var, say). */
    @Override
    public Path createDirectories(Path dir) throws IOException {
        create(dir.toAbsolutePath());
        setMode(dir, DIR_MODE);
        return dir;
    }

    private void create(Path dir) throws IOException {
        if (Files.isDirectory(dir)) {
            return;
        }
        if (dir.getParent() != null) {
            create(dir.getParent());
        }
        try {
            Files.createDirectory(dir, attributes(DIR_MODE));
        } catch (FileAlreadyExistsException e) {
            if (!Files.isDirectory(dir)) {
                throw e;
            }
        }
    }

    @Override
    public FileChannel open(Path file, OpenOption... options) throws IOException {
        FileChannel ch = FileChannel.open(file, new HashSet<>(Arrays.asList(options)), attributes(FILE_MODE));
        try {
            setMode(file, FILE_MODE);
        } catch (IOException e) {
            ch.close();
            throw e;
        }
        return ch;
    }

    @Override
    public void restrict(Path file) throws IOException {
        setMode(file, FILE_MODE);
    }

    @Override
    public void move(Path from, Path to) throws IOException {
        Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
    }

    @Override
    public void delete(Path file) throws IOException {
        Files.deleteIfExists(file);
    }

    @Override
    public void forceDirectory(Path dir) throws IOException {
        JournalFiles.forceDirectory(dir);
    }

    private FileAttribute<?>[] attributes(Set<PosixFilePermission> mode) {
        return posix ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(mode)} : new FileAttribute<?>[0];
    }

    /** Sets and checks a mode: the umask only narrows the mode given at creation, and older files had others. */
    private void setMode(Path p, Set<PosixFilePermission> mode) throws IOException {
        if (posix && !Files.getPosixFilePermissions(p).equals(mode)) {
            Files.setPosixFilePermissions(p, mode);
            if (!Files.getPosixFilePermissions(p).equals(mode)) {
                throw new IOException("cannot make " + p + " private to its owner");
            }
        }
    }
}
