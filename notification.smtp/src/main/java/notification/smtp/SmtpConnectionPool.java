package notification.smtp;

import jakarta.mail.MessagingException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Up to {@code maxConnections} connected SMTP sessions for one server, reused across messages, checked
 * before reuse when they sat idle, and closed when idle too long, too old or after a failure.
 */
final class SmtpConnectionPool {
    /** A connection idle longer than this is checked with NOOP before it is reused. */
    private static final long CHECK_AFTER_NANOS = TimeUnit.SECONDS.toNanos(2);

    private final SmtpServer server;
    private final Properties sessionProperties;
    private final long idleTimeoutNanos;
    private final long maxAgeNanos;
    private final Semaphore permits;
    private final Deque<SmtpConnection> idle = new ArrayDeque<>();
    private final AtomicLong opened = new AtomicLong();
    private boolean closed;

    SmtpConnectionPool(SmtpServer server, Properties sessionProperties) {
        this.server = server;
        this.sessionProperties = sessionProperties;
        this.idleTimeoutNanos = server.idleTimeout.toNanos();
        this.maxAgeNanos = server.maxConnectionAge == null ? Long.MAX_VALUE : server.maxConnectionAge.toNanos();
        this.permits = new Semaphore(server.maxConnections, true);
    }

    /**
     * Takes a working connection, opening one when none is idle. The caller must {@link #release} it.
     *
     * @param waitNanos how long to wait for a free connection slot, in nanoseconds
     * @return the connection, or {@code null} when every slot stayed busy for {@code waitNanos}
     * @throws MessagingException if a new connection cannot be opened
     * @throws SmtpTokenUnavailableException if XOAUTH2 has no token for a new connection
     * @throws BudgetRefusal if the sending budget has no slot for a new connection
     * @throws InterruptedException if interrupted while waiting
     */
    SmtpConnection borrow(long waitNanos)
            throws MessagingException, SmtpTokenUnavailableException, BudgetRefusal, InterruptedException {
        if (!permits.tryAcquire(waitNanos, TimeUnit.NANOSECONDS)) {
            return null;
        }
        try {
            SmtpConnection connection;
            while ((connection = pollIdle()) != null) {
                if (connection.ageNanos() < maxAgeNanos
                        && (connection.idleNanos() < CHECK_AFTER_NANOS || connection.stillWorks())) {
                    return connection;
                }
                connection.close();
            }
            return open();
        } catch (MessagingException | SmtpTokenUnavailableException | BudgetRefusal | RuntimeException e) {
            permits.release();
            throw e;
        }
    }

    /**
     * Closes a broken connection and opens a new one in its place (same slot). On failure the slot is freed: the
     * caller must not {@link #release} anything then.
     *
     * @param broken the connection from {@link #borrow}
     * @return the new connection
     * @throws MessagingException if a new connection cannot be opened
     * @throws SmtpTokenUnavailableException if XOAUTH2 has no token for it
     * @throws BudgetRefusal if the sending budget has no slot for it
     */
    SmtpConnection replace(SmtpConnection broken)
            throws MessagingException, SmtpTokenUnavailableException, BudgetRefusal {
        broken.close();
        try {
            return open();
        } catch (MessagingException | SmtpTokenUnavailableException | BudgetRefusal | RuntimeException e) {
            permits.release();
            throw e;
        }
    }

    /**
     * Opens a connection within the connection limit and closes it again at once (a connection check).
     *
     * @param waitNanos how long to wait for a free connection slot
     * @return {@code false} when every slot stayed busy
     * @throws MessagingException if the connection cannot be opened
     * @throws SmtpTokenUnavailableException if XOAUTH2 has no token
     * @throws BudgetRefusal if the sending budget has no slot
     * @throws InterruptedException if interrupted while waiting
     */
    boolean openAndClose(long waitNanos)
            throws MessagingException, SmtpTokenUnavailableException, BudgetRefusal, InterruptedException {
        if (!permits.tryAcquire(waitNanos, TimeUnit.NANOSECONDS)) {
            return false;
        }
        try {
            SmtpConnection.open(server, sessionProperties).close();
            return true;
        } finally {
            permits.release();
        }
    }

    private SmtpConnection open() throws MessagingException, SmtpTokenUnavailableException, BudgetRefusal {
        SmtpConnection connection = SmtpConnection.open(server, sessionProperties);
        opened.incrementAndGet();
        return connection;
    }

    /**
     * Gives a connection back: kept for the next message when it still works, closed otherwise.
     *
     * @param connection the connection from {@link #borrow}
     * @param failed whether its last use failed (it is then kept only if the server still answers NOOP)
     */
    void release(SmtpConnection connection, boolean failed) {
        try {
            boolean keep = connection.ageNanos() < maxAgeNanos && (!failed || connection.stillWorks());
            synchronized (this) {
                if (keep && !closed) {
                    idle.push(connection);
                    return;
                }
            }
            connection.close();
        } finally {
            permits.release();
        }
    }

    /** Closes the connections that sat idle longer than the idle timeout. */
    void closeIdle() {
        List<SmtpConnection> stale = new ArrayList<>();
        synchronized (this) {
            idle.removeIf(c -> {
                boolean old = c.idleNanos() >= idleTimeoutNanos;
                if (old) {
                    stale.add(c);
                }
                return old;
            });
        }
        stale.forEach(SmtpConnection::close);
    }

    /** Closes the idle connections now and those in use when they come back; further borrows open new ones. */
    void close() {
        List<SmtpConnection> all;
        synchronized (this) {
            closed = true;
            all = new ArrayList<>(idle);
            idle.clear();
        }
        all.forEach(SmtpConnection::close);
    }

    /** Returns how many connections this pool has opened so far. */
    long connectionsOpened() {
        return opened.get();
    }

    /** Returns how many connections sit idle, ready for reuse. */
    synchronized int idleConnections() {
        return idle.size();
    }

    /** Returns how many connections are in use right now. */
    int busyConnections() {
        return server.maxConnections - permits.availablePermits();
    }

    private synchronized SmtpConnection pollIdle() {
        return idle.poll();
    }
}
