package notification.smtp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.mail.AuthenticationFailedException;
import jakarta.mail.MessagingException;
import jakarta.mail.SendFailedException;
import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.InternetAddress;
import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.util.List;
import javax.net.ssl.SSLHandshakeException;
import notification.api.transport.DeliveryResult;
import notification.api.transport.DeliveryResult.Status;
import org.eclipse.angus.mail.smtp.SMTPAddressFailedException;
import org.eclipse.angus.mail.smtp.SMTPSendFailedException;
import org.eclipse.angus.mail.util.MailConnectException;
import org.eclipse.angus.mail.util.SocketConnectException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** How the engine reads what Angus Mail threw: RFC 5321 reply classes, per recipient, and connection problems. */
class SmtpFailureClassifierTest {
    private static final SmtpServer SERVER = SmtpServer.builder("smtp.example.com", 587, SmtpSecurity.STARTTLS)
            .timeouts(1_500, 2_500, 3_500)
            .authentication(SmtpAuthentication.password("scanner", "pa55-secret"))
            .build();
    private static final List<String> TWO = List.of("a@example.com", "b@example.com");

    private static SMTPAddressFailedException refused(String address, int code) {
        InternetAddress a = new InternetAddress();
        a.setAddress(address);
        return new SMTPAddressFailedException(a, "RCPT TO:<" + address + ">", code, code + " no " + address);
    }

    private static SMTPSendFailedException message(String command, int code, String reply, MessagingException next) {
        return new SMTPSendFailedException(command, code, reply, next, null, null, null);
    }

    private static MessagingException chain(MessagingException... refusals) {
        for (int i = 0; i + 1 < refusals.length; i++) {
            refusals[i].setNextException(refusals[i + 1]);
        }
        return refusals[0];
    }

    @ParameterizedTest(name = "{2} at {0} is {1}")
    @CsvSource({
        "MAIL FROM:<scanner@example.com>, PERMANENT, 552",
        "DATA, PERMANENT, 552",
        "., PERMANENT, 552",
        "MAIL FROM:<scanner@example.com>, PERMANENT, 550",
        "MAIL FROM:<scanner@example.com>, PERMANENT, 500",
        "DATA, PERMANENT, 599",
        "MAIL FROM:<scanner@example.com>, TRANSIENT, 450",
        "DATA, TRANSIENT, 451",
        "., TRANSIENT, 499",
        "., TRANSIENT, 421",
        "., TRANSIENT, 600"})
    void aReplyToTheWholeMessageDecidesForEveryRecipient(String command, Status expected, int code) {
        DeliveryResult result = SmtpFailureClassifier.classify(message(command, code, code + " 5.3.4 said so", null),
                TWO, SERVER);
        assertEquals(expected, result.status(), result.toString());
        assertTrue(result.recipientResults().isEmpty(), "one result for the whole message: " + result);
        assertTrue(result.reply().endsWith(code + " 5.3.4 said so"), result.reply());
    }

    @Test
    void a552AtMailDataOrEndOfDataIsPermanentButAtRcptItMeansTooManyRecipients() {
        for (String command : List.of("MAIL FROM:<scanner@example.com>", "DATA", ".")) {
            assertEquals(Status.PERMANENT, SmtpFailureClassifier.classify(message(command, 552, "552 5.3.4 too big",
                    null), TWO, SERVER).status(), command);
        }
        DeliveryResult rcpt = SmtpFailureClassifier.classify(message(".", 250, "250 ok",
                refused("a@example.com", 552)), TWO, SERVER);
        assertEquals(Status.TRANSIENT, rcpt.statusOf("a@example.com"), rcpt.toString());
        assertEquals(Status.SENT, rcpt.statusOf("b@example.com"), rcpt.toString());
    }

    @Test
    void theCommandIsNamedInWords() {
        assertEquals("MAIL FROM: 550 no", SmtpFailureClassifier.classify(
                message("MAIL FROM:<scanner@example.com>", 550, "550 no", null), TWO, SERVER).reply());
        assertEquals("end of data: 550 no", SmtpFailureClassifier.classify(message(".", 550, "550 no", null), TWO,
                SERVER).reply());
        assertEquals("DATA: 550 no", SmtpFailureClassifier.classify(message("DATA", 550, "550 no", null), TWO,
                SERVER).reply());
        assertEquals(": 550 no", SmtpFailureClassifier.classify(message(null, 550, "550 no", null), TWO,
                SERVER).reply());
    }

    @Test
    void aMultiLineReplyIsKeptOnOneLine() {
        DeliveryResult result = SmtpFailureClassifier.classify(message("DATA", 554, "554-first\r\n554 second\r\n",
                null), TWO, SERVER);
        assertEquals("DATA: 554-first 554 second", result.reply());
    }

    @Test
    void someRecipientsRefusedOthersSentWithTheServersReply() {
        DeliveryResult result = SmtpFailureClassifier.classify(message(".", 250, "250 2.0.0 queued\r\n",
                chain(refused("a@example.com", 550))), TWO, SERVER);
        assertEquals(Status.PERMANENT, result.statusOf("a@example.com"));
        assertEquals(Status.SENT, result.statusOf("b@example.com"));
        assertEquals("RCPT TO:<a@example.com>: 550 no a@example.com", result.recipientResults().get(0).reply());
        assertEquals("250 2.0.0 queued", result.recipientResults().get(1).reply());
        assertEquals("a@example.com PERMANENT (RCPT TO:<a@example.com>: 550 no a@example.com); b@example.com SENT"
                + " (250 2.0.0 queued)", result.reply());
        assertEquals(Status.PERMANENT, result.status());
    }

    @ParameterizedTest(name = "{0} at end of data after a refused recipient leaves the others {1}")
    @CsvSource({"200, SENT", "250, SENT", "299, SENT", "300, TRANSIENT", "199, TRANSIENT"})
    void onlyA2xxAtEndOfDataMeansTheOthersGotTheMessage(int code, Status expected) {
        DeliveryResult result = SmtpFailureClassifier.classify(message(".", code, code + " said",
                refused("a@example.com", 550)), TWO, SERVER);
        assertEquals(expected, result.statusOf("b@example.com"), result.toString());
        assertEquals(expected == Status.SENT ? code + " said" : "end of data: " + code + " said",
                result.recipientResults().get(1).reply());
    }

    @Test
    void aRecipientIsMatchedWhateverItsCase() {
        DeliveryResult result = SmtpFailureClassifier.classify(message(".", 250, "250 ok",
                refused("jane@example.com", 450)), List.of("Jane@Example.COM", "b@example.com"), SERVER);
        assertEquals(Status.TRANSIENT, result.statusOf("Jane@Example.COM"));
        assertEquals(Status.SENT, result.statusOf("b@example.com"));
        assertEquals(List.of("jane@example.com", "b@example.com"),
                result.recipientResults().stream().map(r -> r.address()).toList());
    }

    @Test
    void everyRecipientRefusedIsReportedPerRecipient() {
        MessagingException refusals = chain(refused("a@example.com", 550), refused("b@example.com", 451));
        DeliveryResult result = SmtpFailureClassifier.classify(new SendFailedException("Invalid Addresses", refusals),
                TWO, SERVER);
        assertEquals(Status.PERMANENT, result.statusOf("a@example.com"));
        assertEquals(Status.TRANSIENT, result.statusOf("b@example.com"));
        assertEquals(Status.TRANSIENT, result.status());
    }

    @Test
    void aRecipientTheServerDidNotMentionSharesTheWholeMessagesFate() {
        DeliveryResult result = SmtpFailureClassifier.classify(message("DATA", 554, "554 no data",
                refused("a@example.com", 550)), TWO, SERVER);
        assertEquals(Status.PERMANENT, result.statusOf("a@example.com"));
        assertEquals(Status.PERMANENT, result.statusOf("b@example.com"));
        assertEquals("DATA: 554 no data", result.recipientResults().get(1).reply());

        DeliveryResult unsent = SmtpFailureClassifier.classify(new SendFailedException("Invalid Addresses",
                refused("a@example.com", 550)), TWO, SERVER);
        assertEquals(Status.TRANSIENT, unsent.statusOf("b@example.com"));
        assertEquals("not sent: no recipient was accepted", unsent.recipientResults().get(1).reply());
    }

    @Test
    void recipientsThatAllFareAlikeStillListTheirOwnReplies() {
        DeliveryResult result = SmtpFailureClassifier.classify(message(".", 250, "250 ok",
                chain(refused("a@example.com", 550), refused("b@example.com", 550))), TWO, SERVER);
        assertEquals(2, result.recipientResults().size());
        assertEquals(Status.PERMANENT, result.status());
    }

    @Test
    void aServerThatHungUpInsteadOfReplyingIsTransient() {
        DeliveryResult eof = SmtpFailureClassifier.classify(message("DATA", -1, "[EOF]", null), TWO, SERVER);
        assertEquals(Status.TRANSIENT, eof.status());
        assertEquals("DATA: the server closed the connection", eof.reply());
        DeliveryResult said = SmtpFailureClassifier.classify(message("DATA", 0, "gone away", null), TWO, SERVER);
        assertEquals("DATA: the server closed the connection (gone away)", said.reply());
        DeliveryResult silent = SmtpFailureClassifier.classify(message("DATA", -1, null, null), TWO, SERVER);
        assertEquals("DATA: the server closed the connection", silent.reply());
    }

    @Test
    void aRefusedPasswordIsPermanentNamesUserAndServerAndNeverThePassword() {
        DeliveryResult result = SmtpFailureClassifier.classify(
                new AuthenticationFailedException("535 5.7.8 Authentication credentials invalid\r\n"), TWO, SERVER);
        assertEquals(Status.PERMANENT, result.status());
        assertEquals("The SMTP server refused the username or password of 'scanner' on smtp.example.com:587"
                + " (STARTTLS): 535 5.7.8 Authentication credentials invalid. Check 'username' and 'password'.",
                result.reply());
        assertFalse(result.reply().contains("pa55-secret"));
        assertEquals(result.reply(), SmtpFailureClassifier.describe(
                new AuthenticationFailedException("535 5.7.8 Authentication credentials invalid"), SERVER));
        assertTrue(SmtpFailureClassifier.classify(new AuthenticationFailedException(null), TWO, SERVER).reply()
                .contains(": no reply."));
    }

    @Test
    void aRefusedTokenIsPermanentAndNamesTheMailbox() {
        SmtpServer oauth = SmtpServer.builder("smtp.example.com", 587, SmtpSecurity.STARTTLS)
                .authentication(SmtpAuthentication.xoauth2("scanner@example.com", force -> "tok")).build();
        DeliveryResult result = SmtpFailureClassifier.classify(new AuthenticationFailedException("535 5.7.3 no"),
                TWO, oauth);
        assertEquals(Status.PERMANENT, result.status());
        assertEquals("The SMTP server refused the access token of 'scanner@example.com' on smtp.example.com:587"
                + " (STARTTLS): 535 5.7.3 no.", result.reply());
        DeliveryResult busy = SmtpFailureClassifier.classify(new AuthenticationFailedException("454 4.7.0 later"),
                TWO, oauth);
        assertEquals(Status.TRANSIENT, busy.status());
        assertEquals("The SMTP server could not check the access token right now: 454 4.7.0 later", busy.reply());
    }

    @Test
    void anAuthenticationServiceThatIsDownIsTransient() {
        DeliveryResult result = SmtpFailureClassifier.classify(
                new AuthenticationFailedException("454 4.7.0 Temporary authentication failure"), TWO, SERVER);
        assertEquals(Status.TRANSIENT, result.status());
        assertEquals("The SMTP server could not check the username and password right now: 454 4.7.0 Temporary"
                + " authentication failure", result.reply());
    }

    @Test
    void anInvalidAddressIsPermanent() {
        DeliveryResult result = SmtpFailureClassifier.classify(new AddressException("Missing final '@domain'", "x"),
                TWO, SERVER);
        assertEquals(Status.PERMANENT, result.status());
        assertTrue(result.reply().startsWith("A recipient is not a valid address: Missing final '@domain'"),
                result.reply());
    }

    @Test
    void aSilentServerIsTransientAndNamesTheReadTimeout() {
        DeliveryResult result = SmtpFailureClassifier.classify(
                new MessagingException("Exception reading response", new SocketTimeoutException("Read timed out")),
                TWO, SERVER);
        assertEquals(Status.TRANSIENT, result.status());
        assertEquals("No reply from smtp.example.com:587 (STARTTLS) within 2500 ms (readTimeout)", result.reply());
    }

    @Test
    void aConnectTimeoutNamesTheConnectTimeout() {
        MailConnectException e = new MailConnectException(new SocketConnectException("connect timed out",
                new SocketTimeoutException("connect timed out"), "smtp.example.com", 587, 1500));
        assertEquals("Could not connect to smtp.example.com:587 (STARTTLS) within 1500 ms",
                SmtpFailureClassifier.describe(e, SERVER));
    }

    @Test
    void anUnknownHostIsNamed() {
        MessagingException e = new MessagingException("Unknown SMTP host", new UnknownHostException("smtp.example.com"));
        assertEquals("Could not connect to smtp.example.com:587 (STARTTLS): unknown host 'smtp.example.com'",
                SmtpFailureClassifier.describe(e, SERVER));
    }

    @Test
    void aRefusedConnectionIsTransient() {
        MessagingException e = new MessagingException("Could not connect", new ConnectException("Connection refused"));
        DeliveryResult result = SmtpFailureClassifier.classify(e, TWO, SERVER);
        assertEquals(Status.TRANSIENT, result.status());
        assertEquals("Could not connect to smtp.example.com:587 (STARTTLS): Connection refused", result.reply());
        MailConnectException refused = new MailConnectException(new SocketConnectException("refused",
                new ConnectException("Connection refused"), "smtp.example.com", 587, 1500));
        assertEquals("Could not connect to smtp.example.com:587 (STARTTLS): Connection refused",
                SmtpFailureClassifier.describe(refused, SERVER));
    }

    @Test
    void aFailedTlsHandshakePointsAtTheTrustStore() {
        MessagingException e = new MessagingException("Could not convert socket to TLS",
                new SSLHandshakeException("PKIX path building failed"));
        assertEquals("TLS with smtp.example.com:587 (STARTTLS) failed: PKIX path building failed. If the server's"
                + " certificate comes from a private CA, set 'trustStore'.", SmtpFailureClassifier.describe(e, SERVER));
    }

    @Test
    void aDroppedConnectionIsTransientAndSaysSo() {
        MessagingException e = new MessagingException("Can't send command to SMTP host",
                new IOException("Broken pipe"));
        DeliveryResult result = SmtpFailureClassifier.classify(e, TWO, SERVER);
        assertEquals(Status.TRANSIENT, result.status());
        assertEquals("The connection to smtp.example.com:587 (STARTTLS) was dropped (Can't send command to SMTP"
                + " host: Broken pipe)", result.reply());
    }

    @Test
    void anyOtherFailureIsTransientWithWhatJakartaMailSaid() {
        assertEquals("Connection to smtp.example.com:587 (STARTTLS) failed: 530 5.7.0 Must issue a STARTTLS command",
                SmtpFailureClassifier.describe(new MessagingException("530 5.7.0 Must issue a STARTTLS command\r\n"),
                        SERVER));
        MessagingException wrapped = new MessagingException("outer", new MessagingException("middle",
                new IllegalStateException("inner")));
        assertEquals("Connection to smtp.example.com:587 (STARTTLS) failed: outer: inner",
                SmtpFailureClassifier.describe(wrapped, SERVER));
        MessagingException quiet = new MessagingException(null);
        assertEquals("Connection to smtp.example.com:587 (STARTTLS) failed: jakarta.mail.MessagingException",
                SmtpFailureClassifier.describe(quiet, SERVER));
        assertNull(SmtpFailureClassifier.classify(quiet, TWO, SERVER).retryAfter());
    }
}
