package notification.itest.framework;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Hashtable;
import java.util.concurrent.Callable;
import org.apache.felix.fileinstall.ArtifactInstaller;
import org.junit.jupiter.api.Test;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.test.common.annotation.InjectBundleContext;
import org.osgi.test.common.annotation.InjectService;

/** Configuration files in conf/ and Config Admin stay in step, both ways, while the framework runs. */
class ConfigurationFilesTest {

    @InjectBundleContext
    BundleContext context;

    @InjectService
    ConfigurationAdmin configAdmin;

    @Test
    void droppedTildeFileBecomesAFactoryConfigurationAndConsoleChangesAreWrittenBack() throws Exception {
        Path conf = Files.createDirectories(Path.of(context.getProperty("felix.fileinstall.dir")));
        Path file = conf.resolve("notification.relay~filetest.cfg");
        Files.writeString(file, "host=smtp.filetest.example\nport=2525\n");

        Configuration config = await(() -> find("notification.relay~filetest"), Duration.ofSeconds(20));
        assertEquals("notification.relay", config.getFactoryPid(), "a factory configuration of notification.relay");
        assertEquals("smtp.filetest.example", config.getProperties().get("host"));

        Hashtable<String, Object> changed = new Hashtable<>();
        changed.put("host", "smtp.changed.example");
        changed.put("port", 587);
        config.update(changed);
        String text = await(() -> {
            String t = Files.readString(file);
            return t.contains("host=smtp.changed.example") ? t : null;
        }, Duration.ofSeconds(20));
        assertTrue(text.contains("port=587"), text);

        Files.delete(file);
        await(() -> find("notification.relay~filetest") == null ? Boolean.TRUE : null, Duration.ofSeconds(20));
    }

    @Test
    void applyKeepsTheFilesCommentsOrderAndHandTunedKeys() throws Exception {
        Path conf = Files.createDirectories(Path.of(context.getProperty("felix.fileinstall.dir")));
        Path file = conf.resolve("notification.relay~tuned.cfg");
        String handWritten = """
                # tuned by hand: one connection only, the old server drops the second
                host=127.0.0.1
                port=1

                maxConnections=1
                readTimeout = 5000
                # at most 30 a minute (provider limit)
                messagesPerMinute=30
                """;
        Files.writeString(file, handWritten);
        Configuration config = await(() -> find("notification.relay~tuned"), Duration.ofSeconds(20));

        Hashtable<String, Object> applied = new Hashtable<>();
        for (String key : java.util.Collections.list(config.getProperties().keys())) {
            applied.put(key, config.getProperties().get(key));
        }
        applied.put("port", 2);
        applied.put("security", "none");
        config.update(applied);

        String text = await(() -> {
            String t = Files.readString(file);
            return t.contains("security=none") ? t : null;
        }, Duration.ofSeconds(20));
        assertEquals(handWritten.replace("port=1\n", "port=2\n") + "security=none\n", text);

        config.delete();
        await(() -> Files.exists(file) ? null : Boolean.TRUE, Duration.ofSeconds(20));
    }

    @Test
    void configurationCreatedWithoutAFileGetsOne() throws Exception {
        Path conf = Files.createDirectories(Path.of(context.getProperty("felix.fileinstall.dir")));
        Configuration config = configAdmin.getFactoryConfiguration("notification.relay", "created", "?");
        Hashtable<String, Object> props = new Hashtable<>();
        props.put("host", "smtp.created.example");
        config.update(props);
        Path file = conf.resolve("notification.relay~created.cfg");
        String text = await(() -> Files.exists(file) ? Files.readString(file) : null, Duration.ofSeconds(20));
        assertTrue(text.contains("host=smtp.created.example"), text);

        config.delete();
        await(() -> Files.exists(file) ? null : Boolean.TRUE, Duration.ofSeconds(20));
    }

    @Test
    void secretSavedInTheConsoleGoesToItsOwnFileAndTheConfigurationKeepsAReference() throws Exception {
        Path conf = Files.createDirectories(Path.of(context.getProperty("felix.fileinstall.dir")));
        Configuration config = configAdmin.getFactoryConfiguration("notification.relay", "secretive", "?");
        Hashtable<String, Object> props = new Hashtable<>();
        props.put("host", "smtp.secretive.example");
        props.put("username", "scanner");
        props.put("password", "Sup3r-Secret!");
        config.update(props);

        Path file = conf.resolve("notification.relay~secretive.cfg");
        String text = await(() -> Files.exists(file) ? Files.readString(file) : null, Duration.ofSeconds(20));
        assertTrue(text.contains("password=$[secret\\:notification.relay~secretive.password]")
                || text.contains("password=$[secret:notification.relay~secretive.password]"), text);
        assertTrue(!text.contains("Sup3r-Secret!"), "the secret must not be in the .cfg file: " + text);
        Path secret = Path.of(context.getProperty("org.apache.felix.configadmin.plugin.interpolation.secretsdir"),
                "notification.relay~secretive.password");
        assertEquals("Sup3r-Secret!", Files.readString(secret));
        assertEquals("rw-------", java.nio.file.attribute.PosixFilePermissions.toString(
                Files.getPosixFilePermissions(secret)));
        Object stored = find("notification.relay~secretive").getProperties().get("password");
        assertEquals("$[secret:notification.relay~secretive.password]", stored);
        config.delete();
    }

    @Test
    void fileInstallsLateNoticeOfARemovedFileKeepsTheConfigurationCreatedSinceButAnAdministratorsRemovalCounts()
            throws Exception {
        Path conf = Files.createDirectories(Path.of(context.getProperty("felix.fileinstall.dir")));
        Path file = conf.resolve("notification.relay~reborn.cfg");
        // FileInstall's own poll is stopped, so that this test tells FileInstall's notices to the file sync itself,
        // in the order that made a configuration disappear: removal seen only after the configuration was re-created
        Bundle fileInstall = java.util.Arrays.stream(context.getBundles())
                .filter(b -> "org.apache.felix.fileinstall".equals(b.getSymbolicName())).findFirst().orElseThrow();
        ArtifactInstaller sync = context.getService(context.getServiceReferences(ArtifactInstaller.class,
                "(component.name=notification.core.internal.files.ConfigurationFileSync)").iterator().next());
        fileInstall.stop();
        try {
            relay("reborn", "smtp.first.example");
            await(() -> Files.exists(file) ? Boolean.TRUE : null, Duration.ofSeconds(20));
            find("notification.relay~reborn").delete();
            await(() -> Files.exists(file) ? null : Boolean.TRUE, Duration.ofSeconds(20));

            relay("reborn", "smtp.second.example");
            sync.uninstall(file.toFile()); // the poll that saw the file missing, reported late
            assertEquals("smtp.second.example", host("notification.relay~reborn"),
                    "the configuration created after the removal stays");
            String text = await(() -> Files.exists(file) ? Files.readString(file) : null, Duration.ofSeconds(20));
            assertTrue(text.contains("host=smtp.second.example"), text);

            Files.delete(file);
            sync.uninstall(file.toFile()); // the administrator removed the file
            assertNull(find("notification.relay~reborn"), "removing the file by hand removes the configuration");

            Files.writeString(file, text);
            sync.install(file.toFile()); // the same file dropped back
            assertEquals("smtp.second.example", host("notification.relay~reborn"),
                    "the file dropped back is a configuration again, not taken for an echo of the sync's own write");
        } finally {
            fileInstall.start();
            Configuration left = find("notification.relay~reborn");
            if (left != null) {
                left.delete();
            }
        }
    }

    private void relay(String name, String host) throws Exception {
        Hashtable<String, Object> props = new Hashtable<>();
        props.put("host", host);
        configAdmin.getFactoryConfiguration("notification.relay", name, "?").update(props);
    }

    private Object host(String pid) throws Exception {
        Configuration config = find(pid);
        return config == null ? null : config.getProperties().get("host");
    }

    private Configuration find(String pid) throws Exception {
        Configuration[] found = configAdmin.listConfigurations("(service.pid=" + pid + ")");
        return found == null ? null : found[0];
    }

    private static <T> T await(Callable<T> condition, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            T value = condition.call();
            if (value != null) {
                return value;
            }
            Thread.sleep(100);
        }
        T value = condition.call();
        assertNotNull(value, "condition not met within " + timeout);
        return value;
    }
}
