package notification.oauth.internal;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import notification.api.transport.DeliveryResult;

/**
 * Reads Exchange Online's replies to a whole message: 432 4.3.2 is a transient back-off; 535 (5.7.139 SMTP AUTH
 * disabled, 5.7.3 token rejected) means the transport's set-up is refused, so the message is not attempted
 * (UNAVAILABLE: it waits or fails over); so is 554 5.2.0 SubmissionQuotaExceeded (the daily quota: mail is held, not
 * failed); other 4xx are transient and other 5xx permanent. Every text carries the explanation of
 * {@link Diagnostics#smtpReply}.
 */
final class ExchangeReplies {

    private static final Pattern CODE = Pattern.compile("^\\s*(\\d{3})[ -]");
    private static final Pattern TOKEN_REJECTED = Pattern.compile("\\b5\\.7\\.3\\b");

    private ExchangeReplies() {
    }

    /**
     * Reads the reply code at the start of a reply.
     *
     * @param reply the reply text
     * @return the code, or 0 if there is none
     */
    static int code(String reply) {
        Matcher m = CODE.matcher(reply == null ? "" : reply);
        return m.find() ? Integer.parseInt(m.group(1)) : 0;
    }

    /** @return whether the reply asks to back off (432 4.3.2: concurrency or rate limit) */
    static boolean isThrottle(String reply) {
        return code(reply) == 432 || Diagnostics.firstLine(reply).contains("4.3.2");
    }

    /** @return whether the reply says the access token was rejected (535 5.7.3), which a fresh token may cure */
    static boolean isTokenRejected(String reply) {
        return TOKEN_REJECTED.matcher(Diagnostics.firstLine(reply)).find();
    }

    /**
     * Builds the result of a whole-message reply.
     *
     * @param reply the reply, starting with its code
     * @param backoff how long to wait after a 432 4.3.2
     * @return the result
     */
    static DeliveryResult forReply(String reply, Duration backoff) {
        String explained = Diagnostics.smtpReply(reply);
        int code = code(reply);
        if (isThrottle(reply)) {
            return DeliveryResult.transientFailure(explained, backoff);
        }
        if (code == 535 || Diagnostics.isSmtpQuotaExceeded(reply)) {
            return DeliveryResult.unavailable(explained);
        }
        if (code >= 500) {
            return DeliveryResult.permanentFailure(explained);
        }
        return DeliveryResult.transientFailure(explained);
    }
}
