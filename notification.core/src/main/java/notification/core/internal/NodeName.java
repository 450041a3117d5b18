package notification.core.internal;

import java.net.InetAddress;
import java.net.UnknownHostException;
import org.osgi.framework.BundleContext;

/** This server's name among the nodes sharing an outbox: configured, else host name and HTTP port. */
final class NodeName {

    private NodeName() {
    }

    /**
     * The node's name.
     *
     * @param configured the {@code node} key, may be blank
     * @param context the bundle context, for the HTTP port; may be null
     * @return the name, for example {@code printsrv1:9191}
     */
    static String of(String configured, BundleContext context) {
        if (configured != null && !configured.isBlank()) {
            return configured.strip();
        }
        String port = context == null ? null : context.getProperty("org.osgi.service.http.port");
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            host = System.getenv().getOrDefault("HOSTNAME", "localhost");
        }
        return port == null || port.isBlank() ? host : host + ":" + port.strip();
    }
}
