package notification.oauth.internal;

import jakarta.mail.AuthenticationFailedException;
import jakarta.mail.MessagingException;
import java.time.Clock;
import java.util.Deque;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import notification.api.transport.DeliveryResult;
import notification.api.transport.OutgoingMessage;

/**
 * Submits messages over SMTP with XOAUTH2, reusing up to {@code maxConnections} authenticated connections (3 for
 * Exchange Online). A token is fetched per new connection, not per message. A refused AUTH makes the transport hold
 * mail back ({@link HealthTracker#refused}); so does an exceeded daily quota ({@link HealthTracker#quotaExceeded}).
 */
final class SmtpSender implements MessageSender {

    private final MicrosoftSettings settings;
    private final AccessTokens tokens;
    private final HealthTracker health;
    private final Clock clock;
    private final Semaphore connections;
    private final Deque<SmtpConnection> idle = new ConcurrentLinkedDeque<>();

    SmtpSender(MicrosoftSettings settings, AccessTokens tokens, HealthTracker health, Clock clock) {
        this.settings = settings;
        this.tokens = tokens;
        this.health = health;
        this.clock = clock;
        this.connections = new Semaphore(settings.limits.maxConnections(), true);
    }

    @Override
    public DeliveryResult send(OutgoingMessage message) {
        try {
            if (!connections.tryAcquire(settings.readTimeout.toMillis(), TimeUnit.MILLISECONDS)) {
                return DeliveryResult.transientFailure("All " + settings.limits.maxConnections()
                        + " SMTP connections of this mailbox stayed busy; trying again later.");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return DeliveryResult.transientFailure("Interrupted while waiting for an SMTP connection.");
        }
        SmtpConnection connection = null;
        boolean keep = false;
        try {
            connection = idle.poll();
            if (connection != null && !connection.alive()) {
                connection.close();
                connection = null;
            }
            String reply;
            if (connection == null) {
                connection = open();
                reply = connection.send(message);
            } else {
                try {
                    reply = connection.send(message);
                } catch (MessagingException e) {
                    if (e instanceof jakarta.mail.SendFailedException) {
                        throw e;
                    }
                    // The server closed the idle connection under us: nothing was accepted, so try a fresh one.
                    connection.close();
                    connection = null;
                    connection = open();
                    reply = connection.send(message);
                }
            }
            keep = true;
            health.delivered();
            return DeliveryResult.sent(reply);
        } catch (TokenUnavailableException e) {
            // Nothing was attempted: the message may wait or go through another transport at once.
            return DeliveryResult.unavailable(e.getMessage());
        } catch (AuthenticationFailedException e) {
            return refused(e);
        } catch (MessagingException e) {
            DeliveryResult result = SmtpOutcomes.forFailure(e, settings.throttleBackoff);
            keep = connection != null && result.status() != DeliveryResult.Status.TRANSIENT
                    && result.status() != DeliveryResult.Status.UNAVAILABLE;
            if (result.status() == DeliveryResult.Status.UNAVAILABLE && Diagnostics.isSmtpQuotaExceeded(
                    result.reply())) {
                return DeliveryResult.unavailable(health.quotaExceeded(result.reply()));
            } else if (result.status() == DeliveryResult.Status.UNAVAILABLE) {
                tokens.forget();
                health.refused(result.reply());
            } else if (result.status() == DeliveryResult.Status.SENT) {
                health.delivered();
            } else if (connection == null) {
                health.failing(result.reply());
            } else {
                health.failed(result.reply());
            }
            return result;
        } finally {
            if (connection != null) {
                if (keep && connection.reusable()) {
                    idle.push(connection);
                } else {
                    connection.close();
                }
            }
            connections.release();
        }
    }

    @Override
    public String check() {
        try {
            if (!connections.tryAcquire(settings.readTimeout.toMillis(), TimeUnit.MILLISECONDS)) {
                return "All " + settings.limits.maxConnections() + " SMTP connections are busy; try again later.";
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "Interrupted while waiting for an SMTP connection.";
        }
        try (SmtpConnection connection = SmtpConnection.open(settings, tokens.get(false), clock)) {
            return null;
        } catch (TokenUnavailableException e) {
            return e.getMessage();
        } catch (AuthenticationFailedException e) {
            return refused(e).reply();
        } catch (MessagingException e) {
            String problem = "Cannot connect to " + settings.cloud.smtpHost() + ":" + settings.cloud.smtpPort()
                    + ": " + Diagnostics.firstLine(e.getMessage());
            health.failing(problem);
            return problem;
        } finally {
            connections.release();
        }
    }

    @Override
    public void close() {
        for (SmtpConnection c = idle.poll(); c != null; c = idle.poll()) {
            c.close();
        }
    }

    private SmtpConnection open() throws TokenUnavailableException, MessagingException {
        try {
            return SmtpConnection.open(settings, tokens.get(false), clock);
        } catch (AuthenticationFailedException e) {
            if (!String.valueOf(e.getMessage()).contains("5.7.3")) {
                throw e;
            }
            // The token may have been revoked since it was cached: one more try with a fresh one.
            return SmtpConnection.open(settings, tokens.get(true), clock);
        }
    }

    private DeliveryResult refused(AuthenticationFailedException e) {
        String reply = Diagnostics.firstLine(e.getMessage());
        String explained = Diagnostics.smtpReply(reply.isEmpty() ? "535 5.7.3 Authentication unsuccessful" : reply);
        tokens.forget();
        // A problem of the set-up, not of the message: hold mail back (or let it fail over) until it is fixed.
        health.refused(explained);
        return DeliveryResult.unavailable(explained);
    }
}
