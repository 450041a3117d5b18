package notification.core.internal.files;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.Map;
import org.apache.felix.fileinstall.ArtifactInstaller;
import org.apache.felix.fileinstall.ArtifactListener;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.cm.ConfigurationEvent;
import org.osgi.service.cm.ConfigurationListener;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the product's configurations and the files in conf/ in step, both ways: a file dropped or edited there
 * (Felix FileInstall finds it) becomes a configuration — {@code notification.relay~office.cfg} the factory
 * configuration "office" of {@code notification.relay}, which FileInstall alone would not do — and a configuration
 * changed in the console is written back to its file, its secrets moved to conf/secrets/ and referenced as
 * {@code $[secret:name]}. A write-back changes only the lines of changed keys: comments, order and hand-tuned keys
 * stay as the administrator wrote them. Values are never logged.
 */
@Component(
        service = {ArtifactInstaller.class, ArtifactListener.class, ConfigurationListener.class},
        property = Constants.SERVICE_RANKING + ":Integer=100")
public final class ConfigurationFileSync implements ArtifactInstaller, ConfigurationListener {
    private static final Logger LOG = LoggerFactory.getLogger(ConfigurationFileSync.class);
    private static final String CONSOLE_CREDENTIALS_PID = "org.apache.felix.webconsole.internal.servlet.OsgiManager";

    private final ConfigurationAdmin configAdmin;
    private final Path confDir;
    private final Path scratchDir;
    private final SecretFiles secrets;
    private final SyncEchoes echoes = new SyncEchoes();

    @Activate
    public ConfigurationFileSync(@Reference ConfigurationAdmin configAdmin, BundleContext context) {
        this(configAdmin, Path.of(property(context, "felix.fileinstall.dir", "conf")),
                Path.of(property(context, "notification.data.dir", "var"), "tmp"),
                Path.of(property(context, "org.apache.felix.configadmin.plugin.interpolation.secretsdir", "conf/secrets")));
    }

    ConfigurationFileSync(ConfigurationAdmin configAdmin, Path confDir, Path scratchDir, Path secretsDir) {
        this.configAdmin = configAdmin;
        this.confDir = confDir.toAbsolutePath();
        this.scratchDir = scratchDir.toAbsolutePath();
        this.secrets = new SecretFiles(secretsDir.toAbsolutePath());
    }

    /** Tells whether a PID is one this component keeps in conf/. */
    static boolean handles(String pid) {
        return pid.startsWith("notification.") || pid.equals(CONSOLE_CREDENTIALS_PID);
    }

    @Override
    public boolean canHandle(File artifact) {
        String name = artifact.getName();
        return name.endsWith(".cfg") && handles(name.substring(0, name.length() - 4));
    }

    @Override
    public void install(File artifact) throws Exception {
        update(artifact);
    }

    @Override
    public void update(File artifact) throws Exception {
        ConfigurationFile file = new ConfigurationFile(artifact.toPath().toAbsolutePath());
        echoes.fileSeen(file.pid());
        if (echoes.ownWrite(file.pid(), Files.readString(file.path(), StandardCharsets.UTF_8))) {
            // our own write seen by FileInstall's poll: the configuration may have changed again since, and
            // applying this older text would undo that change (the next change's event writes the file anew)
            return;
        }
        Map<String, Object> values = file.read();
        Hashtable<String, Object> properties = new Hashtable<>(values);
        properties.put(ConfigurationFile.FILE_PROPERTY, file.path().toString());
        Configuration configuration = configuration(file.pid());
        Dictionary<String, Object> current = configuration.getProperties();
        if (current != null && ConfigurationFile.render(current).equals(ConfigurationFile.render(properties))) {
            return; // the file says what the configuration already says (typically: we just wrote it)
        }
        configuration.update(properties);
        LOG.info("Configuration {} applied from {}", file.pid(), file.path());
    }

    @Override
    public void uninstall(File artifact) throws Exception {
        ConfigurationFile file = new ConfigurationFile(artifact.toPath().toAbsolutePath());
        if (echoes.ownRemoval(file.pid()) || Files.exists(file.path())) {
            // FileInstall's poll saw the file missing after this component removed it for a deleted configuration,
            // or the file is back already: the configuration there now is newer than that removal and stays
            LOG.debug("Configuration {}: removal of {} already handled", file.pid(), file.path());
            return;
        }
        echoes.configurationGone(file.pid());
        Configuration[] existing = configAdmin.listConfigurations("(service.pid=" + file.pid() + ")");
        if (existing != null) {
            echoes.deletingConfiguration(file.pid());
            for (Configuration c : existing) {
                c.delete();
            }
            LOG.info("Configuration {} removed with its file {}", file.pid(), file.path());
        }
    }

    @Override
    public void configurationEvent(ConfigurationEvent event) {
        String pid = event.getPid();
        if (!handles(pid)) {
            return;
        }
        try {
            Path path = confDir.resolve(pid + ".cfg");
            if (event.getType() == ConfigurationEvent.CM_DELETED) {
                echoes.configurationGone(pid);
                if (echoes.ownDeletion(pid)) {
                    return; // deleted because its file went
                }
                echoes.removingFile(pid); // before the removal, which FileInstall may notice at once
                if (!Files.deleteIfExists(path)) {
                    echoes.fileSeen(pid); // nothing was removed, so nothing to echo
                } else {
                    LOG.info("Configuration {} deleted: removed {}", pid, path);
                }
                return;
            }
            if (event.getType() != ConfigurationEvent.CM_UPDATED) {
                return;
            }
            Configuration[] found = configAdmin.listConfigurations("(service.pid=" + pid + ")");
            long seen = found == null ? -1 : found[0].getChangeCount();
            Dictionary<String, Object> properties = found == null ? null : found[0].getProperties();
            Hashtable<String, Object> withReferences = properties == null ? null : secrets.externalize(pid, properties);
            if (withReferences != null) {
                if (changedSince(pid, seen)) {
                    return; // changed while the secrets were written: that change's own event moves its secrets
                }
                found[0].update(withReferences); // the next event writes the file, with references only
                LOG.info("Configuration {}: secrets moved to their own files in the secrets folder", pid);
                return;
            }
            ConfigurationFile file = new ConfigurationFile(path);
            if (properties != null && Files.isDirectory(confDir)) {
                String text = file.merged(properties);
                echoes.writing(pid, text);
                if (file.writeIfDifferent(text, scratchDir)) {
                    LOG.info("Configuration {} changed: written to {}", pid, path);
                }
            }
        } catch (IOException | org.osgi.framework.InvalidSyntaxException e) {
            LOG.warn("Configuration {} could not be written to {}: {}", pid, confDir, e.toString());
        }
    }

    /** Whether the configuration changed since its change count was {@code seen}: writing it back would undo that. */
    private boolean changedSince(String pid, long seen) throws IOException, org.osgi.framework.InvalidSyntaxException {
        Configuration[] now = configAdmin.listConfigurations("(service.pid=" + pid + ")");
        return now == null || now[0].getChangeCount() != seen;
    }

    private Configuration configuration(String pid) throws IOException {
        int tilde = pid.indexOf('~');
        return tilde < 0
                ? configAdmin.getConfiguration(pid, "?")
                : configAdmin.getFactoryConfiguration(pid.substring(0, tilde), pid.substring(tilde + 1), "?");
    }

    private static String property(BundleContext context, String key, String fallback) {
        String value = context.getProperty(key);
        return value == null || value.isBlank() ? fallback : value;
    }
}
