package notification.webconsole.internal;

import java.net.URI;
import java.util.Dictionary;
import java.util.Map;
import java.util.Set;

/** Reads submitted form fields, refusing a bad value with an error that names the field and what is wrong. */
final class FormFields {

    private FormFields() {
    }

    static String trimmed(String value) {
        return value == null ? "" : value.trim();
    }

    static String required(Map<String, String> form, String field, String label) throws SettingsException {
        String value = trimmed(form.get(field));
        if (value.isEmpty()) {
            throw new SettingsException(label, "is required");
        }
        return value;
    }

    static String mailbox(Map<String, String> form, String field, String label) throws SettingsException {
        String value = required(form, field, label);
        if (!value.matches("[^@\\s<>]+@[^@\\s<>]+")) {
            throw new SettingsException(label, "\"" + value + "\" is not an e-mail address such as scanner@example.com");
        }
        return value;
    }

    static String oneOf(Map<String, String> form, String field, String label, Set<String> allowed,
            String fallback) throws SettingsException {
        String value = trimmed(form.get(field));
        if (value.isEmpty()) {
            return fallback;
        }
        if (!allowed.contains(value)) {
            throw new SettingsException(label, "\"" + value + "\" is not one of " + String.join(", ", allowed));
        }
        return value;
    }

    static Integer port(Map<String, String> form, String field, String label) throws SettingsException {
        String value = trimmed(form.get(field));
        if (value.isEmpty()) {
            return null;
        }
        try {
            int port = Integer.parseInt(value);
            if (port >= 1 && port <= 65535) {
                return port;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new SettingsException(label, "\"" + value + "\" is not a port number (1 to 65535)");
    }

    static String url(Map<String, String> form, String field, String label, boolean required)
            throws SettingsException {
        String value = required ? required(form, field, label) : trimmed(form.get(field));
        try {
            URI uri = URI.create(value);
            if (("http".equalsIgnoreCase(uri.getScheme()) || "https".equalsIgnoreCase(uri.getScheme()))
                    && uri.getHost() != null) {
                return value;
            }
        } catch (IllegalArgumentException e) {
            // reported below
        }
        throw new SettingsException(label, "\"" + value + "\" is not an http or https address");
    }

    static String secret(Map<String, String> form, Dictionary<String, Object> stored, String field,
            String label, boolean required) throws SettingsException {
        String value = form.get(field);
        if (value != null && !value.isEmpty()) {
            return value;
        }
        Object kept = stored == null ? null : stored.get(field.substring(field.indexOf('.') + 1));
        if (kept != null && !kept.toString().isEmpty()) {
            return kept.toString();
        }
        if (required) {
            throw new SettingsException(label, "is required");
        }
        return null;
    }
}
