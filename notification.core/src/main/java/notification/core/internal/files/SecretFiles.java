package notification.core.internal.files;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Collections;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.Locale;

/**
 * Moves secrets typed into the console out of the configuration: each goes to its own owner-only file in
 * conf/secrets/ and the configuration keeps a {@code $[secret:name]} reference, which Config Admin's interpolation
 * plugin resolves for the component. So no .cfg file, and not Config Admin's own store, holds a secret in clear.
 */
final class SecretFiles {
    private final Path secretsDir;

    SecretFiles(Path secretsDir) {
        this.secretsDir = secretsDir;
    }

    /**
     * Tells whether a property holds a secret: its name ends with password, secret or key ({@code clientSecret},
     * {@code trustStorePassword}, {@code tokenKey}; not {@code secretExpires}, a date).
     */
    static boolean isSecret(String key) {
        String k = key.toLowerCase(Locale.ROOT);
        return k.endsWith("password") || k.endsWith("secret") || k.endsWith("key");
    }

    /**
     * Writes every clear secret of a configuration to conf/secrets/ and returns the properties with references in
     * their place, or {@code null} when there was nothing to move.
     */
    Hashtable<String, Object> externalize(String pid, Dictionary<String, Object> properties) throws IOException {
        Hashtable<String, Object> result = null;
        for (String key : Collections.list(properties.keys())) {
            Object value = properties.get(key);
            if (isSecret(key) && value instanceof String s && !s.isEmpty() && !s.startsWith("$[")) {
                String name = pid + "." + key;
                write(name, s);
                if (result == null) {
                    result = new Hashtable<>();
                    for (String k : Collections.list(properties.keys())) {
                        result.put(k, properties.get(k));
                    }
                }
                result.put(key, "$[secret:" + name + "]");
            }
        }
        return result;
    }

    private void write(String name, String secret) throws IOException {
        OwnerOnlyFiles.folder(secretsDir);
        OwnerOnlyFiles.write(secretsDir.resolve(name), secret.getBytes(StandardCharsets.UTF_8));
    }
}
