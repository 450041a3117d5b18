package notification.core.internal;

import java.io.IOException;
import java.util.Dictionary;
import org.osgi.framework.BundleContext;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;

/**
 * Tells which store {@code notification.core}'s configuration asks for right now, as Config Admin holds it: the
 * pool's component and the notification service each get a changed configuration in turn, so when the pool goes the
 * service's own copy may still be the old one.
 */
final class ChosenStore {

    private ChosenStore() {
    }

    /**
     * Whether the administrator chose the journal: the configuration says so (or is gone: the journal is the
     * default). False when Config Admin cannot be asked (the framework stops), or when it still says
     * {@code store=postgresql} (the pool's bundle stopped, or the pool was replaced).
     *
     * @param context the bundle context, or null outside a framework
     * @return true if the outbox is to be in the journal
     */
    static boolean journal(BundleContext context) {
        ServiceReference<ConfigurationAdmin> ref = context == null ? null
                : context.getServiceReference(ConfigurationAdmin.class);
        ConfigurationAdmin admin = ref == null ? null : context.getService(ref);
        if (admin == null) {
            return false;
        }
        try {
            Configuration[] stored = admin.listConfigurations("(service.pid=" + CoreConfiguration.PID + ")");
            Dictionary<String, Object> props = stored == null || stored.length == 0 ? null : stored[0].getProperties();
            Object store = props == null ? null : props.get("store");
            return store == null || !"postgresql".equalsIgnoreCase(store.toString().trim());
        } catch (IOException | InvalidSyntaxException | RuntimeException e) {
            return false;
        } finally {
            context.ungetService(ref);
        }
    }
}
