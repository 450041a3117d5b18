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
 * Submits messages to smtp.gmail.com through the SMTP engine: STARTTLS, AUTH XOAUTH2 with a token per new connection,
 * reused connections. Reads Gmail's replies: a refused token (535 5.7.8, also after one fresh token) holds mail while
 * the administrator fixes the set-up, 550 5.4.5 (the daily sending limit) holds it for the day, 454 4.7.0 backs off;
 * every reply carries the explanation of {@link GoogleDiagnostics#smtpReply}.
 */
final class GmailSmtp implements MessageSender {

    /** How long to wait after 454 4.7.0 ("try again later"). */
    static final Duration BACKOFF = Duration.ofMinutes(5);
    private static final Duration IDLE_TIMEOUT = Duration.ofSeconds(50);
    private static final Duration MAX_AGE = Duration.ofMinutes(10);

    private final GoogleSettings settings;
    private final HealthTracker health;
    private final SmtpClient engine;

    GmailSmtp(GoogleSettings settings, GoogleAccessTokens tokens, HealthTracker health) {
        this.settings = settings;
        this.health = health;
        int readMs = (int) settings.readTimeout.toMillis();
        this.engine = new SmtpClient(SmtpServer.builder(settings.smtpHost, settings.smtpPort, SmtpSecurity.STARTTLS)
                .timeouts((int) settings.connectTimeout.toMillis(), readMs, readMs)
                .trust(settings.tls == null ? null : settings.tls.getSocketFactory())
                .maxConnections(settings.maxConnections)
                .authentication(SmtpAuthentication.xoauth2(settings.username, new TokenSource(tokens)))
                .idleTimeout(IDLE_TIMEOUT)
                .maxConnectionAge(MAX_AGE)
                .build());
    }

    /** The transport's access tokens as the engine asks for them; any 535 is worth one fresh token. */
    private record TokenSource(GoogleAccessTokens tokens) implements SmtpTokenSource {
        @Override
        public String accessToken(boolean forceRefresh) throws SmtpTokenUnavailableException {
            try {
                return tokens.get(forceRefresh).value();
            } catch (TokenUnavailableException e) {
                throw new SmtpTokenUnavailableException(e.needsAdministrator(), e.getMessage());
            }
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
            // nothing was attempted (GoogleAccessTokens recorded why): the message may wait or go elsewhere at once
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
        boolean someSent = delivery.recipientResults().stream()
                .anyMatch(r -> r.status() == DeliveryResult.Status.SENT);
        if (result.code() == 0 || someSent) {
            if (someSent) {
                health.delivered();
            }
            DeliveryResult explained = explainRecipients(delivery);
            health.failed(explained.reply());
            return explained;
        }
        String reply = result.reply();
        String explained = GoogleDiagnostics.smtpReply(reply);
        if (GoogleDiagnostics.isDailyLimit(reply)) {
            return DeliveryResult.unavailable(health.quotaExceeded(explained));
        }
        if (result.code() == 535) {
            return refused(reply);
        }
        health.failed(explained);
        if (result.code() == 454 || result.code() == 421) {
            return DeliveryResult.transientFailure(explained, BACKOFF);
        }
        return result.code() >= 500 ? DeliveryResult.permanentFailure(explained)
                : DeliveryResult.transientFailure(explained);
    }

    private static DeliveryResult explainRecipients(DeliveryResult delivery) {
        if (delivery.recipientResults().isEmpty()) {
            return new DeliveryResult(delivery.status(), GoogleDiagnostics.smtpReply(delivery.reply()), null,
                    delivery.retryAfter());
        }
        List<RecipientResult> explained = delivery.recipientResults().stream()
                .map(r -> new RecipientResult(r.address(), r.status(),
                        r.reply() == null ? null : GoogleDiagnostics.smtpReply(r.reply())))
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
            case BUSY -> "All " + settings.maxConnections + " SMTP connections are busy; try again later.";
            case REFUSED, CONNECTION_FAILED -> {
                String problem = "Cannot connect to " + settings.smtpHost + ":" + settings.smtpPort + ": "
                        + GoogleDiagnostics.smtpReply(result.delivery().reply());
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
        String explained = GoogleDiagnostics.smtpReply(reply.isEmpty() ? "535 5.7.8 Username and Password not "
                + "accepted" : reply);
        // A problem of the set-up, not of the message: hold mail back (or let it fail over) until it is fixed.
        health.refused(explained);
        return DeliveryResult.unavailable(explained);
    }
}
