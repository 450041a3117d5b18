package notification.relay.internal;

import jakarta.mail.MessagingException;
import jakarta.mail.SendFailedException;
import jakarta.mail.Session;
import jakarta.mail.URLName;
import jakarta.mail.internet.InternetAddress;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import notification.api.transport.OutgoingMessage;
import org.eclipse.angus.mail.smtp.SMTPAddressFailedException;
import org.eclipse.angus.mail.smtp.SMTPOutputStream;
import org.eclipse.angus.mail.smtp.SMTPSendFailedException;
import org.eclipse.angus.mail.smtp.SMTPTransport;

/**
 * Angus Mail's SMTP transport driven command by command: MAIL FROM, one RCPT TO per recipient, then DATA (all in one
 * write when the server offers PIPELINING), with the stored bytes streamed through Angus Mail's dot-stuffing stream.
 * No MimeMessage or address objects are built for a message that goes through; failures are thrown as the same exceptions {@code sendMessage} throws with
 * {@code sendpartial}, so that {@link SmtpFailureClassifier} reads the replies per recipient.
 */
final class EnvelopeSmtpTransport extends SMTPTransport {
    /** This connection's sockets, for pipelining; {@code null} for implicit TLS, whose writes Angus Mail bounds. */
    private final ConnectionSockets sockets;

    EnvelopeSmtpTransport(Session session, URLName url, boolean tls, ConnectionSockets sockets) {
        super(session, url, tls ? "smtps" : "smtp", tls);
        this.sockets = sockets;
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
        if (message.requiresSmtpUtf8() && !supportsExtension("SMTPUTF8")) {
            throw new SmtpUtf8Missing("The server does not offer SMTPUTF8 (RFC 6531), which this message needs for"
                    + " its addresses beyond ASCII; it cannot be delivered through this server");
        }
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
        Socket socket = sockets == null ? null : sockets.current();
        if (socket != null && supportsExtension("PIPELINING")) {
            return sendPipelined(message, socket);
        }
        String mailFrom = mailFrom(message);
        sendCommand(utf8Bytes(mailFrom));
        int code = readServerResponse();
        if (code != 250) {
            throw refused(mailFrom, code);
        }
        List<String> recipients = message.recipients();
        MessagingException refusals = null;
        int accepted = 0;
        for (String recipient : recipients) {
            String rcptTo = "RCPT TO:<" + recipient + ">";
            sendCommand(utf8Bytes(rcptTo));
            code = readServerResponse();
            if (code == 250 || code == 251) {
                accepted++;
                continue;
            }
            SMTPAddressFailedException refusal = refusal(recipient, code);
            if (code < 400 || code > 599) {
                // no reply, or a reply that is not an SMTP answer: the connection is in an unknown state
                resetKeepingReply();
                throw refusal;
            }
            refusals = chain(refusals, refusal);
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

    /**
     * RFC 2920: MAIL FROM, every RCPT TO and DATA in one write, then their replies in order; the data follows only
     * when DATA got 354 and a recipient was accepted. Angus Mail has flushed its own buffer after each command, so
     * writing to the socket directly keeps the order; its reader still reads every reply.
     */
    private String sendPipelined(OutgoingMessage message, Socket socket) throws MessagingException {
        String mailFrom = mailFrom(message);
        List<String> recipients = message.recipients();
        OutputStream out;
        try {
            StringBuilder commands = new StringBuilder(64 + 48 * recipients.size()).append(line(mailFrom));
            recipients.forEach(r -> commands.append(line("RCPT TO:<" + r + ">")));
            out = new BufferedOutputStream(socket.getOutputStream(), 8192);
            out.write(commands.append("DATA\r\n").toString().getBytes(StandardCharsets.UTF_8));
            out.flush();
        } catch (IOException | IllegalArgumentException e) {
            throw new MessagingException("Can't send command to SMTP host", e);
        }
        int mailCode = readServerResponse();
        String mailReply = getLastServerResponse();
        MessagingException refusals = null;
        int accepted = 0;
        for (String recipient : recipients) {
            int code = readServerResponse();
            if (code == 250 || code == 251) {
                accepted++;
                continue;
            }
            SMTPAddressFailedException refusal = refusal(recipient, code);
            if (code < 400 || code > 599) {
                // no reply, or not an SMTP answer: the replies still due cannot be matched to their commands
                closeQuietly();
                throw mailCode == 250 ? refusal : failed(mailFrom, mailCode, mailReply);
            }
            refusals = chain(refusals, refusal);
        }
        int dataCode = readDataReply(mailCode == 250 && accepted > 0);
        String dataReply = getLastServerResponse();
        if (mailCode != 250 || accepted == 0) {
            if (dataCode == 354) {
                // a server that wrongly accepts DATA without a recipient gets an empty message it must refuse
                endData(out);
                readServerResponse();
            }
            resetKeepingReply();
            if (mailCode != 250) {
                throw failed(mailFrom, mailCode, mailReply);
            }
            throw new SendFailedException("Invalid Addresses", refusals);
        }
        if (dataCode != 354) {
            resetKeepingReply();
            throw new SMTPSendFailedException("DATA", dataCode, dataReply, refusals, null, null, null);
        }
        try {
            SMTPOutputStream data = new SMTPOutputStream(out);
            message.writeTo(data);
            data.ensureAtBOL();
            endData(out);
        } catch (IOException e) {
            closeQuietly();
            throw new MessagingException("IOException while sending message", e);
        }
        int code = readServerResponse();
        if (code != 250) {
            String reply = getLastServerResponse();
            resetKeepingReply();
            throw new SMTPSendFailedException(".", code, reply, refusals, null, null, null);
        }
        if (refusals != null) {
            throw new SMTPSendFailedException(".", code, getLastServerResponse(), refusals, null, null, null);
        }
        return getLastServerResponse();
    }

    /** MAIL FROM, with the SMTPUTF8 parameter when an address needs it (RFC 6531 3.4). */
    private static String mailFrom(OutgoingMessage message) {
        return "MAIL FROM:<" + message.envelopeFrom() + ">" + (message.requiresSmtpUtf8() ? " SMTPUTF8" : "");
    }

    /**
     * A command as Angus Mail's {@code sendCommand} will write it: without {@code mail.mime.allowutf8} (which would
     * log a notice on every connection to a server without SMTPUTF8) it writes each character as one byte, so the
     * UTF-8 bytes go as characters of their own. ASCII commands are unchanged.
     */
    private static String utf8Bytes(String command) {
        return new String(command.getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1);
    }

    /** The server lacks SMTPUTF8 for a message that needs it: a permanent failure, nothing was sent. */
    static final class SmtpUtf8Missing extends MessagingException {
        private static final long serialVersionUID = 1L;

        SmtpUtf8Missing(String sentence) {
            super(sentence);
        }
    }

    /** Reads the reply to DATA; when no data would follow anyway, a lost connection leaves the earlier replies. */
    private int readDataReply(boolean dataFollows) throws MessagingException {
        try {
            return readServerResponse();
        } catch (MessagingException e) {
            closeQuietly();
            if (dataFollows) {
                throw e;
            }
            return -1;
        }
    }

    private static void endData(OutputStream out) throws MessagingException {
        try {
            out.write(new byte[] {'.', '\r', '\n'});
            out.flush();
        } catch (IOException e) {
            throw new MessagingException("IOException while sending message", e);
        }
    }

    private static String line(String command) {
        if (command.indexOf('\r') < 0 && command.indexOf('\n') < 0) {
            return command + "\r\n";
        }
        throw new IllegalArgumentException("Command contains a line break: " + command.strip());
    }

    private SMTPSendFailedException refused(String command, int code) {
        String reply = getLastServerResponse();
        resetKeepingReply();
        return failed(command, code, reply);
    }

    private static SMTPSendFailedException failed(String command, int code, String reply) {
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

    private SMTPAddressFailedException refusal(String recipient, int code) {
        InternetAddress address = new InternetAddress();
        address.setAddress(recipient);
        return new SMTPAddressFailedException(address, "RCPT TO:<" + recipient + ">", code, getLastServerResponse());
    }

    private static MessagingException chain(MessagingException refusals, SMTPAddressFailedException refusal) {
        if (refusals == null) {
            return refusal;
        }
        refusals.setNextException(refusal);
        return refusals;
    }
}
