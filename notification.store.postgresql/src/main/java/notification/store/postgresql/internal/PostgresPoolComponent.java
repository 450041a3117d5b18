package notification.store.postgresql.internal;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.SQLException;
import java.util.Hashtable;
import java.util.Objects;
import java.util.Properties;
import javax.sql.DataSource;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.jdbc.DataSourceFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * While {@code conf/notification.core.cfg} says {@code store=postgresql}, keeps a pool of connections to the
 * configured database (the PostgreSQL driver's {@link DataSourceFactory} behind HikariCP) and publishes it as a
 * {@link DataSource} with {@code notification.store=postgresql}, which the notification service binds.
 *
 * <p>The pool is registered by this component rather than by DS so that its service properties never carry the
 * password; it opens no connection until the first one is asked for, so a database that is down at start-up only
 * delays deliveries.
 */
@Component(configurationPid = "notification.core", configurationPolicy = ConfigurationPolicy.REQUIRE,
        service = {}, immediate = true)
public final class PostgresPoolComponent {
    /** The service property that marks the outbox's pool, and its value. */
    public static final String STORE = "notification.store";
    private static final Logger LOG = LoggerFactory.getLogger(PostgresPoolComponent.class);

    private final BundleContext context;
    private final DataSourceFactory driver;
    private PoolSettings current;
    private HikariDataSource pool;
    private ServiceRegistration<DataSource> registration;

    /**
     * Opens the pool when the configuration asks for PostgreSQL.
     *
     * @param context the bundle context, to publish the pool
     * @param driver the PostgreSQL driver's factory
     * @param config the notification service's configuration
     */
    @Activate
    public PostgresPoolComponent(BundleContext context,
            @Reference(target = "(osgi.jdbc.driver.class=org.postgresql.Driver)") DataSourceFactory driver,
            PoolConfiguration config) {
        this.context = context;
        this.driver = driver;
        apply(config);
    }

    @Modified
    synchronized void apply(PoolConfiguration config) {
        PoolSettings wanted;
        try {
            wanted = PoolSettings.from(config);
        } catch (IllegalArgumentException e) {
            LOG.error("notification outbox: {}; the outbox stays in the local journal", e.getMessage());
            close();
            return;
        }
        if (Objects.equals(wanted, current)) {
            return;
        }
        close();
        current = wanted;
        if (wanted == null) {
            return;
        }
        try {
            pool = open(wanted);
            Hashtable<String, Object> props = new Hashtable<>();
            props.put(STORE, "postgresql");
            props.put("jdbc.target", wanted.target());
            props.put("jdbc.user", wanted.user());
            registration = context.registerService(DataSource.class, pool, props);
            LOG.info("notification outbox: using PostgreSQL at {} as {}", wanted.target(), wanted.user());
        } catch (SQLException | RuntimeException e) {
            LOG.error("notification outbox: the PostgreSQL pool for {} cannot be set up: {}", wanted.target(),
                    e.getMessage());
            close();
        }
    }

    private HikariDataSource open(PoolSettings s) throws SQLException {
        Properties props = new Properties();
        props.put(DataSourceFactory.JDBC_URL, s.url());
        // a connection whose answer never comes (a peer gone without a reset, a lossy network) fails after 30 s and
        // leaves the pool, instead of holding a delivery thread for ever; a jdbcUrl that sets these keeps its values
        defaultTo(props, s.url(), "socketTimeout", "30");
        defaultTo(props, s.url(), "tcpKeepAlive", "true");
        HikariConfig config = new HikariConfig();
        config.setPoolName("notification-outbox");
        config.setDataSource(driver.createDataSource(props));
        config.setUsername(s.user());
        config.setPassword(s.password());
        config.setMaximumPoolSize(s.poolSize());
        config.setConnectionTimeout(5000);
        // no connection at start: the database may come up later; every commit waits for the WAL flush
        config.setInitializationFailTimeout(-1);
        config.setConnectionInitSql("SET synchronous_commit TO on");
        return new HikariDataSource(config);
    }

    private static void defaultTo(Properties props, String url, String key, String value) {
        if (!url.contains(key + "=")) {
            props.put(key, value);
        }
    }

    @Deactivate
    synchronized void close() {
        // unregister first: the notification service's unbind runs meanwhile, with the pool still open (a lone node
        // switching back to the journal moves what waits in the database then); close the pool only afterwards
        if (registration != null) {
            try {
                registration.unregister();
            } catch (IllegalStateException alreadyGone) {
                // the framework is stopping
            }
            registration = null;
        }
        if (pool != null) {
            pool.close();
            pool = null;
        }
        current = null;
    }
}
