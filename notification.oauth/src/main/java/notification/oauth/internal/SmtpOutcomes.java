package notification.oauth.internal;

import jakarta.mail.Address;
import jakarta.mail.MessagingException;
import jakarta.mail.SendFailedException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import notification.api.transport.DeliveryResult;
import notification.api.transport.DeliveryResult.RecipientResult;
import notification.api.transport.DeliveryResult.Status;
import org.eclipse.angus.mail.smtp.SMTPAddressFailedException;
import org.eclipse.angus.mail.smtp.SMTPSendFailedException;

/**
 * Classifies Exchange Online's SMTP replies: 432 4.3.2 is a transient back-off; 535 (5.7.139 SMTP AUTH disabled,
 * 5.7.3 token rejected) means the transport's set-up is refused, so the message is not attempted (UNAVAILABLE: it
 * waits or fails over); so is 554 5.2.0 SubmissionQuotaExceeded (the daily quota: mail is held, not failed); other
 * 4xx are transient and other 5xx permanent; refusals of single recipients stay per recipient.
 */
final class SmtpOutcomes {

    private static final Pattern CODE = Pattern.compile("^\\s*(\\d{3})[ -]");

    private SmtpOutcomes() {
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

    /** @return whether the reply means the token or the mailbox's SMTP AUTH setting was refused */
    static boolean isAuthenticationRefusal(String reply) {
        return code(reply) == 535;
    }

    /**
     * Builds the result of a whole-message reply.
     *
     * @param reply the reply
     * @param backoff how long to wait after a 432 4.3.2
     * @return the result
     */
    static DeliveryResult forReply(String reply, Duration backoff) {
        String explained = Diagnostics.smtpReply(reply);
        int code = code(reply);
        if (isThrottle(reply)) {
            return DeliveryResult.transientFailure(explained, backoff);
        }
        if (isAuthenticationRefusal(reply) || Diagnostics.isSmtpQuotaExceeded(reply)) {
            return DeliveryResult.unavailable(explained);
        }
        if (code >= 400 && code < 500) {
            return DeliveryResult.transientFailure(explained);
        }
        if (code >= 500) {
            return DeliveryResult.permanentFailure(explained);
        }
        return DeliveryResult.transientFailure(explained);
    }

    /**
     * Builds the result of a send that Angus Mail reported as failed.
     *
     * @param failure the exception
     * @param backoff how long to wait after a 432 4.3.2
     * @return the result, per recipient when some were accepted or refused individually
     */
    static DeliveryResult forFailure(MessagingException failure, Duration backoff) {
        if (failure instanceof SendFailedException sent) {
            List<RecipientResult> results = new ArrayList<>();
            for (Address a : nullToEmpty(sent.getValidSentAddresses())) {
                results.add(new RecipientResult(a.toString(), Status.SENT, null));
            }
            for (Exception next = sent.getNextException(); next instanceof MessagingException m;
                    next = m.getNextException()) {
                if (next instanceof SMTPAddressFailedException af) {
                    String reply = af.getMessage();
                    Status status = af.getReturnCode() >= 500 ? Status.PERMANENT : Status.TRANSIENT;
                    results.add(new RecipientResult(af.getAddress().getAddress(), status,
                            Diagnostics.smtpReply(reply)));
                }
            }
            boolean messageLevel = failure instanceof SMTPSendFailedException && results.stream()
                    .noneMatch(r -> r.status() == Status.SENT);
            if (!results.isEmpty() && !messageLevel) {
                return DeliveryResult.perRecipient(results, Diagnostics.smtpReply(failure.getMessage()));
            }
            if (failure instanceof SMTPSendFailedException sf) {
                return forReply(sf.getReturnCode() + " " + stripCode(sf.getMessage()), backoff);
            }
        }
        return DeliveryResult.transientFailure("The connection to Exchange Online failed: "
                + Diagnostics.firstLine(failure.getMessage()));
    }

    private static String stripCode(String message) {
        String line = Diagnostics.firstLine(message);
        return code(line) != 0 ? line.substring(4) : line;
    }

    private static Address[] nullToEmpty(Address[] addresses) {
        return addresses == null ? new Address[0] : addresses;
    }
}
