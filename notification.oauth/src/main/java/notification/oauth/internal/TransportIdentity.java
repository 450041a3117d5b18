package notification.oauth.internal;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Dictionary;
import java.util.Map;
import notification.api.transport.MailTransport;
import notification.api.transport.TransportName;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;

/**
 * The name, token folder and published identity of one OAuth transport configuration (Microsoft 365 or Google), by
 * the rule of {@link TransportName}: a name in use by another configuration is refused before its token folder is
 * touched, and the folder is owner-only.
 */
final class TransportIdentity {

    final String name;
    final String pid;
    private final String file;

    private TransportIdentity(String name, String pid, String file) {
        this.name = name;
        this.pid = pid;
        this.file = file;
    }

    /**
     * Derives and checks the name of a configuration.
     *
     * @param context to find the transports already published
     * @param configured the {@code name} key
     * @param properties the component properties (service.pid, the file FileInstall read)
     * @return the identity
     * @throws IllegalArgumentException when the name breaks the rule of {@link TransportName}
     * @throws IllegalStateException when another configuration's transport has the name
     */
    static TransportIdentity of(BundleContext context, String configured, Map<String, Object> properties) {
        String pid = String.valueOf(properties.get(Constants.SERVICE_PID));
        String name = TransportName.fromConfiguration(configured, pid).value();
        Object file = properties.get("felix.fileinstall.filename");
        TransportIdentity identity = new TransportIdentity(name, pid, file == null ? null : file.toString());
        identity.refuseNameInUse(context);
        return identity;
    }

    /**
     * Refuses a name that another configuration's transport already has (compared without case), before anything
     * touches the token folder named after it.
     */
    private void refuseNameInUse(BundleContext context) {
        try {
            for (ServiceReference<MailTransport> ref : context.getServiceReferences(MailTransport.class, null)) {
                Object other = ref.getProperty(MailTransport.NAME);
                Object otherPid = ref.getProperty(TransportName.CONFIGURATION);
                if (other != null && TransportName.of(name).matches(other.toString()) && otherPid != null
                        && !otherPid.equals(pid)) {
                    throw new IllegalStateException("Transport name \"" + name + "\" of configuration " + pid
                            + " is already used by configuration " + otherPid + " (file "
                            + ref.getProperty(TransportName.CONFIGURATION_FILE) + "): the first keeps it; rename one.");
                }
            }
        } catch (InvalidSyntaxException impossible) {
            throw new IllegalStateException(impossible);
        }
    }

    /**
     * Returns the transport's token folder, {@code <data dir>/tokens/<name>}, with {@code tokens} made owner-only.
     *
     * @param context for the {@code notification.data.dir} property (default {@code var})
     * @return the folder (created when first written)
     */
    Path tokenFolder(BundleContext context) {
        String dataDir = context.getProperty("notification.data.dir");
        Path tokens = Path.of(dataDir == null || dataDir.isBlank() ? "var" : dataDir, "tokens", name);
        try {
            FilePermissions.ownerOnlyDirectory(tokens.getParent());
        } catch (IOException e) {
            throw new IllegalStateException("cannot make the token folder " + tokens.getParent() + " owner-only: "
                    + e.getMessage(), e);
        }
        return tokens;
    }

    /**
     * Adds the name, type and configuration to the properties the transport is published with.
     *
     * @param props the service properties
     * @param type the value of {@link MailTransport#TYPE}
     */
    void publish(Dictionary<String, Object> props, String type) {
        props.put(MailTransport.NAME, name);
        props.put(MailTransport.TYPE, type);
        props.put(TransportName.CONFIGURATION, pid);
        if (file != null) {
            props.put(TransportName.CONFIGURATION_FILE, file);
        }
    }
}
