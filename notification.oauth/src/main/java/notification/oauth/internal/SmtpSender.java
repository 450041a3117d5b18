package notification.oauth.internal;

import notification.api.transport.DeliveryResult;
import notification.smtp.SmtpResult;

/**
 * Submits messages to Exchange Online through the SMTP engine with XOAUTH2, up to {@code maxConnections} reused
 * connections (3 for Exchange Online). Reads Exchange's replies its own way: a refused AUTH makes the transport hold
 * mail back ({@link HealthTracker#refused}); so does an exceeded daily quota ({@link HealthTracker#quotaExceeded});
 * 432 4.3.2 backs off. Only a rejected token (5.7.3) is worth a fresh one; SMTP AUTH disabled (5.7.139) is not.
 * Connections and message starts are asked of the mailbox's sending budget, shared with the other nodes.
 */
final class SmtpSender extends XoauthSmtpSender {

    private final MicrosoftSettings settings;
    private final AccessTokens tokens;

    SmtpSender(MicrosoftSettings settings, AccessTokens tokens, HealthTracker health, MailboxBudget budget) {
        super(new Server(settings.cloud.smtpHost(), settings.cloud.smtpPort(), settings.tls, settings.connectTimeout,
                settings.readTimeout, settings.limits.maxConnections(), settings.username), tokens::get,
                ExchangeReplies::isTokenRejected, health, budget);
        this.settings = settings;
        this.tokens = tokens;
    }

    @Override
    String explain(String reply) {
        return Diagnostics.smtpReply(reply);
    }

    @Override
    DeliveryResult messageRefused(SmtpResult result) {
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

    @Override
    DeliveryResult authenticationRefused(String reply) {
        String explained = Diagnostics.smtpReply(reply.isEmpty() ? "535 5.7.3 Authentication unsuccessful" : reply);
        tokens.forget();
        // A problem of the set-up, not of the message: hold mail back (or let it fail over) until it is fixed.
        health.refused(explained);
        return DeliveryResult.unavailable(explained);
    }
}
