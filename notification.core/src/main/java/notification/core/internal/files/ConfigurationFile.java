package notification.core.internal.files;

import java.io.IOException;
import java.io.Reader;
import java.lang.reflect.Array;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Collection;
import java.util.Dictionary;
import java.util.Enumeration;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;

/** Reads and writes one configuration as a {@code key=value} file in conf/, the way administrators edit them. */
final class ConfigurationFile {
    /** Configuration property that remembers which file a configuration came from. */
    static final String FILE_PROPERTY = "notification.config.file";

    private static final Set<String> NOT_WRITTEN = Set.of("service.pid", "service.factoryPid", "service.bundleLocation",
            FILE_PROPERTY, "felix.fileinstall.filename");

    private static final String HEADER = "# Written by the notification service when this configuration was created.\n";

    private final Path file;

    ConfigurationFile(Path file) {
        this.file = file;
    }

    Path path() {
        return file;
    }

    /** Returns the configuration's PID from the file name: {@code notification.relay~office.cfg} -> notification.relay~office. */
    String pid() {
        String name = file.getFileName().toString();
        return name.substring(0, name.length() - ".cfg".length());
    }

    /** Reads the file's properties as strings. */
    Map<String, Object> read() throws IOException {
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            properties.load(reader);
        }
        Map<String, Object> values = new TreeMap<>();
        for (String key : properties.stringPropertyNames()) {
            values.put(key, properties.getProperty(key).trim());
        }
        return values;
    }

    /**
     * Renders a configuration's properties canonically (sorted, one {@code key=value} line each), to tell whether a
     * file and a configuration say the same; multi-valued properties are comma-separated.
     */
    static String render(Dictionary<String, Object> properties) {
        StringBuilder out = new StringBuilder();
        texts(properties).forEach((k, v) -> out.append(PropertiesLines.line(k, v)).append('\n'));
        return out.toString();
    }

    /**
     * Returns the file's text holding a configuration's properties: comments, order and every line whose value did
     * not change stay as written, changed values are rewritten in place, removed keys leave, new keys are appended.
     * A file that does not exist yet gets a header comment and the keys sorted.
     */
    String merged(Dictionary<String, Object> properties) throws IOException {
        String existing = Files.isRegularFile(file) ? Files.readString(file, StandardCharsets.UTF_8) : null;
        return PropertiesLines.merge(existing, texts(properties), HEADER);
    }

    private static Map<String, String> texts(Dictionary<String, Object> properties) {
        Map<String, String> sorted = new TreeMap<>();
        for (Enumeration<String> keys = properties.keys(); keys.hasMoreElements();) {
            String key = keys.nextElement();
            if (!NOT_WRITTEN.contains(key)) {
                sorted.put(key, text(properties.get(key)));
            }
        }
        return sorted;
    }

    /** Writes the text when it differs from the file's, atomically and readable by the owner only. */
    boolean writeIfDifferent(String text, Path scratchDir) throws IOException {
        if (Files.isRegularFile(file) && Files.readString(file, StandardCharsets.UTF_8).equals(text)) {
            return false;
        }
        Files.createDirectories(scratchDir);
        Path tmp = Files.createTempFile(scratchDir, ".config", ".tmp");
        try {
            Files.writeString(tmp, text, StandardCharsets.UTF_8);
            ownerOnly(tmp);
            try {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (IOException differentFileSystem) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
        return true;
    }

    private static void ownerOnly(Path path) {
        try {
            Files.setPosixFilePermissions(path, PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException | IOException notPosix) {
            // not a POSIX file system: keep the default permissions
        }
    }

    private static String text(Object value) {
        if (value == null) {
            return "";
        }
        if (value.getClass().isArray()) {
            StringBuilder b = new StringBuilder();
            for (int i = 0; i < Array.getLength(value); i++) {
                b.append(i == 0 ? "" : ",").append(Array.get(value, i));
            }
            return b.toString();
        }
        if (value instanceof Collection<?> c) {
            return String.join(",", c.stream().map(String::valueOf).toList());
        }
        return value.toString();
    }
}
