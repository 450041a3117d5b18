package notification.smtp;

import java.util.Objects;
import notification.api.transport.DeliveryResult;

/**
 * What the engine did with one message (or one connection check): the delivery result for the outbox, classified
 * as RFC 5321 says, plus what a transport needs to read it its own way (the outcome, the server's reply code and
 * text).
 */
public final class SmtpResult {

    /** What happened, by where it ended. */
    public enum Outcome {
        /** Every recipient was accepted. */
        SENT,
        /** A connection check passed: connected, TLS and AUTH as configured; nothing was sent. */
        CHECKED,
        /** The server refused the message, or some or all recipients (see {@link SmtpResult#code()}). */
        REFUSED,
        /** The server refused AUTH: the password or token. */
        AUTHENTICATION_REFUSED,
        /** XOAUTH2 had no token ({@link SmtpResult#tokenFailure()}); nothing was connected. */
        TOKEN_UNAVAILABLE,
        /** The server could not be reached, TLS failed, the connection dropped or timed out. */
        CONNECTION_FAILED,
        /** Every connection stayed busy for longer than twice the read timeout. */
        BUSY,
        /**
         * The sending budget ({@link SmtpBudget}) held the message: no connection slot was free, or the message may
         * not start yet. Nothing was sent; the delivery is {@link DeliveryResult.Status#UNAVAILABLE} with the wait
         * in its {@link DeliveryResult#retryAfter()}.
         *
         * @since 1.1
         */
        HELD
    }

    private final Outcome outcome;
    private final DeliveryResult delivery;
    private final int code;
    private final String reply;
    private final boolean serverProblem;
    private final SmtpTokenUnavailableException tokenFailure;

    SmtpResult(Outcome outcome, DeliveryResult delivery, int code, String reply, boolean serverProblem,
            SmtpTokenUnavailableException tokenFailure) {
        this.outcome = Objects.requireNonNull(outcome);
        this.delivery = Objects.requireNonNull(delivery);
        this.code = code;
        this.reply = reply == null ? "" : reply;
        this.serverProblem = serverProblem;
        this.tokenFailure = tokenFailure;
    }

    /**
     * Returns what happened.
     *
     * @return the outcome
     */
    public Outcome outcome() {
        return outcome;
    }

    /**
     * Returns the result for the outbox: 4xx replies, dropped connections and timeouts transient; 5xx permanent
     * (552 on RCPT transient, RFC 5321 4.5.3.1.10); per recipient when the recipients fared differently. A token
     * that cannot be had is {@link DeliveryResult.Status#UNAVAILABLE}.
     *
     * @return the delivery result
     */
    public DeliveryResult delivery() {
        return delivery;
    }

    /**
     * Returns the code of the reply that refused the whole message or AUTH.
     *
     * @return the code, 400 to 599; 0 when there is none (sent, only some recipients refused, no reply)
     */
    public int code() {
        return code;
    }

    /**
     * Returns the server's reply as it came: to the end of data when sent, else the one that refused the message or
     * AUTH.
     *
     * @return the reply's text (with its code), or empty when there was none
     */
    public String reply() {
        return reply;
    }

    /**
     * Tells whether the server or the way to it failed, rather than this message or some recipients.
     *
     * @return {@code true} for a connection failure, a refused AUTH, busy connections, or a transient refusal of the
     *         whole message
     */
    public boolean serverProblem() {
        return serverProblem;
    }

    /**
     * Returns why no token could be had.
     *
     * @return the token source's exception for {@link Outcome#TOKEN_UNAVAILABLE}, else {@code null}
     */
    public SmtpTokenUnavailableException tokenFailure() {
        return tokenFailure;
    }

    @Override
    public String toString() {
        return outcome + (code == 0 ? "" : " " + code) + ": " + delivery;
    }
}
