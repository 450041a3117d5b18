package notification.relay.internal;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ScheduledExecutorService;
import notification.api.Person;
import notification.api.transport.DeliveryResult;
import notification.api.transport.MailTransport;
import notification.api.transport.OutgoingMessage;
import notification.api.transport.TransportHealth;
import notification.api.transport.TransportLimits;
import notification.smtp.SmtpClient;
import notification.smtp.SmtpResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Delivers messages through one SMTP server with the SMTP engine (a small pool of reused connections). */
public final class SmtpRelayTransport implements MailTransport, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SmtpRelayTransport.class);
    private static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofSeconds(30);

    private final Duration idleTimeout;
    private final ScheduledExecutorService timer = SmtpClient.newTimer("notification.relay timer");
    private final RelayHealth health = new RelayHealth(Clock.systemUTC());
    private volatile Current current;

    /** The settings in force and their engine, or the reason there are none. */
    private record Current(String name, RelaySettings settings, SmtpClient engine, String problem) {
    }

    /**
     * Creates a relay transport.
     *
     * @param name the transport's name
     * @param config the configuration; an invalid one leaves the transport NOT_CONFIGURED
     */
    public SmtpRelayTransport(String name, RelayConfiguration config) {
        this(name, config, DEFAULT_IDLE_TIMEOUT);
    }

    SmtpRelayTransport(String name, RelayConfiguration config, Duration idleTimeout) {
        this.idleTimeout = idleTimeout;
        this.current = load(name, config);
    }

    /**
     * Applies a new configuration: later deliveries use new connections with the new settings; connections in use
     * finish their message and are closed.
     *
     * @param name the transport's name
     * @param config the new configuration
     */
    public void reconfigure(String name, RelayConfiguration config) {
        Current old = current;
        current = load(name, config);
        health.reconfigured();
        if (old.engine != null) {
            old.engine.close();
        }
    }

    private Current load(String name, RelayConfiguration config) {
        try {
            RelaySettings settings = RelaySettings.check(config);
            LOG.info("Relay '{}': {}", name, settings);
            return new Current(name, settings, new SmtpClient(settings.server(idleTimeout), timer), null);
        } catch (InvalidRelayConfigurationException e) {
            LOG.warn("Relay '{}' is not configured: {}", name, e.getMessage());
            return new Current(name, null, null, e.getMessage());
        }
    }

    @Override
    public Person sender() {
        RelaySettings s = current.settings;
        return s == null ? new Person(null, "unconfigured@invalid") : s.sender;
    }

    @Override
    public DeliveryResult deliver(OutgoingMessage message) {
        Current c = current;
        if (c.settings == null) {
            return DeliveryResult.unavailable("Relay '" + c.name + "' is not configured: " + c.problem);
        }
        long max = c.settings.limits.maxMessageSize();
        if (max > 0 && message.size() > max) {
            return DeliveryResult.permanentFailure("The message has " + message.size()
                    + " bytes, more than this relay's maxMessageSize of " + max + " bytes");
        }
        SmtpResult sent = c.engine.send(message);
        DeliveryResult result = sent.delivery();
        if (sent.outcome() == SmtpResult.Outcome.SENT) {
            health.succeeded();
            return result;
        }
        if (result.recipientResults().stream().anyMatch(r -> r.status() == DeliveryResult.Status.SENT)) {
            health.succeeded();
        }
        health.failed(result.reply(), sent.serverProblem());
        if (sent.serverProblem()) {
            LOG.warn("Relay '{}': {} not delivered ({}): {}", c.name, message.messageId(), result.status(),
                    result.reply());
        } else {
            LOG.debug("Relay '{}': {} {} for {}: {}", c.name, message.messageId(), result.status(),
                    message.recipients(), result.reply());
        }
        return result;
    }

    @Override
    public TransportHealth health() {
        Current c = current;
        return health.report(c.name, c.settings, c.problem);
    }

    @Override
    public TransportLimits limits() {
        RelaySettings s = current.settings;
        return s == null ? TransportLimits.SINGLE_CONNECTION : s.limits;
    }

    /** Connects, says EHLO, STARTTLS and AUTH as configured, sends nothing, and reports the result. */
    @Override
    public TransportHealth testConnection() {
        check(current);
        return health();
    }

    /**
     * Runs the connection check of {@link #testConnection()} on a thread of its own, so the relay proves itself (or
     * shows what is wrong) right after activation or a change, without holding up either. Bounded by the
     * configured connect and read timeouts; a check overtaken by a newer configuration is ignored.
     */
    void checkInBackground() {
        Current c = current;
        if (c.settings == null) {
            return;
        }
        Thread thread = new Thread(() -> {
            if (current == c) {
                check(c);
            }
        }, "notification.relay check " + c.name);
        thread.setDaemon(true);
        thread.start();
    }

    private void check(Current c) {
        if (c.settings == null) {
            return;
        }
        Instant started = health.checkStarts();
        SmtpResult checked = c.engine.check();
        if (current != c) {
            return;
        }
        if (checked.outcome() == SmtpResult.Outcome.CHECKED) {
            health.checked(started);
        } else {
            health.checkFailed(checked.delivery().reply(), started);
        }
    }

    /**
     * Returns how many SMTP connections the current configuration has opened so far (for benchmarks).
     *
     * @return the number of connections opened
     */
    public long connectionsOpened() {
        SmtpClient engine = current.engine;
        return engine == null ? 0 : engine.connectionsOpened();
    }

    /** Returns the SMTP engine in use (for tests), or {@code null} when not configured. */
    SmtpClient engine() {
        return current.engine;
    }

    /** Closes every connection and stops the timer. */
    @Override
    public void close() {
        Current c = current;
        if (c.engine != null) {
            c.engine.close();
        }
        timer.shutdownNow();
    }
}
