package notification.core.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.function.BooleanSupplier;
import org.osgi.framework.BundleContext;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Holds deliveries back while the service runs without its configuration at start-up: Config Admin may deliver the
 * stored {@code notification.core} configuration a moment after activation, and until then the queued notifications
 * would leave through the default transport instead of the configured one. When no configuration exists, deliveries
 * start at once; when one exists but does not arrive, after {@link #UNCONFIGURED_HOLD}.
 */
final class StartupGate {
    static final Duration UNCONFIGURED_HOLD = Duration.ofSeconds(15);
    private static final Logger LOG = LoggerFactory.getLogger(StartupGate.class);

    private final Instant deadline;
    private final BooleanSupplier configurationExpected;
    private volatile boolean open;

    private StartupGate(boolean open, Instant deadline, BooleanSupplier configurationExpected) {
        this.open = open;
        this.deadline = deadline;
        this.configurationExpected = configurationExpected;
    }

    /** A gate that is open from the start (outside a framework, or activated with a configuration). */
    static StartupGate alwaysOpen() {
        return new StartupGate(true, Instant.EPOCH, () -> false);
    }

    /**
     * Creates the gate for a component just activated.
     *
     * @param configured whether it was activated with its configuration
     * @param now the current time
     * @param configurationExpected tells whether a configuration exists that has not arrived yet (stored in Config
     *        Admin, or a file in conf/); when none does, the gate opens at once
     * @return the gate, open when configured
     */
    static StartupGate afterActivation(boolean configured, Instant now, BooleanSupplier configurationExpected) {
        return new StartupGate(configured, now.plus(UNCONFIGURED_HOLD), configurationExpected);
    }

    /** The configuration arrived: deliveries may start. */
    void configured() {
        open = true;
    }

    /** When the gate opens at the latest. */
    Instant deadline() {
        return deadline;
    }

    /**
     * Tells whether deliveries may start; once open, it stays open.
     *
     * @param now the current time
     * @return true when deliveries may start
     */
    boolean isOpen(Instant now) {
        if (!open) {
            if (!now.isBefore(deadline)) {
                open = true;
                LOG.warn("The configuration {} did not arrive within {} s of start-up: delivering with the defaults",
                        CoreConfiguration.PID, UNCONFIGURED_HOLD.toSeconds());
            } else if (!configurationExpected.getAsBoolean()) {
                open = true;
            }
        }
        return open;
    }

    /**
     * Tells whether a notification.core configuration exists that may not have been handed over yet: a file in
     * conf/ or one stored in Config Admin.
     *
     * @param context the bundle context
     * @return true when one exists
     */
    static boolean configurationExpected(BundleContext context) {
        String conf = context.getProperty("felix.fileinstall.dir");
        Path dir = Path.of(conf == null || conf.isBlank() ? "conf" : conf);
        if (Files.exists(dir.resolve(CoreConfiguration.PID + ".cfg"))
                || Files.exists(dir.resolve(CoreConfiguration.PID + ".config"))) {
            return true;
        }
        ServiceReference<ConfigurationAdmin> ref = context.getServiceReference(ConfigurationAdmin.class);
        ConfigurationAdmin admin = ref == null ? null : context.getService(ref);
        if (admin == null) {
            return false;
        }
        try {
            Configuration[] stored = admin.listConfigurations("(service.pid=" + CoreConfiguration.PID + ")");
            return stored != null && stored.length > 0;
        } catch (IOException | InvalidSyntaxException | RuntimeException e) {
            return false;
        } finally {
            context.ungetService(ref);
        }
    }
}
