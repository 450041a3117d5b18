package notification.relay.internal;

import jakarta.mail.MessagingException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Properties;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import notification.api.Person;
import notification.api.transport.DeliveryResult;
import notification.api.transport.MailTransport;
import notification.api.transport.OutgoingMessage;
import notification.api.transport.TransportHealth;
import notification.api.transport.TransportLimits;
import org.eclipse.angus.mail.smtp.SMTPTransport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Delivers messages through one SMTP server over a small pool of reused connections. */
public final class SmtpRelayTransport implements MailTransport, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SmtpRelayTransport.class);
    private static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofSeconds(30);

    private final Duration idleTimeout;
    private final ScheduledExecutorService timer;
    private final RelayHealth health = new RelayHealth(Clock.systemUTC());
    private volatile Current current;

    /** The settings in force and their connection pool, or the reason there are none. */
    private record Current(String name, RelaySettings settings, SmtpConnectionPool pool, String problem,
            Properties sessionProperties, WriteWatchdog watchdog, long borrowWaitNanos) {
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
        // two threads: a QUIT to an idle connection never holds up another connection's write timeout
        ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(2, r -> {
            Thread t = new Thread(r, "notification.relay timer");
            t.setDaemon(true);
            return t;
        });
        // with implicit TLS every write schedules a write timeout and cancels it: drop cancelled ones at once
        executor.setRemoveOnCancelPolicy(true);
        this.timer = executor;
        long period = Math.max(idleTimeout.toMillis() / 2, 100);
        timer.scheduleWithFixedDelay(this::closeIdleConnections, period, period, TimeUnit.MILLISECONDS);
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
        if (old.pool != null) {
            old.pool.close();
            old.watchdog.retire();
        }
    }

    private Current load(String name, RelayConfiguration config) {
        try {
            RelaySettings settings = RelaySettings.check(config);
            WriteWatchdog watchdog = new WriteWatchdog(settings.writeTimeoutMs, timer);
            Properties props = SmtpSessionProperties.of(settings, watchdog, timer);
            LOG.info("Relay '{}': {}", name, settings);
            return new Current(name, settings, new SmtpConnectionPool(settings, props, idleTimeout), null, props,
                    watchdog, TimeUnit.MILLISECONDS.toNanos(2L * settings.readTimeoutMs));
        } catch (InvalidRelayConfigurationException e) {
            LOG.warn("Relay '{}' is not configured: {}", name, e.getMessage());
            return new Current(name, null, null, e.getMessage(), null, null, 0);
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
        return withMailClassLoader(() -> send(c, message));
    }

    private DeliveryResult send(Current c, OutgoingMessage message) {
        SmtpConnection connection = null;
        boolean failed = true;
        try {
            connection = c.pool.borrow(c.borrowWaitNanos);
            if (connection == null) {
                return DeliveryResult.transientFailure("All " + c.settings.limits.maxConnections()
                        + " connections to " + c.settings.server() + " stayed busy");
            }
            String reply = connection.send(message);
            failed = false;
            health.succeeded();
            return DeliveryResult.sent(reply);
        } catch (EnvelopeSmtpTransport.SmtpUtf8Missing e) {
            failed = false;
            return DeliveryResult.permanentFailure(e.getMessage() + " (" + c.settings.server() + ")");
        } catch (MessagingException e) {
            DeliveryResult result = SmtpFailureClassifier.classify(e, message.recipients(), c.settings);
            boolean serverProblem = connection == null
                    || result.recipientResults().isEmpty() && result.status() == DeliveryResult.Status.TRANSIENT;
            if (result.recipientResults().stream().anyMatch(r -> r.status() == DeliveryResult.Status.SENT)) {
                health.succeeded();
            }
            health.failed(result.reply(), serverProblem);
            if (serverProblem) {
                LOG.warn("Relay '{}': {} not delivered ({}): {}", c.name, message.messageId(), result.status(),
                        result.reply());
            } else {
                LOG.debug("Relay '{}': {} {} for {}: {}", c.name, message.messageId(), result.status(),
                        message.recipients(), result.reply());
            }
            return result;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return DeliveryResult.transientFailure("Interrupted while waiting for a connection");
        } catch (RuntimeException e) {
            LOG.warn("Relay '{}': cannot send {}", c.name, message.messageId(), e);
            return DeliveryResult.transientFailure("Could not send the message: " + e);
        } finally {
            if (connection != null) {
                c.pool.release(connection, failed);
            }
        }
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
        withMailClassLoader(() -> {
            try {
                SmtpConnection.open(c.settings, c.sessionProperties).close();
                if (current == c) {
                    health.checked(started);
                }
            } catch (MessagingException e) {
                if (current == c) {
                    health.checkFailed(SmtpFailureClassifier.describe(e, c.settings), started);
                }
            }
            return null;
        });
    }

    /**
     * Returns how many SMTP connections the current configuration has opened so far (for benchmarks).
     *
     * @return the number of connections opened
     */
    public long connectionsOpened() {
        SmtpConnectionPool pool = current.pool;
        return pool == null ? 0 : pool.connectionsOpened();
    }

    /** Returns the connection pool in use (for tests), or {@code null} when not configured. */
    SmtpConnectionPool pool() {
        return current.pool;
    }

    private void closeIdleConnections() {
        SmtpConnectionPool pool = current.pool;
        if (pool != null) {
            pool.closeIdle();
        }
    }

    /** Closes every connection and stops the timer. */
    @Override
    public void close() {
        Current c = current;
        if (c.pool != null) {
            c.pool.close();
            c.watchdog.retire();
        }
        timer.shutdownNow();
    }

    /** Runs Jakarta Mail code with the Angus Mail bundle's class loader as context class loader (OSGi). */
    private static <T> T withMailClassLoader(Supplier<T> work) {
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        thread.setContextClassLoader(SMTPTransport.class.getClassLoader());
        try {
            return work.get();
        } finally {
            thread.setContextClassLoader(previous);
        }
    }
}
