package notification.oauth.internal;

import java.time.Duration;
import java.util.List;
import java.util.function.Predicate;
import javax.net.ssl.SSLContext;
import notification.api.transport.DeliveryResult;
import notification.api.transport.DeliveryResult.RecipientResult;
import notification.api.transport.OutgoingMessage;
import notification.smtp.SmtpAuthentication;
import notification.smtp.SmtpBudget;
import notification.smtp.SmtpClient;
import notification.smtp.SmtpResult;
import notification.smtp.SmtpSecurity;
import notification.smtp.SmtpServer;
import notification.smtp.SmtpTokenSource;
import notification.smtp.SmtpTokenUnavailableException;

/**
 * A mailbox provider's SMTP submission through the SMTP engine: STARTTLS, AUTH XOAUTH2 with a token per new
 * connection (not per message), reused connections. Turns the engine's outcomes into the transport's health; the
 * provider reads its own replies (its sentences, holds and back-offs) in the methods it implements.
 */
abstract class XoauthSmtpSender implements MessageSender {
    /** Exchange Online and Gmail drop sessions idle for about a minute. */
    private static final Duration IDLE_TIMEOUT = Duration.ofSeconds(50);
    /** A connection authenticated with an access token is not used for longer than this. */
    private static final Duration MAX_AGE = Duration.ofMinutes(10);

    /** Hands out the transport's access tokens. */
    @FunctionalInterface
    interface Tokens {
        /**
         * Returns an access token.
         *
         * @param forceRefresh whether to ask the identity provider even if a valid token is at hand
         * @return the token
         * @throws TokenUnavailableException if none can be had
         */
        AccessToken get(boolean forceRefresh) throws TokenUnavailableException;
    }

    /** The SMTP server a provider's sender talks to. */
    record Server(String host, int port, SSLContext tls, Duration connectTimeout, Duration readTimeout,
            int maxConnections, String username) {
    }

    final HealthTracker health;
    private final Server server;
    private final SmtpClient engine;

    /**
     * Creates the sender and its engine.
     *
     * @param server the server and mailbox
     * @param tokens the transport's access tokens
     * @param refreshHelps which refusals of a token a fresh token may cure; {@code null}: the engine's rule (any 535)
     * @param health the transport's health
     * @param budget the mailbox's sending budget, asked before each connection and message; {@code null} for none
     */
    XoauthSmtpSender(Server server, Tokens tokens, Predicate<String> refreshHelps, HealthTracker health,
            SmtpBudget budget) {
        this.server = server;
        this.health = health;
        int readMs = (int) server.readTimeout.toMillis();
        this.engine = new SmtpClient(SmtpServer.builder(server.host, server.port, SmtpSecurity.STARTTLS)
                .timeouts((int) server.connectTimeout.toMillis(), readMs, readMs)
                .trust(server.tls == null ? null : server.tls.getSocketFactory())
                .maxConnections(server.maxConnections)
                .authentication(SmtpAuthentication.xoauth2(server.username, new TokenSource(tokens, refreshHelps)))
                .idleTimeout(IDLE_TIMEOUT)
                .maxConnectionAge(MAX_AGE)
                .budget(budget)
                .build());
    }

    /** The transport's access tokens as the engine asks for them. */
    private record TokenSource(Tokens tokens, Predicate<String> refreshHelps) implements SmtpTokenSource {
        @Override
        public String accessToken(boolean forceRefresh) throws SmtpTokenUnavailableException {
            try {
                return tokens.get(forceRefresh).value();
            } catch (TokenUnavailableException e) {
                throw new SmtpTokenUnavailableException(e.needsAdministrator(), e.getMessage());
            }
        }

        @Override
        public boolean refreshHelps(String reply) {
            return refreshHelps == null ? SmtpTokenSource.super.refreshHelps(reply) : refreshHelps.test(reply);
        }
    }

    /**
     * Explains a server reply in the provider's words.
     *
     * @param reply the reply as the server sent it
     * @return the reply's first line, with the explanation when one is known
     */
    abstract String explain(String reply);

    /**
     * Handles a refused AUTH: a problem of the set-up, not of the message.
     *
     * @param reply the server's reply, empty when there was none
     * @return the result for the message
     */
    abstract DeliveryResult authenticationRefused(String reply);

    /**
     * Handles a reply that refused the whole message (MAIL FROM, DATA or end of data).
     *
     * @param result the engine's result, with a {@link SmtpResult#code()} from 400 to 599
     * @return the result for the message
     */
    abstract DeliveryResult messageRefused(SmtpResult result);

    /**
     * Words a failed connection check's reason.
     *
     * @param reason the engine's reason
     * @return what the health shows after "Cannot connect to host:port: "
     */
    String connectionProblem(String reason) {
        return reason;
    }

    @Override
    public final DeliveryResult send(OutgoingMessage message) {
        SmtpResult result = engine.send(message);
        return switch (result.outcome()) {
            case SENT, CHECKED -> {
                health.delivered();
                yield result.delivery();
            }
            // nothing was attempted (the tokens or the budget say why): the message may wait or go elsewhere at once
            case TOKEN_UNAVAILABLE, BUSY, HELD -> result.delivery();
            case AUTHENTICATION_REFUSED -> authenticationRefused(result.reply());
            case REFUSED -> refusal(result);
            case CONNECTION_FAILED -> {
                health.failing(result.delivery().reply());
                yield result.delivery();
            }
        };
    }

    private DeliveryResult refusal(SmtpResult result) {
        DeliveryResult delivery = result.delivery();
        boolean someSent = delivery.recipientResults().stream()
                .anyMatch(r -> r.status() == DeliveryResult.Status.SENT);
        if (result.code() != 0 && !someSent) {
            return messageRefused(result);
        }
        if (someSent) {
            health.delivered();
        }
        DeliveryResult explained = explainRecipients(delivery);
        health.failed(explained.reply());
        return explained;
    }

    private DeliveryResult explainRecipients(DeliveryResult delivery) {
        if (delivery.recipientResults().isEmpty()) {
            return new DeliveryResult(delivery.status(), explain(delivery.reply()), null, delivery.retryAfter());
        }
        List<RecipientResult> explained = delivery.recipientResults().stream()
                .map(r -> new RecipientResult(r.address(), r.status(), r.reply() == null ? null : explain(r.reply())))
                .toList();
        return DeliveryResult.perRecipient(explained, delivery.reply());
    }

    @Override
    public final String check() {
        SmtpResult result = engine.check();
        return switch (result.outcome()) {
            case CHECKED, SENT -> null;
            case TOKEN_UNAVAILABLE -> result.tokenFailure().getMessage();
            case AUTHENTICATION_REFUSED -> authenticationRefused(result.reply()).reply();
            case BUSY -> "All " + server.maxConnections + " SMTP connections are busy; try again later.";
            case HELD -> "No connection is free in the mailbox's sending budget right now (" + result.delivery().reply()
                    + "); try again later.";
            case REFUSED, CONNECTION_FAILED -> {
                String problem = "Cannot connect to " + server.host + ":" + server.port + ": "
                        + connectionProblem(result.delivery().reply());
                health.failing(problem);
                yield problem;
            }
        };
    }

    @Override
    public void close() {
        engine.close();
    }
}
