package notification.oauth.internal;

import java.time.Duration;
import notification.api.transport.DeliveryResult;
import notification.smtp.SmtpResult;

/**
 * Submits messages to smtp.gmail.com through the SMTP engine with XOAUTH2 ({@link XoauthSmtpSender}). Reads Gmail's
 * replies: a refused token (535 5.7.8, also after one fresh token) holds mail while
 * the administrator fixes the set-up, 550 5.4.5 (the daily sending limit) holds it for the day, 454 4.7.0 backs off;
 * every reply carries the explanation of {@link GoogleDiagnostics#smtpReply}. Connections and message starts are asked of
 * the mailbox's sending budget (its messages and recipients per day shared with the Gmail API and the other nodes).
 */
final class GmailSmtp extends XoauthSmtpSender {

    /** How long to wait after 454 4.7.0 ("try again later"). */
    static final Duration BACKOFF = Duration.ofMinutes(5);

    GmailSmtp(GoogleSettings settings, GoogleAccessTokens tokens, HealthTracker health, MailboxBudget budget) {
        // any 535 is worth one fresh token: the engine's rule
        super(new Server(settings.smtpHost, settings.smtpPort, settings.tls, settings.connectTimeout,
                settings.readTimeout, settings.maxConnections, settings.username), tokens::get, null, health, budget);
    }

    @Override
    String explain(String reply) {
        return GoogleDiagnostics.smtpReply(reply);
    }

    @Override
    String connectionProblem(String reason) {
        return GoogleDiagnostics.smtpReply(reason);
    }

    @Override
    DeliveryResult messageRefused(SmtpResult result) {
        String reply = result.reply();
        String explained = GoogleDiagnostics.smtpReply(reply);
        if (GoogleDiagnostics.isDailyLimit(reply)) {
            return DeliveryResult.unavailable(health.quotaExceeded(explained));
        }
        if (result.code() == 535) {
            return authenticationRefused(reply);
        }
        health.failed(explained);
        if (result.code() == 454 || result.code() == 421) {
            return DeliveryResult.transientFailure(explained, BACKOFF);
        }
        return result.code() >= 500 ? DeliveryResult.permanentFailure(explained)
                : DeliveryResult.transientFailure(explained);
    }

    @Override
    DeliveryResult authenticationRefused(String reply) {
        String explained = GoogleDiagnostics.smtpReply(reply.isEmpty() ? "535 5.7.8 Username and Password not "
                + "accepted" : reply);
        // A problem of the set-up, not of the message: hold mail back (or let it fail over) until it is fixed.
        health.refused(explained);
        return DeliveryResult.unavailable(explained);
    }
}
