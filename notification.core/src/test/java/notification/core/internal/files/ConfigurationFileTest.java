package notification.core.internal.files;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Hashtable;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Round trip of a configuration through its conf/ file. */
class ConfigurationFileTest {

    @TempDir
    Path dir;

    @Test
    void writesSortedKeysLeavesOutBookkeepingAndReadsBackTheSameValues() throws Exception {
        Hashtable<String, Object> props = new Hashtable<>();
        props.put("service.pid", "notification.relay~office");
        props.put("service.factoryPid", "notification.relay");
        props.put(ConfigurationFile.FILE_PROPERTY, "/somewhere");
        props.put("host", "smtp.example.com");
        props.put("port", 587);
        props.put("password", "$[secret:relay-password]");
        props.put("transports", new String[] {"office", "backup"});
        props.put("fromName", "Print Server: Floor 2 = main");

        ConfigurationFile file = new ConfigurationFile(dir.resolve("notification.relay~office.cfg"));
        String text = ConfigurationFile.render(props);
        assertFalse(text.contains("service.pid"), text);
        assertFalse(text.contains("/somewhere"), text);
        assertTrue(file.writeIfDifferent(text, dir.resolve("tmp")));
        assertFalse(file.writeIfDifferent(text, dir.resolve("tmp")), "unchanged text must not be rewritten");

        assertEquals("notification.relay~office", file.pid());
        assertEquals(Map.of(
                "host", "smtp.example.com",
                "port", "587",
                "password", "$[secret:relay-password]",
                "transports", "office,backup",
                "fromName", "Print Server: Floor 2 = main"), file.read());
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file.path())));
    }

    @Test
    void handlesOnlyTheProductsPidsAndTheConsoleCredentials() {
        assertTrue(ConfigurationFileSync.handles("notification.core"));
        assertTrue(ConfigurationFileSync.handles("notification.relay~office"));
        assertTrue(ConfigurationFileSync.handles("org.apache.felix.webconsole.internal.servlet.OsgiManager"));
        assertFalse(ConfigurationFileSync.handles("org.apache.felix.http"));
    }
}
