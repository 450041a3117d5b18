package notification.oauth.internal;

import java.time.Duration;
import java.util.List;
import notification.api.transport.DeliveryResult;
import notification.api.transport.DeliveryResult.RecipientResult;
import notification.api.transport.OutgoingMessage;
import notification.smtp.SmtpAuthentication;
import notification.smtp.SmtpClient;
import notification.smtp.SmtpResult;
import notification.smtp.SmtpSecurity;
import notification.smtp.SmtpServer;
import notification.smtp.SmtpTokenSource;
import notification.smtp.SmtpTokenUnavailableException;

/**
 * Submits messages to Exchange Online through the SMTP engine: STARTTLS, AUTH XOAUTH2 with a token per new
 * connection (not per message), up to {@code maxConnections} reused connections (3 for Exchange Online). Reads
 * Exchange's replies its own way: a refused AUTH makes the transport hold mail back ({@link HealthTracker#refused});
 * so does an exceeded daily quota ({@link HealthTracker#quotaExceeded}); 432 4.3.2 backs off.
 */
final class SmtpSender implements MessageSender {
    /** Exchange Online drops sessions idle for about a minute. */
    private static final Duration IDLE_TIMEOUT = Duration.ofSeconds(50);
    /** A connection authenticated with an access token is not used for longer than this. */
    private static final Duration MAX_AGE = Duration.ofMinutes(10);

    private final MicrosoftSettings settings;
    private final AccessTokens tokens;
    private final HealthTracker health;
    private final SmtpClient engine;

    SmtpSender(MicrosoftSettings settings, AccessTokens tokens, HealthTracker health) {
        this.settings = settings;
        this.tokens = tokens;
        this.health = health;
        int readMs = (int) settings.readTimeout.toMillis();
        SmtpServer server = SmtpServer.builder(settings.cloud.smtpHost(), settings.cloud.smtpPort(),
                        SmtpSecurity.STARTTLS)
                .timeouts((int) settings.connectTimeout.toMillis(), readMs, readMs)
                .trust(settings.tls == null ? null : settings.tls.getSocketFactory())
                .maxConnections(settings.limits.maxConnections())
                .authentication(SmtpAuthentication.xoauth2(settings.username, new TokenSource(tokens)))
                .idleTimeout(IDLE_TIMEOUT)
                .maxConnectionAge(MAX_AGE)
                .build();
        this.engine = new SmtpClient(server);
    }

    /** The transport's access tokens as the engine asks for them. */
    private record TokenSource(AccessTokens tokens) implements SmtpTokenSource {
        @Override
        public String accessToken(boolean forceRefresh) throws SmtpTokenUnavailableException {
            try {
                return tokens.get(forceRefresh).value();
            } catch (TokenUnavailableException e) {
                throw new SmtpTokenUnavailableException(e.needsAdministrator(), e.getMessage());
            }
        }

        /** Only a rejected token (5.7.3) is worth a fresh one; SMTP AUTH disabled (5.7.139) is not. */
        @Override
        public boolean refreshHelps(String reply) {
            return ExchangeReplies.isTokenRejected(reply);
        }
    }

    @Override
    public DeliveryResult send(OutgoingMessage message) {
        SmtpResult result = engine.send(message);
        return switch (result.outcome()) {
            case SENT, CHECKED -> {
                health.delivered();
                yield result.delivery();
            }
            // nothing was attempted (AccessTokens recorded why): the message may wait or go elsewhere at once
            case TOKEN_UNAVAILABLE -> result.delivery();
            case AUTHENTICATION_REFUSED -> refused(result.reply());
            case REFUSED -> refusal(result);
            case CONNECTION_FAILED -> {
                health.failing(result.delivery().reply());
                yield result.delivery();
            }
            case BUSY -> result.delivery();
        };
    }

    private DeliveryResult refusal(SmtpResult result) {
        DeliveryResult delivery = result.delivery();
        boolean someSent = delivery.recipientResults().stream().anyMatch(r -> r.status() == DeliveryResult.Status.SENT);
        if (result.code() == 0 || someSent) {
            if (someSent) {
                health.delivered();
            }
            DeliveryResult explained = explainRecipients(delivery);
            health.failed(explained.reply());
            return explained;
        }
        DeliveryResult whole = ExchangeReplies.forReply(result.reply(), settings.throttleBackoff);
        if (whole.status() == DeliveryResult.Status.UNAVAILABLE && Diagnostics.isSmtpQuotaExceeded(result.reply())) {
            return DeliveryResult.unavailable(health.quotaExceeded(whole.reply()));
        }
        if (whole.status() == DeliveryResult.Status.UNAVAILABLE) {
            tokens.forget();
            health.refused(whole.reply());
        } else {
            health.failed(whole.reply());
        }
        return whole;
    }

    private static DeliveryResult explainRecipients(DeliveryResult delivery) {
        if (delivery.recipientResults().isEmpty()) {
            return new DeliveryResult(delivery.status(), Diagnostics.smtpReply(delivery.reply()), null,
                    delivery.retryAfter());
        }
        List<RecipientResult> explained = delivery.recipientResults().stream()
                .map(r -> new RecipientResult(r.address(), r.status(),
                        r.reply() == null ? null : Diagnostics.smtpReply(r.reply())))
                .toList();
        return DeliveryResult.perRecipient(explained, delivery.reply());
    }

    @Override
    public String check() {
        SmtpResult result = engine.check();
        return switch (result.outcome()) {
            case CHECKED, SENT -> null;
            case TOKEN_UNAVAILABLE -> result.tokenFailure().getMessage();
            case AUTHENTICATION_REFUSED -> refused(result.reply()).reply();
            case BUSY -> "All " + settings.limits.maxConnections() + " SMTP connections are busy; try again later.";
            case REFUSED, CONNECTION_FAILED -> {
                String problem = "Cannot connect to " + settings.cloud.smtpHost() + ":" + settings.cloud.smtpPort()
                        + ": " + result.delivery().reply();
                health.failing(problem);
                yield problem;
            }
        };
    }

    @Override
    public void close() {
        engine.close();
    }

    private DeliveryResult refused(String reply) {
        String explained = Diagnostics.smtpReply(reply.isEmpty() ? "535 5.7.3 Authentication unsuccessful" : reply);
        tokens.forget();
        // A problem of the set-up, not of the message: hold mail back (or let it fail over) until it is fixed.
        health.refused(explained);
        return DeliveryResult.unavailable(explained);
    }
}
