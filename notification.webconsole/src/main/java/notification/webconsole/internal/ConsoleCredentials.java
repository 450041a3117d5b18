package notification.webconsole.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.Dictionary;
import java.util.Locale;
import org.osgi.framework.BundleContext;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;

/**
 * Tells whether the Web Console still accepts Felix's default password (judged from the value in effect), and where
 * the console lives.
 */
final class ConsoleCredentials {
    /** The console's own configuration PID. */
    static final String CONSOLE_PID = "org.apache.felix.webconsole.internal.servlet.OsgiManager";
    /** Felix's default password. */
    private static final String DEFAULT_PASSWORD = "admin";
    /** The framework property naming the folder of {@code $[secret:...]} references. */
    private static final String SECRETS_DIR_PROPERTY = "org.apache.felix.configadmin.plugin.interpolation.secretsdir";
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
     * Tells whether the console password in effect is still Felix's default "admin", whatever form it is written in:
     * in clear, hashed ({@code {sha-256}...}), or behind a {@code $[secret:...]} or {@code $[env:...]} reference.
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
        String secretsDir = context.getProperty(SECRETS_DIR_PROPERTY);
        String p = SecretReferences.resolve(password.toString(), secretsDir == null ? null : Path.of(secretsDir),
                System.getenv()).strip();
        return p.isEmpty() || p.equals(DEFAULT_PASSWORD) || isHashOfDefault(p);
    }

    /**
     * Tells whether a value is one of the console's hashed forms of "admin": {@code {algorithm}base64} (one round,
     * no salt), or {@code {algorithm}salt-iterations-base64} (the salt put before the password, then hashed
     * {@code iterations} times), as the console's own {@code Password} makes them.
     *
     * @param value the configured value
     * @return whether it hashes "admin"
     */
    static boolean isHashOfDefault(String value) {
        int close = value.indexOf('}');
        if (!value.startsWith("{") || close < 2) {
            return false;
        }
        String algorithm = value.substring(1, close).toUpperCase(Locale.ROOT);
        String[] parts = value.substring(close + 1).split("-", 3);
        try {
            String salt = parts.length == 3 ? parts[0] : "";
            int iterations = parts.length == 3 ? Integer.parseInt(parts[1]) : 1;
            if (iterations < 1 || iterations > 1_000_000) {
                return false;
            }
            byte[] hash = (salt + DEFAULT_PASSWORD).getBytes(StandardCharsets.UTF_8);
            MessageDigest digest = MessageDigest.getInstance(algorithm);
            for (int i = 0; i < iterations; i++) {
                digest.reset();
                hash = digest.digest(hash);
            }
            return MessageDigest.isEqual(hash, Base64.getDecoder().decode(parts[parts.length - 1]));
        } catch (NoSuchAlgorithmException | IllegalArgumentException e) {
            return false;
        }
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
