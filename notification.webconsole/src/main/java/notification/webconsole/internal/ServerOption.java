package notification.webconsole.internal;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A choice of the page's "SMTP server" list, in the words print-server administrators know: presentation only (its
 * label, which transport kind it configures, which fields are basic and in what order, the values the choice itself
 * implies). Every key, label, default and option comes from the transport's metatype.
 *
 * @param value the form value, for example "outlook"
 * @param label what the administrator reads
 * @param factoryPid the transport kind it configures, {@code null} for the pickup folder
 * @param implied values the choice itself sets (its fields are not shown), for example protocol=graph
 * @param basic the keys shown first, in this order; every other key of the schema goes under Advanced
 * @param newName the transport name given to a configuration this choice creates
 */
record ServerOption(String value, String label, String factoryPid, Map<String, String> implied, List<String> basic,
        String newName) {

    static final String MICROSOFT = "notification.oauth.microsoft";
    static final String RELAY = "notification.relay";
    private static final List<String> MICROSOFT_BASIC = List.of("username", "tenantId", "clientId", "clientSecret",
            "redirectUri");

    /** Microsoft 365 over SMTP with OAuth2. */
    static final ServerOption OUTLOOK = new ServerOption("outlook", "Outlook with OAuth", MICROSOFT,
            Map.of("protocol", "smtp"), MICROSOFT_BASIC, "microsoft");
    /** The same in the US Government clouds. */
    static final ServerOption OUTLOOK_USGOV = new ServerOption("outlook-usgov", "Outlook with OAuth (US Gov)",
            MICROSOFT, Map.of("protocol", "smtp"), MICROSOFT_BASIC, "microsoft");
    /** Microsoft 365 through Graph sendMail. */
    static final ServerOption GRAPH = new ServerOption("graph", "Microsoft Graph", MICROSOFT,
            Map.of("protocol", "graph"), MICROSOFT_BASIC, "microsoft");
    /** Any SMTP server. */
    static final ServerOption RELAY_OPTION = new ServerOption("relay", "SMTP relay", RELAY, Map.of(),
            List.of("host", "port", "security", "username", "password", "from", "fromName"), "relay");
    /** The built-in pickup folder. */
    static final ServerOption PICKUP = new ServerOption("pickup", "Pickup folder (no mail leaves this machine)", null,
            Map.of(), List.of(), "pickup");

    /** The choices, in the order the list shows them. */
    static final List<ServerOption> KNOWN = List.of(OUTLOOK, OUTLOOK_USGOV, GRAPH, RELAY_OPTION, PICKUP);

    /** Keys shown only when another field has a value: the Custom cloud's endpoints. */
    static final Map<String, String> SHOWN_WHEN = Map.of("authorityUrl", "cloud=custom", "smtpHost", "cloud=custom",
            "smtpPort", "cloud=custom", "smtpScope", "cloud=custom", "graphUrl", "cloud=custom",
            "graphScope", "cloud=custom");

    ServerOption {
        implied = Map.copyOf(implied);
        basic = List.copyOf(basic);
    }

    /**
     * Finds a choice by its form value.
     *
     * @param value the form value
     * @return the choice
     */
    static Optional<ServerOption> of(String value) {
        return KNOWN.stream().filter(o -> o.value.equals(value)).findFirst();
    }

    /**
     * Returns the choice for a transport kind this list does not name (a transport added later): every field basic.
     *
     * @param schema the transport's schema
     * @return the choice
     */
    static ServerOption other(TransportSchema schema) {
        return new ServerOption("pid:" + schema.factoryPid(), schema.name(), schema.factoryPid(), Map.of(),
                schema.fields().stream().map(TransportSchema.Field::key).toList(), schema.factoryPid());
    }

    /**
     * Tells which choice shows an existing configuration.
     *
     * @param factoryPid its factory PID
     * @param properties its properties
     * @return the choice, empty for a kind this list does not name
     */
    static Optional<ServerOption> showing(String factoryPid, Map<String, Object> properties) {
        if (RELAY.equals(factoryPid)) {
            return Optional.of(RELAY_OPTION);
        }
        if (MICROSOFT.equals(factoryPid)) {
            if ("graph".equals(String.valueOf(properties.get("protocol")))) {
                return Optional.of(GRAPH);
            }
            return Optional.of(String.valueOf(properties.get("cloud")).startsWith("usgov") ? OUTLOOK_USGOV : OUTLOOK);
        }
        return Optional.empty();
    }

    /**
     * Applies what the choice implies to the values about to be saved (the US Gov choice needs a US Gov cloud).
     *
     * @param values the values of the form, changed in place
     */
    void imply(Map<String, String> values) {
        values.putAll(implied);
        if (this == OUTLOOK_USGOV && !values.getOrDefault("cloud", "").startsWith("usgov")) {
            values.put("cloud", "usgov-gcchigh");
        } else if (this == OUTLOOK && values.getOrDefault("cloud", "").startsWith("usgov")) {
            values.put("cloud", "global");
        }
    }

    /**
     * Returns the prefix of this choice's form fields: one per transport kind, so choices of the same kind share
     * their fields and switching keeps what was typed.
     *
     * @return for example "relay" or "oauth-microsoft"
     */
    String fieldPrefix() {
        return prefixOf(factoryPid);
    }

    /**
     * Returns the form-field prefix of a transport kind.
     *
     * @param factoryPid the factory PID
     * @return the prefix
     */
    static String prefixOf(String factoryPid) {
        return factoryPid == null ? "pickup" : factoryPid.replaceFirst("^notification\\.", "").replace('.', '-');
    }
}
