package notification.webconsole.internal;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * Turns a submitted form into changes of one configuration: only the keys the form shows, typed as the schema says;
 * an unchanged value, an empty field for a key not stored, or an empty secret field changes nothing.
 *
 * @param changes keys to set, typed
 * @param removals keys the administrator emptied (back to their defaults)
 * @param problems values that cannot be stored, by key, phrased to follow the field's label
 * @param typedSecrets secrets typed into this form, by key (to keep if the form is refused)
 */
record FormChanges(Map<String, Object> changes, Set<String> removals, Map<String, String> problems,
        Map<String, String> typedSecrets) {

    /**
     * Reads the form fields of one transport kind.
     *
     * @param schema the transport's schema
     * @param option the chosen option (its field prefix and implied values)
     * @param form the submitted form, by field name
     * @param stored the stored configuration, empty for a new one
     * @param keptSecret a secret typed before into this browser's form for this configuration, by key
     * @return the changes
     */
    static FormChanges read(TransportSchema schema, ServerOption option, Map<String, String> form,
            Map<String, Object> stored, Function<String, Optional<String>> keptSecret) {
        String prefix = option.fieldPrefix() + ".";
        Map<String, String> values = new HashMap<>();
        for (TransportSchema.Field f : schema.fields()) {
            String v = form.get(prefix + f.key());
            if (v != null) {
                values.put(f.key(), f.secret() ? v : v.trim());
            }
        }
        option.imply(values);
        Map<String, Object> changes = new LinkedHashMap<>();
        Set<String> removals = new LinkedHashSet<>();
        Map<String, String> problems = new LinkedHashMap<>();
        Map<String, String> typedSecrets = new HashMap<>();
        for (TransportSchema.Field f : schema.fields()) {
            if (!values.containsKey(f.key())) {
                continue;
            }
            String v = values.get(f.key());
            Object was = stored.get(f.key());
            if (f.secret()) {
                if (!v.isEmpty()) {
                    typedSecrets.put(f.key(), v);
                }
                String secret = v.isEmpty() ? keptSecret.apply(f.key()).orElse("") : v;
                if (!secret.isEmpty() && !secret.equals(was)) {
                    changes.put(f.key(), secret);
                }
            } else if (SecretReferences.refersToSecret(v)) {
                problems.put(f.key(), "holds a $[secret:...] or $[env:...] reference; such references are accepted "
                        + "only in password fields (type the value itself here)");
            } else if (v.isEmpty()) {
                if (was != null) {
                    removals.add(f.key());
                }
            } else if (was != null ? !v.equals(SettingsForm.text(was)) : !v.equals(f.defaultValue())) {
                typed(f, v, problems).ifPresent(t -> changes.put(f.key(), t));
            }
        }
        return new FormChanges(changes, removals, problems, typedSecrets);
    }

    /**
     * Returns the configuration as it would be after these changes.
     *
     * @param stored the stored configuration
     * @return the proposed configuration
     */
    Map<String, Object> proposed(Map<String, Object> stored) {
        Map<String, Object> proposed = new HashMap<>(stored);
        proposed.putAll(changes);
        removals.forEach(proposed::remove);
        return proposed;
    }

    private static Optional<Object> typed(TransportSchema.Field f, String v, Map<String, String> problems) {
        if (!f.options().isEmpty() && f.options().stream().noneMatch(c -> c.value().equals(v))) {
            problems.put(f.key(), "must be one of: " + String.join(", ", f.options().stream()
                    .map(TransportSchema.Choice::label).toList()));
            return Optional.empty();
        }
        try {
            return Optional.of(switch (f.kind()) {
                case INTEGER -> Integer.valueOf(v);
                case LONG -> Long.valueOf(v);
                case BOOLEAN -> {
                    if (!v.equals("true") && !v.equals("false")) {
                        throw new NumberFormatException(v);
                    }
                    yield Boolean.valueOf(v);
                }
                default -> v;
            });
        } catch (NumberFormatException e) {
            problems.put(f.key(), f.kind() == TransportSchema.Kind.BOOLEAN ? "must be yes or no"
                    : "must be a whole number, not \"" + v + "\"");
            return Optional.empty();
        }
    }
}
