package notification.core.internal;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Lends the pool's connections with time limits, so that a connection that went dead without a reset (a network
 * that drops it, a firewall that forgets it) fails its call instead of holding the dispatcher, or an entry's lease,
 * for ever: every answer must come within {@link #ANSWER_WITHIN}, and a connection still lent after twice that is
 * aborted (which also ends a write that never completes; the pool then drops it).
 */
final class PostgresConnections implements AutoCloseable {
    /** The longest wait for one answer; the longest statement (a 1 MB chunk, a migration) takes far less. */
    static final Duration ANSWER_WITHIN = Duration.ofSeconds(30);
    private static final Logger LOG = LoggerFactory.getLogger(PostgresConnections.class);

    private final DataSource ds;
    private final Duration abortAfter;
    private final ScheduledExecutorService watchdog;

    PostgresConnections(DataSource ds) {
        this(ds, ANSWER_WITHIN.multipliedBy(2));
    }

    PostgresConnections(DataSource ds, Duration abortAfter) {
        this.ds = ds;
        this.abortAfter = abortAfter;
        ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "notification-outbox-watchdog");
            t.setDaemon(true);
            return t;
        });
        // a connection is lent thousands of times a second under load: a given-back one leaves the queue at once
        // instead of lingering there (with its connection) for the whole limit
        timer.setRemoveOnCancelPolicy(true);
        this.watchdog = timer;
    }

    /**
     * A pooled connection whose reads time out (set through {@link Connection#setNetworkTimeout}: the driver retries
     * a read timed out by its {@code socketTimeout} alone) and that is aborted if it is not given back in time.
     */
    Connection take() throws SQLException {
        Connection c = ds.getConnection();
        try {
            c.setNetworkTimeout(Runnable::run, (int) ANSWER_WITHIN.toMillis());
        } catch (SQLException | RuntimeException e) {
            c.close();
            throw e;
        }
        ScheduledFuture<?> abort;
        try {
            abort = watchdog.schedule(() -> abort(c), abortAfter.toMillis(), TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException closed) {
            return c; // the store is closed: a late outcome is still recorded (or refused), with the answer limit only
        }
        return (Connection) Proxy.newProxyInstance(Connection.class.getClassLoader(), new Class<?>[] {Connection.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("close")) {
                        abort.cancel(false);
                    }
                    try {
                        return method.invoke(c, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }

    private static void abort(Connection c) {
        try {
            LOG.warn("outbox database: a call got no answer; its connection is closed");
            c.abort(Runnable::run);
        } catch (SQLException | RuntimeException e) {
            LOG.debug("outbox database: aborting a connection failed", e);
        }
    }

    @Override
    public void close() {
        watchdog.shutdownNow();
    }
}
