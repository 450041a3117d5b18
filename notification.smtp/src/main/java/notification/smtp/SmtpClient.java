package notification.smtp;

import jakarta.mail.AuthenticationFailedException;
import jakarta.mail.MessagingException;
import jakarta.mail.SendFailedException;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import notification.api.transport.DeliveryResult;
import notification.api.transport.MessageStart;
import notification.api.transport.OutgoingMessage;
import org.eclipse.angus.mail.smtp.SMTPSendFailedException;

/**
 * The SMTP engine for one server: a pool of reused connections, RFC 2920 pipelining when offered, a write
 * watchdog, AUTH as configured (PLAIN/LOGIN or XOAUTH2 with a {@link SmtpTokenSource}), and replies classified per
 * recipient. Thread-safe; each message is sent once, on one connection: only a reused connection that failed before
 * the server answered anything is replaced and the message tried once more (the server cannot have accepted it).
 */
public final class SmtpClient implements AutoCloseable {
    private final SmtpServer server;
    private final ScheduledExecutorService timer;
    private final boolean ownTimer;
    private final WriteWatchdog watchdog;
    private final Properties sessionProperties;
    private final SmtpConnectionPool pool;
    private final ScheduledFuture<?> idleCheck;
    private final long borrowWaitNanos;

    /**
     * Creates the engine for a server with a timer of its own, stopped by {@link #close()}.
     *
     * @param server the server
     */
    public SmtpClient(SmtpServer server) {
        this(server, newTimer("notification.smtp timer"), true);
    }

    /**
     * Creates the engine for a server with a shared timer (see {@link #newTimer}); {@link #close()} leaves it
     * running, so that connections still in use keep their write watchdog.
     *
     * @param server the server
     * @param timer runs the idle check, the write watchdog and implicit TLS's write timeouts
     */
    public SmtpClient(SmtpServer server, ScheduledExecutorService timer) {
        this(server, timer, false);
    }

    private SmtpClient(SmtpServer server, ScheduledExecutorService timer, boolean ownTimer) {
        this.server = server;
        this.timer = timer;
        this.ownTimer = ownTimer;
        this.watchdog = new WriteWatchdog(server.writeTimeoutMs, timer);
        this.sessionProperties = SmtpSessionProperties.of(server, watchdog, timer);
        this.pool = new SmtpConnectionPool(server, sessionProperties);
        long period = Math.max(server.idleTimeout.toMillis() / 2, 100);
        this.idleCheck = timer.scheduleWithFixedDelay(pool::closeIdle, period, period, TimeUnit.MILLISECONDS);
        this.borrowWaitNanos = TimeUnit.MILLISECONDS.toNanos(2L * server.readTimeoutMs);
    }

    /**
     * Creates a timer fit for {@link #SmtpClient(SmtpServer, ScheduledExecutorService)}: two daemon threads (a QUIT
     * to an idle connection never holds up another connection's write timeout), cancelled tasks dropped at once.
     *
     * @param threadName the threads' name
     * @return the timer; shut it down when every engine using it is closed
     */
    public static ScheduledExecutorService newTimer(String threadName) {
        ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(2, r -> {
            Thread t = new Thread(r, threadName);
            t.setDaemon(true);
            return t;
        });
        // with implicit TLS every write schedules a write timeout and cancels it: drop cancelled ones at once
        executor.setRemoveOnCancelPolicy(true);
        return executor;
    }

    /**
     * Returns the server.
     *
     * @return the server this engine talks to
     */
    public SmtpServer server() {
        return server;
    }

    /**
     * Sends one message: MAIL FROM its envelope sender, RCPT TO each envelope recipient, its stored bytes as DATA.
     * Never throws for mail-system failures.
     *
     * @param message the message
     * @return the result
     */
    public SmtpResult send(OutgoingMessage message) {
        return MailClassLoader.call(() -> sendNow(message));
    }

    private SmtpResult sendNow(OutgoingMessage message) {
        SmtpConnection connection = null;
        boolean failed = true;
        try {
            connection = pool.borrow(borrowWaitNanos);
            if (connection == null) {
                return busy();
            }
            if (server.budget != null) {
                MessageStart start = server.budget.startMessage(message);
                if (!start.allowed()) {
                    failed = false;
                    return held(start);
                }
            }
            boolean reused = connection.used();
            String reply;
            try {
                reply = connection.send(message);
            } catch (MessagingException e) {
                if (!reused || e instanceof EnvelopeSmtpTransport.SmtpUtf8Missing
                        || !connection.failedUnanswered()) {
                    throw e;
                }
                // the server closed the idle connection under us before answering: nothing can have been accepted
                SmtpConnection stale = connection;
                connection = null;
                connection = pool.replace(stale);
                reply = connection.send(message);
            }
            failed = false;
            return new SmtpResult(SmtpResult.Outcome.SENT, DeliveryResult.sent(reply), 0, reply, false, null);
        } catch (SmtpTokenUnavailableException e) {
            return tokenUnavailable(e);
        } catch (BudgetRefusal e) {
            return held(e.answer);
        } catch (EnvelopeSmtpTransport.SmtpUtf8Missing e) {
            // nothing was sent: the connection stays good for messages that need no SMTPUTF8
            failed = false;
            String sentence = e.getMessage() + " (" + server.describe() + ")";
            return new SmtpResult(SmtpResult.Outcome.REFUSED, DeliveryResult.permanentFailure(sentence), 0, null,
                    false, null);
        } catch (MessagingException e) {
            return failure(e, message.recipients(), connection != null);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new SmtpResult(SmtpResult.Outcome.BUSY,
                    DeliveryResult.transientFailure("Interrupted while waiting for a connection"), 0, null, true, null);
        } catch (RuntimeException e) {
            return new SmtpResult(SmtpResult.Outcome.CONNECTION_FAILED,
                    DeliveryResult.transientFailure("Could not send the message: " + e), 0, null, true, null);
        } finally {
            if (connection != null) {
                pool.release(connection, failed);
            }
        }
    }

    /**
     * Connects, says EHLO, STARTTLS and AUTH as configured, sends nothing, and closes the connection; within the
     * connection limit.
     *
     * @return {@link SmtpResult.Outcome#CHECKED}, or why the check failed
     */
    public SmtpResult check() {
        return MailClassLoader.call(() -> {
            try {
                if (!pool.openAndClose(borrowWaitNanos)) {
                    return busy();
                }
                return new SmtpResult(SmtpResult.Outcome.CHECKED,
                        DeliveryResult.sent("Connected to " + server.describe()), 0, null, false, null);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return busy();
            } catch (SmtpTokenUnavailableException e) {
                return tokenUnavailable(e);
            } catch (BudgetRefusal e) {
                return held(e.answer);
            } catch (MessagingException e) {
                return failure(e, List.of(), false);
            }
        });
    }

    private SmtpResult busy() {
        return new SmtpResult(SmtpResult.Outcome.BUSY, DeliveryResult.transientFailure("All " + server.maxConnections
                + " connections to " + server.describe() + " stayed busy"), 0, null, true, null);
    }

    private static SmtpResult held(MessageStart answer) {
        return new SmtpResult(SmtpResult.Outcome.HELD, answer.toDeliveryResult(), 0, null, false, null);
    }

    private static SmtpResult tokenUnavailable(SmtpTokenUnavailableException e) {
        return new SmtpResult(SmtpResult.Outcome.TOKEN_UNAVAILABLE, DeliveryResult.unavailable(e.getMessage()), 0,
                null, true, e);
    }

    private SmtpResult failure(MessagingException e, List<String> recipients, boolean connected) {
        DeliveryResult result = SmtpFailureClassifier.classify(e, recipients, server);
        boolean serverProblem = !connected
                || result.recipientResults().isEmpty() && result.status() == DeliveryResult.Status.TRANSIENT;
        if (e instanceof AuthenticationFailedException) {
            String reply = firstLine(e.getMessage());
            return new SmtpResult(SmtpResult.Outcome.AUTHENTICATION_REFUSED, result, codeOf(reply), reply, true,
                    null);
        }
        int code = e instanceof SMTPSendFailedException s ? s.getReturnCode() : 0;
        if (code >= 400 && code <= 599) {
            return new SmtpResult(SmtpResult.Outcome.REFUSED, result, code, firstLine(e.getMessage()),
                    serverProblem, null);
        }
        if (!result.recipientResults().isEmpty()
                || e instanceof SendFailedException && !(e instanceof SMTPSendFailedException)) {
            return new SmtpResult(SmtpResult.Outcome.REFUSED, result, 0, null, serverProblem, null);
        }
        return new SmtpResult(SmtpResult.Outcome.CONNECTION_FAILED, result, 0, null, serverProblem, null);
    }

    private static int codeOf(String reply) {
        if (reply.length() >= 3 && Character.isDigit(reply.charAt(0)) && Character.isDigit(reply.charAt(1))
                && Character.isDigit(reply.charAt(2))) {
            return Integer.parseInt(reply.substring(0, 3));
        }
        return 0;
    }

    private static String firstLine(String text) {
        if (text == null) {
            return "";
        }
        String trimmed = text.strip();
        int end = trimmed.indexOf('\n');
        return (end < 0 ? trimmed : trimmed.substring(0, end)).strip();
    }

    /**
     * Returns how many connections this engine has opened so far.
     *
     * @return the number of connections opened
     */
    public long connectionsOpened() {
        return pool.connectionsOpened();
    }

    /**
     * Returns how many connections sit idle, ready for reuse.
     *
     * @return the idle connections
     */
    public int idleConnections() {
        return pool.idleConnections();
    }

    /**
     * Returns how many connections are in use right now.
     *
     * @return the busy connections
     */
    public int busyConnections() {
        return pool.busyConnections();
    }

    /**
     * Closes the idle connections now and those in use when their message is done; stops the timer if it is this
     * engine's own.
     */
    @Override
    public void close() {
        idleCheck.cancel(false);
        pool.close();
        watchdog.retire();
        if (ownTimer) {
            timer.shutdownNow();
        }
    }
}
