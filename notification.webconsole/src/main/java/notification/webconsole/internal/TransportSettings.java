package notification.webconsole.internal;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Dictionary;
import java.util.HashMap;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;

/**
 * Reads and writes the transport configurations the page edits: {@code notification.oauth.microsoft~console},
 * {@code notification.relay~console} and the {@code transports} order of {@code notification.core}.
 */
final class TransportSettings {
    static final String OAUTH_FACTORY = "notification.oauth.microsoft";
    static final String RELAY_FACTORY = "notification.relay";
    static final String CORE_PID = "notification.core";
    static final String CONFIG_NAME = "console";
    /** Transport name of the Microsoft transport the page configures. */
    static final String OAUTH_TRANSPORT = "microsoft";
    /** Transport name of the relay the page configures. */
    static final String RELAY_TRANSPORT = "relay";

    static final List<String> OAUTH_KEYS = List.of("username", "tenantId", "clientId", "redirectUri", "cloud",
            "authMode", "protocol", "authorityUrl", "smtpHost", "smtpPort", "smtpScope", "graphUrl", "graphScope", "trustStore");
    static final List<String> CUSTOM_CLOUD_KEYS = List.of("authorityUrl", "smtpHost", "smtpPort", "smtpScope",
            "graphUrl", "graphScope");
    static final List<String> RELAY_KEYS = List.of("host", "port", "security", "username", "from", "fromName");
    /** Secret fields: never shown, kept when left empty. */
    static final List<String> SECRETS = List.of("oauth.clientSecret", "oauth.trustStorePassword", "relay.password");

    private static final Set<String> CLOUDS = Set.of("global", "usgov-gcchigh", "usgov-dod", "china", "custom");
    private static final Set<String> SECURITY = Set.of("none", "starttls", "tls");
    private static final Set<String> AUTH_MODES = Set.of("delegated", "app");

    private final ConfigurationAdmin configurationAdmin;

    TransportSettings(ConfigurationAdmin configurationAdmin) {
        this.configurationAdmin = configurationAdmin;
    }

    /**
     * Returns the stored values as form fields ("oauth.clientId", "relay.host", ...), secrets left out.
     *
     * @return the values
     */
    Map<String, String> storedValues() {
        Map<String, String> values = new HashMap<>();
        copy(read(OAUTH_FACTORY + "~" + CONFIG_NAME), OAUTH_KEYS, "oauth.", values);
        copy(read(RELAY_FACTORY + "~" + CONFIG_NAME), RELAY_KEYS, "relay.", values);
        return values;
    }

    /**
     * Tells whether a secret field has a stored value.
     *
     * @param field for example "oauth.clientSecret"
     * @return whether a non-empty value is stored
     */
    boolean hasStoredSecret(String field) {
        int dot = field.indexOf('.');
        String pid = (field.startsWith("oauth.") ? OAUTH_FACTORY : RELAY_FACTORY) + "~" + CONFIG_NAME;
        Dictionary<String, Object> props = read(pid);
        Object v = props == null ? null : props.get(field.substring(dot + 1));
        return v != null && !v.toString().isEmpty();
    }

    /**
     * Returns the transport order configured in {@code notification.core}.
     *
     * @return the names, first choice first
     */
    List<String> transportOrder() {
        Dictionary<String, Object> core = read(CORE_PID);
        return core == null ? List.of() : names(core.get("transports"));
    }

    /**
     * Checks and saves the Microsoft transport's configuration.
     *
     * @param option the chosen Outlook or Graph option
     * @param form the submitted form
     * @param noFailover transports not to keep as failovers
     * @throws SettingsException naming the wrong field; nothing is saved
     * @throws IOException if Config Admin cannot save
     */
    void saveMicrosoft(ServerOption option, Map<String, String> form, Set<String> noFailover)
            throws SettingsException, IOException {
        Configuration config = configurationAdmin.getFactoryConfiguration(OAUTH_FACTORY, CONFIG_NAME, "?");
        Dictionary<String, Object> stored = config.getProperties();
        String cloud = FormFields.oneOf(form, "oauth.cloud", "Cloud", CLOUDS, "global");
        if (option == ServerOption.OUTLOOK_USGOV && !cloud.startsWith("usgov")) {
            cloud = "usgov-gcchigh";
        }
        Hashtable<String, Object> props = new Hashtable<>();
        props.put("name", OAUTH_TRANSPORT);
        props.put("cloud", cloud);
        props.put("protocol", option == ServerOption.GRAPH ? "graph" : "smtp");
        String authMode = FormFields.oneOf(form, "oauth.authMode", "Sign-in", AUTH_MODES, "delegated");
        props.put("authMode", authMode);
        props.put("username", FormFields.mailbox(form, "oauth.username", "Username"));
        props.put("tenantId", FormFields.required(form, "oauth.tenantId", "Tenant ID"));
        props.put("clientId", FormFields.required(form, "oauth.clientId", "Client ID"));
        props.put("clientSecret", FormFields.secret(form, stored, "oauth.clientSecret", "Client Secret", true));
        if (authMode.equals("delegated")) {
            props.put("redirectUri", FormFields.url(form, "oauth.redirectUri", "Redirect URI", true));
        }
        if (cloud.equals("custom")) {
            props.put("authorityUrl", FormFields.url(form, "oauth.authorityUrl", "Authority URL", true));
            if (option == ServerOption.GRAPH) {
                props.put("graphUrl", FormFields.url(form, "oauth.graphUrl", "Graph URL", true));
                putIfGiven(props, "graphScope", form.get("oauth.graphScope"));
            } else {
                props.put("smtpHost", FormFields.required(form, "oauth.smtpHost", "SMTP host"));
                putIfGiven(props, "smtpPort", FormFields.port(form, "oauth.smtpPort", "SMTP port"));
                putIfGiven(props, "smtpScope", form.get("oauth.smtpScope"));
            }
        }
        putIfGiven(props, "trustStore", form.get("oauth.trustStore"));
        putIfGiven(props, "trustStorePassword",
                FormFields.secret(form, stored, "oauth.trustStorePassword", "Trust store password", false));
        config.update(props);
        putFirst(OAUTH_TRANSPORT, noFailover);
    }

    /**
     * Checks and saves the relay's configuration.
     *
     * @param form the submitted form
     * @param noFailover transports not to keep as failovers
     * @throws SettingsException naming the wrong field; nothing is saved
     * @throws IOException if Config Admin cannot save
     */
    void saveRelay(Map<String, String> form, Set<String> noFailover) throws SettingsException, IOException {
        Configuration config = configurationAdmin.getFactoryConfiguration(RELAY_FACTORY, CONFIG_NAME, "?");
        Dictionary<String, Object> stored = config.getProperties();
        Hashtable<String, Object> props = new Hashtable<>();
        props.put("name", RELAY_TRANSPORT);
        props.put("host", FormFields.required(form, "relay.host", "Host"));
        Integer port = FormFields.port(form, "relay.port", "Port");
        props.put("port", port == null ? 587 : port);
        props.put("security", FormFields.oneOf(form, "relay.security", "Security", SECURITY, "starttls"));
        props.put("from", FormFields.mailbox(form, "relay.from", "From address"));
        putIfGiven(props, "fromName", form.get("relay.fromName"));
        String username = FormFields.trimmed(form.get("relay.username"));
        if (!username.isEmpty()) {
            props.put("username", username);
            putIfGiven(props, "password", FormFields.secret(form, stored, "relay.password", "Password", false));
        } else if (!FormFields.trimmed(form.get("relay.password")).isEmpty()) {
            throw new SettingsException("Username", "is required when a password is given");
        }
        config.update(props);
        putFirst(RELAY_TRANSPORT, noFailover);
    }

    /**
     * Makes a transport the first choice in {@code notification.core}'s order, keeping the others as failovers.
     *
     * @param name the transport name
     * @param noFailover names never kept as failovers (a pickup directory would swallow real mail)
     * @throws IOException if Config Admin cannot save
     */
    void putFirst(String name, Set<String> noFailover) throws IOException {
        Configuration core = configurationAdmin.getConfiguration(CORE_PID, "?");
        Dictionary<String, Object> props = core.getProperties();
        if (props == null) {
            props = new Hashtable<>();
        }
        List<String> order = new ArrayList<>();
        order.add(name);
        for (String n : names(props.get("transports"))) {
            if (!order.contains(n) && !noFailover.contains(n)) {
                order.add(n);
            }
        }
        props.put("transports", order.toArray(new String[0]));
        core.update(props);
    }

    private Dictionary<String, Object> read(String pid) {
        try {
            Configuration[] found = configurationAdmin.listConfigurations("(service.pid=" + pid + ")");
            return found == null || found.length == 0 ? null : found[0].getProperties();
        } catch (IOException | InvalidSyntaxException e) {
            return null;
        }
    }

    private static void copy(Dictionary<String, Object> from, List<String> keys, String prefix,
            Map<String, String> to) {
        if (from == null) {
            return;
        }
        for (String key : keys) {
            Object v = from.get(key);
            if (v != null) {
                to.put(prefix + key, v.toString());
            }
        }
    }

    static List<String> names(Object value) {
        List<String> names = new ArrayList<>();
        if (value instanceof String s) {
            for (String part : s.split(",")) {
                if (!part.isBlank()) {
                    names.add(part.trim());
                }
            }
        } else if (value instanceof String[] array) {
            for (String s : array) {
                names.addAll(names(s));
            }
        } else if (value instanceof Collection<?> c) {
            for (Object o : c) {
                names.addAll(names(String.valueOf(o)));
            }
        }
        return names;
    }

    private static void putIfGiven(Hashtable<String, Object> props, String key, Object value) {
        if (value != null && !value.toString().isBlank()) {
            props.put(key, value instanceof String s ? s.trim() : value);
        }
    }
}
