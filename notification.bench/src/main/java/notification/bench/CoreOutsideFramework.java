package notification.bench;

import java.lang.annotation.Annotation;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import javax.sql.DataSource;
import notification.api.NotificationService;
import notification.api.transport.MailTransport;
import org.osgi.framework.BundleContext;

/**
 * Runs notification.core's NotificationService in a plain JVM: the DS component built with its public constructor,
 * the transport bound through its DS bind method, as Service Component Runtime would. Reached by reflection, so that
 * the benchmark still compiles when the core's private classes change (it then says what to update).
 */
final class CoreOutsideFramework implements AutoCloseable {
    private static final String SERVICE = "notification.core.internal.OutboxNotificationService";
    private static final String CONFIGURATION = "notification.core.internal.CoreConfiguration";

    private final Class<?> serviceClass;
    private final NotificationService service;

    CoreOutsideFramework(Path dataDir, String transportName, MailTransport transport) throws Exception {
        this(dataDir, transportName, transport, Map.of());
    }

    /**
     * Builds the core with configuration values besides the transport list.
     *
     * @param config more configuration keys, for example {@code node}
     */
    CoreOutsideFramework(Path dataDir, String transportName, MailTransport transport, Map<String, Object> config)
            throws Exception {
        BundleContext context = (BundleContext) Proxy.newProxyInstance(BundleContext.class.getClassLoader(),
                new Class<?>[] {BundleContext.class}, (proxy, method, args) -> {
                    if (method.getName().equals("getProperty")) {
                        return "notification.data.dir".equals(args[0]) ? dataDir.toString() : null;
                    }
                    if (method.getName().equals("registerService")) {
                        return null; // the core registers its service itself; here nobody looks it up
                    }
                    throw new UnsupportedOperationException("BundleContext." + method.getName() + " outside OSGi");
                });
        try {
            serviceClass = Class.forName(SERVICE);
            Class<? extends Annotation> configClass = Class.forName(CONFIGURATION).asSubclass(Annotation.class);
            Map<String, Object> values = new HashMap<>(config);
            values.put("transports", new String[] {transportName});
            Annotation annotation = Annotations.of(configClass, values);
            service = (NotificationService) serviceClass.getConstructor(BundleContext.class, configClass, Map.class)
                    .newInstance(context, annotation, Map.of("service.pid", "notification.core"));
        } catch (InvocationTargetException e) {
            throw e.getCause() instanceof Exception x ? x : e;
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("notification.core changed: cannot build " + SERVICE + "(BundleContext, "
                    + CONFIGURATION + ", Map); update the benchmark's CoreOutsideFramework", e);
        }
        invoke("bindTransport", new Class<?>[] {MailTransport.class, Map.class}, transport,
                Map.of(MailTransport.NAME, transportName, MailTransport.TYPE, "relay", "service.id", 1L));
    }

    /** Sends new notifications to the shared outbox in this database, as the bound pool service would. */
    void useDatabase(DataSource pool, String target, String user) throws Exception {
        invoke("bindDataSource", new Class<?>[] {DataSource.class, Map.class}, pool,
                Map.of("notification.store", "postgresql", "jdbc.target", target, "jdbc.user", user));
    }

    NotificationService service() {
        return service;
    }

    private void invoke(String name, Class<?>[] types, Object... args) throws Exception {
        Method m;
        try {
            m = serviceClass.getDeclaredMethod(name, types);
        } catch (NoSuchMethodException e) {
            throw new IllegalStateException("notification.core changed: " + SERVICE + "." + name
                    + " is gone; update the benchmark's CoreOutsideFramework", e);
        }
        m.setAccessible(true);
        try {
            m.invoke(service, args);
        } catch (InvocationTargetException e) {
            throw e.getCause() instanceof Exception x ? x : e;
        }
    }

    @Override
    public void close() throws Exception {
        invoke("deactivate", new Class<?>[0]);
    }
}
