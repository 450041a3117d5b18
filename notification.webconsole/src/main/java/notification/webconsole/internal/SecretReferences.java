package notification.webconsole.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.regex.MatchResult;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Config Admin's interpolation references ({@code $[secret:name]}, {@code $[env:NAME]}, with an optional
 * {@code ;default=...}): refused at Apply in fields that are not secrets, so no value from conf/secrets/ or the
 * environment reaches a page, the JSON or a log line; and resolved here only to judge the console's password.
 */
final class SecretReferences {
    private static final Pattern REFERENCE = Pattern.compile("\\$\\[(secret|env):([^\\];]*)((?:;[^\\]]*)?)]");
    private static final Pattern DEFAULT = Pattern.compile(";default=([^;]*)");

    private SecretReferences() {
    }

    /**
     * Tells whether a value refers to a secret file or an environment variable.
     *
     * @param value the value, or {@code null}
     * @return whether it holds a {@code $[secret:...]} or {@code $[env:...]} reference
     */
    static boolean refersToSecret(String value) {
        return value != null && REFERENCE.matcher(value).find();
    }

    /**
     * Returns the value Config Admin's interpolation plugin makes of a configured value.
     *
     * @param value the configured value
     * @param secretsDir the plugin's secrets folder, or {@code null} when it resolves no secrets
     * @param environment the environment variables
     * @return the value with every reference that resolves replaced
     */
    static String resolve(String value, Path secretsDir, Map<String, String> environment) {
        return REFERENCE.matcher(value).replaceAll(m -> Matcher.quoteReplacement(valueOf(m, secretsDir, environment)));
    }

    private static String valueOf(MatchResult m, Path secretsDir, Map<String, String> environment) {
        String name = m.group(2);
        String found = null;
        if (m.group(1).equals("env")) {
            found = environment.get(name);
        } else if (secretsDir != null && !name.contains("/") && !name.contains("\\") && !name.startsWith(".")) {
            try {
                Path file = secretsDir.resolve(name);
                found = Files.isRegularFile(file) ? Files.readString(file, StandardCharsets.UTF_8).strip() : null;
            } catch (IOException e) {
                found = null;
            }
        }
        if (found == null) {
            Matcher d = DEFAULT.matcher(m.group(3));
            found = d.find() ? d.group(1) : m.group();
        }
        return found;
    }
}
