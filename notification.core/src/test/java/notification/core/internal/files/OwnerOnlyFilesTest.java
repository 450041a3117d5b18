package notification.core.internal.files;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OwnerOnlyFilesTest {

    @TempDir
    Path dir;

    @Test
    void newFoldersAndTheirMissingParentsAreOwnerOnly() throws Exception {
        Path folder = OwnerOnlyFiles.folder(dir.resolve("var/tokens/office"));
        assertEquals("rwx------", mode(folder));
        assertEquals("rwx------", mode(dir.resolve("var/tokens")));
        assertEquals("rwx------", mode(dir.resolve("var")));
    }

    @Test
    void anExistingOpenFolderIsMadeOwnerOnly() throws Exception {
        Path open = Files.createDirectory(dir.resolve("pickup"),
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxrwxrwx")));
        Files.setPosixFilePermissions(open, PosixFilePermissions.fromString("rwxrwxrwx"));
        OwnerOnlyFiles.folder(open);
        assertEquals("rwx------", mode(open));
    }

    @Test
    void writtenAndOpenedFilesAreOwnerOnlyEvenWhenTheyExistedOpen() throws Exception {
        Path secret = dir.resolve("secret");
        Files.writeString(secret, "old");
        Files.setPosixFilePermissions(secret, PosixFilePermissions.fromString("rw-rw-rw-"));
        OwnerOnlyFiles.write(secret, "new".getBytes(StandardCharsets.UTF_8));
        assertEquals("rw-------", mode(secret));
        assertEquals("new", Files.readString(secret));
        Path eml = dir.resolve("a.eml");
        try (FileChannel ch = OwnerOnlyFiles.open(eml)) {
            ch.write(java.nio.ByteBuffer.wrap(new byte[] {1}));
        }
        assertEquals("rw-------", mode(eml));
    }

    @Test
    void aSecretMovedOutOfAConfigurationIsOwnerOnly() throws Exception {
        java.util.Hashtable<String, Object> props = new java.util.Hashtable<>();
        props.put("password", "s3cret");
        new SecretFiles(dir.resolve("conf/secrets")).externalize("notification.relay~office", props);
        assertEquals("rwx------", mode(dir.resolve("conf/secrets")));
        assertEquals("rw-------", mode(dir.resolve("conf/secrets/notification.relay~office.password")));
    }

    private static String mode(Path p) throws Exception {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
    }
}
