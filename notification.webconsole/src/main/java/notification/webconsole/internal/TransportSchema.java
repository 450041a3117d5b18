package notification.webconsole.internal;

import java.util.List;
import java.util.Optional;

/**
 * What a transport declares about its configuration in its own metatype (labels, descriptions, options, defaults,
 * secrets): the one schema the page renders its fields from.
 *
 * @param factoryPid the factory PID, for example "notification.relay"
 * @param name the transport kind's name, for example "Notification SMTP relay"
 * @param fields the attributes in declaration order, keys for the console itself left out
 */
record TransportSchema(String factoryPid, String name, List<Field> fields) {

    TransportSchema {
        fields = List.copyOf(fields);
    }

    /**
     * One attribute of the configuration.
     *
     * @param key the property key, for example "host"
     * @param label what the administrator reads, for example "Host"
     * @param description the longer explanation, may be empty
     * @param kind how the value is typed and shown
     * @param options allowed values with their labels, empty when free
     * @param defaultValue the default as text, may be empty
     */
    record Field(String key, String label, String description, Kind kind, List<Choice> options, String defaultValue) {

        Field {
            description = description == null ? "" : description;
            options = List.copyOf(options);
            defaultValue = defaultValue == null ? "" : defaultValue;
        }

        /**
         * Tells whether the value is a secret: never shown, kept when its field is left empty.
         *
         * @return whether the metatype marks it PASSWORD
         */
        boolean secret() {
            return kind == Kind.PASSWORD;
        }
    }

    /**
     * An allowed value.
     *
     * @param value the stored value
     * @param label what the administrator reads
     */
    record Choice(String value, String label) {
    }

    /** How a value is typed: what is stored in Config Admin and how the field is shown. */
    enum Kind {
        /** Free text. */
        TEXT,
        /** A secret, shown as a password field. */
        PASSWORD,
        /** A whole number stored as Integer. */
        INTEGER,
        /** A whole number stored as Long. */
        LONG,
        /** true or false. */
        BOOLEAN
    }

    /**
     * Finds a field by its key.
     *
     * @param key the property key
     * @return the field
     */
    Optional<Field> field(String key) {
        return fields.stream().filter(f -> f.key().equals(key)).findFirst();
    }
}
