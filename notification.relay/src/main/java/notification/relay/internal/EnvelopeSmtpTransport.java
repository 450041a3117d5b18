package notification.relay.internal;

import jakarta.mail.MessagingException;
import jakarta.mail.SendFailedException;
import jakarta.mail.Session;
import jakarta.mail.URLName;
import jakarta.mail.internet.InternetAddress;
import java.io.IOException;
import java.util.List;
import notification.api.transport.OutgoingMessage;
import org.eclipse.angus.mail.smtp.SMTPAddressFailedException;
import org.eclipse.angus.mail.smtp.SMTPSendFailedException;
import org.eclipse.angus.mail.smtp.SMTPTransport;

/**
 * Angus Mail's SMTP transport driven command by command: MAIL FROM, one RCPT TO per recipient, then DATA with the
 * stored bytes streamed through Angus Mail's dot-stuffing stream. No MimeMessage or address objects are built for a
 * message that goes through; failures are thrown as the same exceptions {@code sendMessage} throws with
 * {@code sendpartial}, so that {@link SmtpFailureClassifier} reads the replies per recipient.
 */
final class EnvelopeSmtpTransport extends SMTPTransport {

    EnvelopeSmtpTransport(Session session, URLName url, boolean tls) {
        super(session, url, tls ? "smtps" : "smtp", tls);
    }

    /**
     * Sends one message: delivered to the recipients the server accepts, as long as it accepts one.
     *
     * @param message the message; its stored bytes are sent as they are
     * @return the server's reply to the end of data
     * @throws MessagingException {@link SMTPSendFailedException} for a refused MAIL FROM, DATA or end of data, or
     *         after a message that went to only some recipients; {@link SendFailedException} when every recipient was
     *         refused; each refused recipient is a chained {@link SMTPAddressFailedException}
     */
    synchronized String send(OutgoingMessage message) throws MessagingException {
        try {
            return sendEnvelopeAndData(message);
        } catch (MessagingException e) {
            if (e.getNextException() instanceof IOException) {
                // a timeout or a dropped connection: do not ask this connection anything more
                closeQuietly();
            }
            throw e;
        }
    }

    private String sendEnvelopeAndData(OutgoingMessage message) throws MessagingException {
        String mailFrom = "MAIL FROM:<" + message.envelopeFrom() + ">";
        sendCommand(mailFrom);
        int code = readServerResponse();
        if (code != 250) {
            throw refused(mailFrom, code);
        }
        List<String> recipients = message.recipients();
        MessagingException refusals = null;
        int accepted = 0;
        for (String recipient : recipients) {
            String rcptTo = "RCPT TO:<" + recipient + ">";
            sendCommand(rcptTo);
            code = readServerResponse();
            if (code == 250 || code == 251) {
                accepted++;
                continue;
            }
            SMTPAddressFailedException refusal = new SMTPAddressFailedException(address(recipient), rcptTo, code,
                    getLastServerResponse());
            if (code < 400 || code > 599) {
                // no reply, or a reply that is not an SMTP answer: the connection is in an unknown state
                resetKeepingReply();
                throw refusal;
            }
            if (refusals == null) {
                refusals = refusal;
            } else {
                refusals.setNextException(refusal);
            }
        }
        if (accepted == 0) {
            resetKeepingReply();
            throw new SendFailedException("Invalid Addresses", refusals);
        }
        try {
            message.writeTo(data());
            finishData();
        } catch (SMTPSendFailedException e) {
            throw new SMTPSendFailedException(e.getCommand(), e.getReturnCode(), e.getMessage(), refusals, null, null,
                    null);
        } catch (IOException e) {
            // the server may still be reading data: this connection cannot be used again
            closeQuietly();
            throw new MessagingException("IOException while sending message", e);
        }
        if (refusals != null) {
            throw new SMTPSendFailedException(".", getLastReturnCode(), getLastServerResponse(), refusals, null, null,
                    null);
        }
        return getLastServerResponse();
    }

    private SMTPSendFailedException refused(String command, int code) {
        String reply = getLastServerResponse();
        resetKeepingReply();
        return new SMTPSendFailedException(command, code, reply, null, null, null, null);
    }

    /** Says RSET so that the next message starts afresh; the reply to it is not kept. */
    private void resetKeepingReply() {
        try {
            sendCommand("RSET");
            readServerResponse();
        } catch (MessagingException e) {
            closeQuietly();
        }
    }

    private void closeQuietly() {
        try {
            close();
        } catch (MessagingException e) {
            // closed either way
        }
    }

    private static InternetAddress address(String recipient) {
        InternetAddress address = new InternetAddress();
        address.setAddress(recipient);
        return address;
    }
}
