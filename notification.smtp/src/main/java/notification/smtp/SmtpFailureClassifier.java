package notification.smtp;

import jakarta.mail.AuthenticationFailedException;
import jakarta.mail.MessagingException;
import jakarta.mail.SendFailedException;
import jakarta.mail.internet.AddressException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SSLException;
import notification.api.transport.DeliveryResult;
import notification.api.transport.DeliveryResult.RecipientResult;
import notification.api.transport.DeliveryResult.Status;
import org.eclipse.angus.mail.smtp.SMTPAddressFailedException;
import org.eclipse.angus.mail.smtp.SMTPSendFailedException;
import org.eclipse.angus.mail.util.MailConnectException;

/**
 * Turns what Jakarta Mail threw into a delivery result: 4xx replies, dropped connections and timeouts are transient;
 * 5xx replies and refused credentials are permanent; per-recipient replies stay per recipient.
 */
final class SmtpFailureClassifier {

    private SmtpFailureClassifier() {
    }

    /**
     * Classifies a failed delivery.
     *
     * @param e what Jakarta Mail threw
     * @param recipients the envelope recipients of the attempt
     * @param settings the server (for its name and the timeouts)
     * @return the result, with the server's reply or the reason in words
     */
    static DeliveryResult classify(MessagingException e, List<String> recipients, SmtpServer settings) {
        if (e instanceof AuthenticationFailedException) {
            return authenticationFailed(e, settings);
        }
        if (e instanceof AddressException) {
            return DeliveryResult.permanentFailure("A recipient is not a valid address: " + e.getMessage());
        }
        if (e instanceof SendFailedException sfe && (e instanceof SMTPSendFailedException
                || e.getNextException() instanceof SMTPAddressFailedException)) {
            return replied(sfe, recipients);
        }
        return DeliveryResult.transientFailure(connectionProblem(e, settings));
    }

    /**
     * Describes a failure to connect, EHLO, STARTTLS or authenticate, as shown in the health.
     *
     * @param e what Jakarta Mail threw
     * @param settings the server
     * @return the reason in words
     */
    static String describe(MessagingException e, SmtpServer settings) {
        if (e instanceof AuthenticationFailedException) {
            return authenticationFailed(e, settings).reply();
        }
        return connectionProblem(e, settings);
    }

    private static DeliveryResult authenticationFailed(MessagingException e, SmtpServer settings) {
        String reply = e.getMessage() == null ? "" : e.getMessage().strip();
        if (reply.startsWith("4")) {
            return DeliveryResult.transientFailure("The SMTP server could not check the "
                    + (xoauth2(settings) ? "access token" : "username and password") + " right now: " + reply);
        }
        String answer = reply.isEmpty() ? "no reply" : reply;
        String user = settings.authentication.username();
        if (xoauth2(settings)) {
            return DeliveryResult.permanentFailure("The SMTP server refused the access token of '" + user + "' on "
                    + settings.describe() + ": " + answer + ".");
        }
        return DeliveryResult.permanentFailure("The SMTP server refused the username or password of '"
                + user + "' on " + settings.describe() + ": " + answer + ". Check 'username' and 'password'.");
    }

    private static boolean xoauth2(SmtpServer settings) {
        return settings.authentication.method() == SmtpAuthentication.Method.XOAUTH2;
    }

    private static DeliveryResult replied(SendFailedException e, List<String> recipients) {
        Map<String, RecipientResult> results = new LinkedHashMap<>();
        for (Exception next = e.getNextException(); next instanceof MessagingException m;
                next = m.getNextException()) {
            if (m instanceof SMTPAddressFailedException a) {
                String address = a.getAddress().getAddress();
                results.put(address.toLowerCase(), new RecipientResult(address,
                        statusOf(a.getReturnCode(), true), a.getCommand() + ": " + strip(a.getMessage())));
            }
        }
        Status rest;
        String restReply;
        if (e instanceof SMTPSendFailedException s) {
            int code = s.getReturnCode();
            rest = code >= 200 && code < 300 ? Status.SENT : statusOf(code, false);
            restReply = code >= 200 && code < 300 ? strip(s.getMessage()) : command(s) + ": " + reply(code, s);
        } else {
            rest = Status.TRANSIENT;
            restReply = "not sent: no recipient was accepted";
        }
        if (results.isEmpty()) {
            // no recipient has a reply of its own: the whole message's reply is every recipient's
            return new DeliveryResult(rest, restReply, null, null);
        }
        List<RecipientResult> all = new ArrayList<>(recipients.size());
        for (String r : recipients) {
            RecipientResult own = results.get(r.toLowerCase());
            all.add(own != null ? own : new RecipientResult(r, rest, restReply));
        }
        return DeliveryResult.perRecipient(all, summary(all));
    }

    private static Status statusOf(int code, boolean rcpt) {
        if (code >= 500 && code < 600) {
            // RFC 5321 4.5.3.1.10: 552 on RCPT means "too many recipients", to be treated as 452
            return rcpt && code == 552 ? Status.TRANSIENT : Status.PERMANENT;
        }
        return Status.TRANSIENT;
    }

    private static String command(SMTPSendFailedException s) {
        String c = s.getCommand() == null ? "" : s.getCommand();
        return c.startsWith("MAIL FROM") ? "MAIL FROM" : c.equals(".") ? "end of data" : c;
    }

    private static String reply(int code, SMTPSendFailedException s) {
        String text = strip(s.getMessage());
        if (code <= 0) {
            return "the server closed the connection" + (text.isEmpty() || text.equals("[EOF]") ? "" : " (" + text
                    + ")");
        }
        return text;
    }

    private static String summary(List<RecipientResult> all) {
        StringBuilder b = new StringBuilder();
        for (RecipientResult r : all) {
            b.append(b.length() == 0 ? "" : "; ").append(r.address()).append(' ').append(r.status())
                    .append(r.reply() == null ? "" : " (" + r.reply() + ")");
        }
        return b.toString();
    }

    private static String connectionProblem(MessagingException e, SmtpServer settings) {
        String server = settings.describe();
        Throwable cause = rootCause(e);
        if (find(e, SocketTimeoutException.class) != null) {
            boolean connecting = e instanceof MailConnectException;
            return connecting ? "Could not connect to " + server + " within " + settings.connectTimeoutMs + " ms"
                    : "No reply from " + server + " within " + settings.readTimeoutMs + " ms (readTimeout)";
        }
        if (find(e, UnknownHostException.class) != null) {
            return "Could not connect to " + server + ": unknown host '" + settings.host + "'";
        }
        if (e instanceof MailConnectException || find(e, ConnectException.class) != null) {
            return "Could not connect to " + server + ": " + cause.getMessage();
        }
        SSLException ssl = find(e, SSLException.class);
        if (ssl != null) {
            return "TLS with " + server + " failed: " + ssl.getMessage()
                    + ". If the server's certificate comes from a private CA, set 'trustStore'.";
        }
        IOException io = find(e, IOException.class);
        if (io != null) {
            // a 421 followed by a hang-up often arrives as a reset connection: Jakarta Mail then has no reply code
            return "The connection to " + server + " was dropped (" + strip(e.getMessage()) + ": " + io.getMessage()
                    + ")";
        }
        String text = e.getMessage() == null ? cause.toString() : e.getMessage();
        if (e.getNextException() != null && e.getNextException() != cause) {
            text += ": " + cause.getMessage();
        }
        return "Connection to " + server + " failed: " + strip(text);
    }

    private static <T extends Throwable> T find(Throwable t, Class<T> type) {
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (type.isInstance(c)) {
                return type.cast(c);
            }
        }
        return null;
    }

    private static Throwable rootCause(Throwable t) {
        Throwable c = t;
        while (c.getCause() != null && c.getCause() != c) {
            c = c.getCause();
        }
        return c;
    }

    private static String strip(String s) {
        return s == null ? "" : s.strip().replaceAll("\\s*\\R\\s*", " ");
    }
}
