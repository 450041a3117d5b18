package notification.webconsole.internal;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Dictionary;
import java.util.Enumeration;
import java.util.Hashtable;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import notification.api.transport.TransportName;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;

/**
 * Finds, merges and orders the transports' configurations in Config Admin. A save changes only the keys given, keeps
 * every other key, and never renames a transport; the order changes only where asked.
 */
final class TransportConfigurations {
    static final String CORE_PID = "notification.core";
    /** The name of a factory configuration the page creates: {@code <factory>~console}. */
    static final String NEW_CONFIGURATION_NAME = "console";

    /**
     * A transport's stored configuration.
     *
     * @param pid the configuration's PID, for example "notification.relay~office"
     * @param factoryPid its factory PID
     * @param name the transport name it gives
     * @param properties its stored properties (secrets included: never render them)
     */
    record Stored(String pid, String factoryPid, String name, Map<String, Object> properties) {
    }

    private final ConfigurationAdmin configurationAdmin;

    TransportConfigurations(ConfigurationAdmin configurationAdmin) {
        this.configurationAdmin = configurationAdmin;
    }

    /**
     * Finds the configuration a transport name comes from: one whose {@code name} is that name, else a factory
     * configuration named so after "~" that sets no other name.
     *
     * @param name the transport name
     * @return the configuration
     */
    Optional<Stored> byName(String name) {
        return all().stream().filter(s -> s.name().equalsIgnoreCase(name)).findFirst();
    }

    /**
     * Finds a configuration by its PID.
     *
     * @param pid the PID
     * @return the configuration
     */
    Optional<Stored> byPid(String pid) {
        return all().stream().filter(s -> s.pid().equals(pid)).findFirst();
    }

    /**
     * Returns the configurations of one transport kind, those in the delivery order first, in that order.
     *
     * @param factoryPid the factory PID
     * @return the configurations
     */
    List<Stored> ofFactory(String factoryPid) {
        List<String> order = order();
        List<Stored> found = new ArrayList<>(all().stream().filter(s -> factoryPid.equals(s.factoryPid())).toList());
        found.sort((a, b) -> Integer.compare(rank(order, a.name()), rank(order, b.name())));
        return found;
    }

    /**
     * Returns the transport order configured in {@code notification.core}.
     *
     * @return the names, first choice first; empty when not configured
     */
    List<String> order() {
        Map<String, Object> core = properties(CORE_PID);
        return core == null ? List.of() : names(core.get("transports"));
    }

    /**
     * Saves changed keys into a configuration, keeping every other key as stored.
     *
     * @param pid the configuration's PID
     * @param changes keys to set
     * @param removals keys to remove (back to their defaults)
     * @return whether anything changed
     * @throws IOException if Config Admin cannot save
     */
    boolean merge(String pid, Map<String, Object> changes, Collection<String> removals) throws IOException {
        Configuration config = configuration(pid);
        Dictionary<String, Object> props = config.getProperties();
        Hashtable<String, Object> merged = new Hashtable<>();
        if (props != null) {
            for (Enumeration<String> keys = props.keys(); keys.hasMoreElements();) {
                String key = keys.nextElement();
                merged.put(key, props.get(key));
            }
        }
        merged.putAll(changes);
        removals.forEach(merged::remove);
        return config.updateIfDifferent(merged);
    }

    /**
     * Returns the PID for a new configuration of a transport kind.
     *
     * @param factoryPid the factory PID
     * @return for example "notification.relay~console", or with a number when that one exists
     */
    String newPid(String factoryPid) {
        String pid = factoryPid + "~" + NEW_CONFIGURATION_NAME;
        for (int i = 2; byPid(pid).isPresent(); i++) {
            pid = factoryPid + "~" + NEW_CONFIGURATION_NAME + i;
        }
        return pid;
    }

    /**
     * Tells whether a transport name is in use by a configuration.
     *
     * @param name the name
     * @return whether one gives it
     */
    boolean nameTaken(String name) {
        return byName(name).isPresent();
    }

    /**
     * Makes a transport the first choice, keeping every other name in its order.
     *
     * @param name the transport name
     * @throws IOException if Config Admin cannot save
     */
    void putFirst(String name) throws IOException {
        List<String> order = new ArrayList<>(order());
        order.remove(name);
        order.add(0, name);
        saveOrder(order);
    }

    /**
     * Moves a transport one place earlier or later in the order.
     *
     * @param name the transport name
     * @param by -1 for earlier, +1 for later
     * @return whether it moved
     * @throws IOException if Config Admin cannot save
     */
    boolean move(String name, int by) throws IOException {
        List<String> order = new ArrayList<>(order());
        int at = order.indexOf(name);
        int to = at + by;
        if (at < 0 || to < 0 || to >= order.size()) {
            return false;
        }
        order.remove(at);
        order.add(to, name);
        saveOrder(order);
        return true;
    }

    /**
     * Removes a transport from the order; its configuration stays.
     *
     * @param name the transport name
     * @return whether it was in the order
     * @throws IOException if Config Admin cannot save
     */
    boolean removeFromOrder(String name) throws IOException {
        List<String> order = new ArrayList<>(order());
        if (!order.remove(name) || order.isEmpty()) {
            return false;
        }
        saveOrder(order);
        return true;
    }

    private void saveOrder(List<String> order) throws IOException {
        Configuration core = configurationAdmin.getConfiguration(CORE_PID, "?");
        Dictionary<String, Object> props = core.getProperties();
        if (props == null) {
            props = new Hashtable<>();
        }
        props.put("transports", order.toArray(new String[0]));
        core.update(props);
    }

    private Configuration configuration(String pid) throws IOException {
        int tilde = pid.indexOf('~');
        return tilde < 0 ? configurationAdmin.getConfiguration(pid, "?")
                : configurationAdmin.getFactoryConfiguration(pid.substring(0, tilde), pid.substring(tilde + 1), "?");
    }

    private List<Stored> all() {
        List<Stored> found = new ArrayList<>();
        try {
            Configuration[] configs = configurationAdmin.listConfigurations("(service.factoryPid=*)");
            for (Configuration c : configs == null ? new Configuration[0] : configs) {
                Map<String, Object> props = copy(c.getProperties());
                if (props != null) {
                    found.add(new Stored(c.getPid(), c.getFactoryPid(), nameOf(c.getPid(), props), props));
                }
            }
        } catch (IOException | InvalidSyntaxException e) {
            return List.of();
        }
        return found;
    }

    private Map<String, Object> properties(String pid) {
        try {
            Configuration[] found = configurationAdmin.listConfigurations("(service.pid=" + pid + ")");
            return found == null || found.length == 0 ? null : copy(found[0].getProperties());
        } catch (IOException | InvalidSyntaxException e) {
            return null;
        }
    }

    private static Map<String, Object> copy(Dictionary<String, Object> props) {
        if (props == null) {
            return null;
        }
        Map<String, Object> map = new LinkedHashMap<>();
        for (Enumeration<String> keys = props.keys(); keys.hasMoreElements();) {
            String key = keys.nextElement();
            map.put(key, props.get(key));
        }
        return map;
    }

    /** The name a configuration gives its transport ({@link TransportName}), or its PID when that name is refused. */
    static String nameOf(String pid, Map<String, Object> properties) {
        Object name = properties.get("name");
        try {
            return TransportName.fromConfiguration(name == null ? null : name.toString(), pid).value();
        } catch (IllegalArgumentException e) {
            return pid;
        }
    }

    private static int rank(List<String> order, String name) {
        int at = order.indexOf(name);
        return at < 0 ? Integer.MAX_VALUE : at;
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
}
