package notification.webconsole.internal;

import java.io.IOException;
import java.util.Dictionary;
import org.osgi.framework.BundleContext;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;

/** Tells whether the Web Console still accepts Felix's default password, and where the console lives. */
final class ConsoleCredentials {
    /** The console's own configuration PID. */
    static final String CONSOLE_PID = "org.apache.felix.webconsole.internal.servlet.OsgiManager";
    /** Felix's default password "admin" in the console's hashed form. */
    private static final String DEFAULT_PASSWORD_HASH = "{sha-256}jGl25bVBBBW96Qi9Te4V37Fnqchz/Eu4qB9vKrRIqRg=";
    /** How to change the credentials, in words for the start-up log and the page. */
    static final String HOW_TO_CHANGE = "Change them in conf/" + CONSOLE_PID + ".cfg (lines username=... and "
            + "password=...), or in the console under OSGi > Configuration > Apache Felix OSGi Management Console.";

    private final ConfigurationAdmin configurationAdmin;
    private final BundleContext context;

    ConsoleCredentials(ConfigurationAdmin configurationAdmin, BundleContext context) {
        this.configurationAdmin = configurationAdmin;
        this.context = context;
    }

    /**
     * Tells whether the console password is still Felix's default "admin".
     *
     * @return {@code true} when no password is configured or it is "admin"
     */
    boolean usesDefaultPassword() {
        Object password = property("password");
        if (password == null) {
            password = context.getProperty("felix.webconsole.password");
        }
        if (password == null) {
            return true;
        }
        String p = password.toString().trim();
        return p.isEmpty() || p.equals("admin") || p.equalsIgnoreCase(DEFAULT_PASSWORD_HASH);
    }

    /**
     * Returns the console root path, "/system/console" unless configured otherwise.
     *
     * @return the root path without a trailing slash
     */
    String consoleRoot() {
        Object root = property("manager.root");
        if (root == null) {
            root = context.getProperty("felix.webconsole.manager.root");
        }
        String r = root == null || root.toString().isBlank() ? "/system/console" : root.toString().trim();
        if (!r.startsWith("/")) {
            r = "/" + r;
        }
        return r.endsWith("/") ? r.substring(0, r.length() - 1) : r;
    }

    private Object property(String key) {
        try {
            Configuration[] found = configurationAdmin.listConfigurations("(service.pid=" + CONSOLE_PID + ")");
            if (found == null || found.length == 0) {
                return null;
            }
            Dictionary<String, Object> props = found[0].getProperties();
            return props == null ? null : props.get(key);
        } catch (IOException | InvalidSyntaxException e) {
            return null;
        }
    }
}
