package notification.core.internal;

import java.time.Clock;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.Map;
import javax.sql.DataSource;
import notification.api.transport.SendingBudget;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;

/**
 * Publishes the {@link SendingBudget}: counted in memory while the outbox is the local journal, in the database while
 * {@code store=postgresql} (the pool {@code notification.store.postgresql} publishes then), switching while running.
 * Registered by hand, like the notification service, so that no configuration value ({@code jdbcPassword}) becomes a
 * service property; the property {@code notification.store} says which store counts.
 */
@Component(service = {}, immediate = true, configurationPid = CoreConfiguration.PID,
        configurationPolicy = ConfigurationPolicy.OPTIONAL)
public final class SendingBudgetComponent {
    /** Service property: {@code journal} (this node counts alone) or {@code postgresql} (the nodes share). */
    static final String STORE = "notification.store";

    private final BundleContext context;
    private final StoreBudget budget = new StoreBudget(new MemoryBudget(Clock.systemUTC()));
    private final ServiceRegistration<SendingBudget> registration;
    private volatile String node;
    private DataSource pool;
    private PostgresBudget shared;

    /**
     * Publishes the budget, counting in memory until a shared pool is bound.
     *
     * @param context the bundle context
     * @param config the core's configuration, for the node's name
     */
    @Activate
    public SendingBudgetComponent(BundleContext context, CoreConfiguration config) {
        this.context = context;
        this.node = NodeName.of(config.node(), context);
        this.registration = context.registerService(SendingBudget.class, budget, properties("journal"));
    }

    @Modified
    void modified(CoreConfiguration config) {
        // a new node name counts from the next pool on (the pool is republished when the store's settings change)
        node = NodeName.of(config.node(), context);
    }

    /**
     * Counts in the shared database from now on.
     *
     * @param pool the connection pool
     * @param props its service properties: the database's URL without credentials and the user
     */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY, target = "(notification.store=postgresql)")
    synchronized void bindDataSource(DataSource pool, Map<String, Object> props) {
        PostgresBudget old = shared;
        shared = new PostgresBudget(pool, node, String.valueOf(props.get("jdbc.target")),
                String.valueOf(props.get("jdbc.user")), PostgresBudget.LEASE);
        this.pool = pool;
        budget.share(shared);
        registration.setProperties(properties("postgresql"));
        if (old != null) {
            old.close();
        }
    }

    synchronized void unbindDataSource(DataSource pool) {
        if (pool == this.pool) {
            budget.share(null);
            shared.close();
            shared = null;
            this.pool = null;
            registration.setProperties(properties("journal"));
        }
    }

    @Deactivate
    synchronized void deactivate() {
        try {
            registration.unregister();
        } catch (IllegalStateException alreadyGone) {
            // the framework is stopping
        }
        if (shared != null) {
            shared.close();
        }
    }

    private static Dictionary<String, Object> properties(String store) {
        Dictionary<String, Object> props = new Hashtable<>();
        props.put(STORE, store);
        return props;
    }
}
