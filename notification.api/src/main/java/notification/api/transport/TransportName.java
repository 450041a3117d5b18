package notification.api.transport;

import java.util.Locale;
import java.util.Map;
import org.osgi.annotation.versioning.ProviderType;

/**
 * A transport's name: 1 to 64 ASCII letters, digits, {@code .}, {@code _} or {@code -}, neither {@code .} nor
 * {@code ..}. Such a name is safe as a folder name (token folders are derived from it) and in a configuration list.
 * Two names are equal when they differ only in the case of letters; {@link #value()} keeps the spelling as written.
 */
@ProviderType
public final class TransportName {

    /** The longest name accepted. */
    public static final int MAX_LENGTH = 64;

    /**
     * Service property of a {@link MailTransport}: the PID of the configuration that made it (String), so that a
     * refused duplicate name can be reported with both configurations.
     */
    public static final String CONFIGURATION = "notification.transport.configuration";

    /**
     * Service property of a {@link MailTransport}: the file the configuration came from (String, Felix FileInstall's
     * {@code felix.fileinstall.filename}), when it came from a file.
     */
    public static final String CONFIGURATION_FILE = "notification.transport.configuration.file";

    private final String value;
    private final String key;

    private TransportName(String value) {
        this.value = value;
        this.key = value.toLowerCase(Locale.ROOT);
    }

    /**
     * Validates a name.
     *
     * @param name the name as written (surrounding white space is removed)
     * @return the name
     * @throws IllegalArgumentException with a sentence naming the name and the rule, when it breaks the rule
     */
    public static TransportName of(String name) {
        String problem = problem(name);
        if (problem != null) {
            throw new IllegalArgumentException(problem);
        }
        return new TransportName(name.strip());
    }

    /**
     * Tells what is wrong with a name, for a form or a log line.
     *
     * @param name the name as written, or {@code null}
     * @return a sentence naming the problem, or {@code null} when the name is valid
     */
    public static String problem(String name) {
        if (name == null || name.isBlank()) {
            return "The transport name is empty: give 1 to " + MAX_LENGTH + " letters, digits, '.', '_' or '-'.";
        }
        String n = name.strip();
        if (n.length() > MAX_LENGTH) {
            return "The transport name \"" + printable(n.substring(0, MAX_LENGTH)) + "...\" is longer than "
                    + MAX_LENGTH + " characters.";
        }
        if (n.equals(".") || n.equals("..")) {
            return "The transport name \"" + n + "\" is not allowed: it names a folder.";
        }
        for (int i = 0; i < n.length(); i++) {
            char c = n.charAt(i);
            boolean ok = c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '.' || c == '_'
                    || c == '-';
            if (!ok) {
                return "The transport name \"" + printable(n) + "\" contains '" + printable(String.valueOf(c))
                        + "': use only ASCII letters, digits, '.', '_' and '-'.";
            }
        }
        return null;
    }

    /**
     * Derives the name of a transport made by a configuration: its {@code name} key, else the part of its PID after
     * {@code ~} (the factory configuration {@code notification.relay~office} is named "office"), and validates it.
     *
     * @param configuredName the {@code name} key, or {@code null}
     * @param pid the configuration's PID, or {@code null}
     * @return the name
     * @throws IllegalArgumentException when there is no name or it breaks the rule
     */
    public static TransportName fromConfiguration(String configuredName, String pid) {
        if (configuredName != null && !configuredName.isBlank()) {
            return of(configuredName);
        }
        if (pid != null && pid.indexOf('~') >= 0) {
            return of(pid.substring(pid.indexOf('~') + 1));
        }
        return of(pid);
    }

    /**
     * Derives the name of a transport service from its properties: {@link MailTransport#NAME}, else {@code name},
     * else the part of {@code service.pid} after {@code ~}.
     *
     * @param properties the service properties
     * @return the name
     * @throws IllegalArgumentException when there is no name or it breaks the rule
     */
    public static TransportName ofService(Map<String, ?> properties) {
        Object name = properties.get(MailTransport.NAME);
        if (name == null) {
            name = properties.get("name");
        }
        Object pid = properties.get("service.pid");
        return fromConfiguration(name == null ? null : name.toString(),
                pid instanceof String p && p.indexOf('~') >= 0 ? p : null);
    }

    /**
     * Returns the name as written.
     *
     * @return the name
     */
    public String value() {
        return value;
    }

    /**
     * Tells whether a name written in some case is this one.
     *
     * @param other a name as written, or {@code null}
     * @return whether it is equal to this name without regard to case
     */
    public boolean matches(String other) {
        return other != null && other.strip().toLowerCase(Locale.ROOT).equals(key);
    }

    /**
     * Compares without regard to case.
     *
     * @param o another object
     * @return whether {@code o} is a transport name that differs at most in case
     */
    @Override
    public boolean equals(Object o) {
        return o instanceof TransportName other && other.key.equals(key);
    }

    /**
     * Returns a hash code consistent with {@link #equals(Object)}.
     *
     * @return the hash code of the lower-case name
     */
    @Override
    public int hashCode() {
        return key.hashCode();
    }

    /**
     * Returns the name as written.
     *
     * @return the name
     */
    @Override
    public String toString() {
        return value;
    }

    private static String printable(String s) {
        StringBuilder b = new StringBuilder();
        s.codePoints().forEach(c -> {
            if (c >= 0x20 && c < 0x7f && c != '"') {
                b.appendCodePoint(c);
            } else {
                b.append(String.format("\\u%04x", c));
            }
        });
        return b.toString();
    }
}
