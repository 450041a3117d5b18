package notification.core.internal;

import java.time.Duration;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Holds deliveries back while the service runs without its configuration at start-up: Config Admin may deliver the
 * stored {@code notification.core} configuration a moment after activation, and until then the queued notifications
 * would leave through the default transport instead of the configured one. Without any configuration, deliveries
 * start after {@link #UNCONFIGURED_HOLD}.
 */
final class StartupGate {
    static final Duration UNCONFIGURED_HOLD = Duration.ofSeconds(15);
    private static final Logger LOG = LoggerFactory.getLogger(StartupGate.class);

    private final Instant deadline;
    private volatile boolean open;

    private StartupGate(boolean open, Instant deadline) {
        this.open = open;
        this.deadline = deadline;
    }

    /** A gate that is open from the start (outside a framework, or activated with a configuration). */
    static StartupGate alwaysOpen() {
        return new StartupGate(true, Instant.EPOCH);
    }

    /**
     * Creates the gate for a component just activated.
     *
     * @param configured whether it was activated with its configuration
     * @param now the current time
     * @return the gate, open when configured
     */
    static StartupGate afterActivation(boolean configured, Instant now) {
        return new StartupGate(configured, now.plus(UNCONFIGURED_HOLD));
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
        if (!open && !now.isBefore(deadline)) {
            open = true;
            LOG.info("No configuration {} arrived within {} s of start-up: delivering with the defaults",
                    CoreConfiguration.PID, UNCONFIGURED_HOLD.toSeconds());
        }
        return open;
    }
}
