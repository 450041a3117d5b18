package notification.smtp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import notification.api.transport.DeliveryResult.Status;
import notification.testkit.FakeExchangeSmtpServer;
import notification.testkit.IssuedTokens;
import notification.testkit.StoredTestMessage;
import notification.testkit.TestTls;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The engine against a STARTTLS server with AUTH XOAUTH2 and PLAIN: tokens, refusals, stale connections. */
class SmtpClientTest {
    private static final String MAILBOX = "scanner@contoso.example";
    private static final String SCOPE = "https://outlook.office.com/SMTP.Send";

    private final IssuedTokens issued = IssuedTokens.standalone();
    private final FakeExchangeSmtpServer server = FakeExchangeSmtpServer.start(issued);
    private SmtpClient engine;

    /** Hands out a token and records every request; the first one may be a token the server does not know. */
    private final class Tokens implements SmtpTokenSource {
        final List<Boolean> requests = new CopyOnWriteArrayList<>();
        final boolean firstIsStale;
        final boolean refreshHelps;

        Tokens(boolean firstIsStale, boolean refreshHelps) {
            this.firstIsStale = firstIsStale;
            this.refreshHelps = refreshHelps;
        }

        @Override
        public String accessToken(boolean forceRefresh) {
            requests.add(forceRefresh);
            return firstIsStale && requests.size() == 1 ? "revoked-token"
                    : issued.issueFor(MAILBOX, SCOPE, Duration.ofHours(1));
        }

        @Override
        public boolean refreshHelps(String reply) {
            return refreshHelps && SmtpTokenSource.super.refreshHelps(reply);
        }
    }

    @AfterEach
    void stop() {
        if (engine != null) {
            engine.close();
        }
        server.close();
    }

    private SmtpClient engine(SmtpAuthentication authentication, int readTimeoutMs) {
        engine = new SmtpClient(SmtpServer.builder(server.host(), server.port(), SmtpSecurity.STARTTLS)
                .timeouts(5_000, readTimeoutMs, 5_000)
                .trust(TestTls.clientContext().getSocketFactory())
                .maxConnections(2)
                .authentication(authentication)
                .build());
        return engine;
    }

    private static StoredTestMessage scan(String subject) {
        return StoredTestMessage.text(MAILBOX, subject, "a@example.org");
    }

    @Test
    void xoauth2TakesOneTokenPerConnectionNotPerMessage() {
        Tokens tokens = new Tokens(false, true);
        SmtpClient client = engine(SmtpAuthentication.xoauth2(MAILBOX, tokens), 5_000);
        for (int i = 0; i < 3; i++) {
            SmtpResult result = client.send(scan("scan " + i));
            assertEquals(SmtpResult.Outcome.SENT, result.outcome(), result.toString());
            assertTrue(result.reply().startsWith("250 2.0.0 OK"), result.reply());
        }
        assertEquals(List.of(false), tokens.requests);
        assertEquals(1, server.connectionsOpened());
        assertEquals(MAILBOX, server.messages().get(2).authenticatedUser());
        assertEquals(List.of("a@example.org"), server.messages().get(0).recipients());
    }

    @Test
    void aRefusedTokenIsReplacedByAFreshOneOnceOnANewConnection() {
        Tokens tokens = new Tokens(true, true);
        SmtpResult result = engine(SmtpAuthentication.xoauth2(MAILBOX, tokens), 5_000).send(scan("fresh"));
        assertEquals(SmtpResult.Outcome.SENT, result.outcome(), result.toString());
        assertEquals(List.of(false, true), tokens.requests);
        assertEquals(2, server.connectionsOpened());
    }

    @Test
    void aTokenRefusedAgainIsAnAuthenticationRefusalWithTheServersReply() {
        SmtpTokenSource revoked = force -> "revoked-token";
        SmtpResult result = engine(SmtpAuthentication.xoauth2(MAILBOX, revoked), 5_000).send(scan("refused"));
        assertEquals(SmtpResult.Outcome.AUTHENTICATION_REFUSED, result.outcome());
        assertEquals(535, result.code());
        assertEquals("535 5.7.3 Authentication unsuccessful", result.reply());
        assertEquals(Status.PERMANENT, result.delivery().status());
        assertTrue(result.serverProblem());
        assertEquals(2, server.connectionsOpened());
        assertTrue(server.messages().isEmpty());
    }

    @Test
    void aRefusalAFreshTokenCannotCureIsNotRetried() {
        server.setSmtpAuthDisabled(true);
        Tokens tokens = new Tokens(false, false);
        SmtpResult result = engine(SmtpAuthentication.xoauth2(MAILBOX, tokens), 5_000).send(scan("disabled"));
        assertEquals(SmtpResult.Outcome.AUTHENTICATION_REFUSED, result.outcome());
        assertTrue(result.reply().startsWith("535 5.7.139"), result.reply());
        assertEquals(List.of(false), tokens.requests);
        assertEquals(1, server.connectionsOpened());
    }

    @Test
    void withoutATokenNothingConnects() {
        SmtpTokenUnavailableException missing = new SmtpTokenUnavailableException(true, "Not authorized yet.");
        SmtpTokenSource none = force -> {
            throw missing;
        };
        SmtpClient client = engine(SmtpAuthentication.xoauth2(MAILBOX, none), 5_000);
        SmtpResult result = client.send(scan("waits"));
        assertEquals(SmtpResult.Outcome.TOKEN_UNAVAILABLE, result.outcome());
        assertEquals(Status.UNAVAILABLE, result.delivery().status());
        assertEquals("Not authorized yet.", result.delivery().reply());
        assertSame(missing, result.tokenFailure());
        assertEquals(SmtpResult.Outcome.TOKEN_UNAVAILABLE, client.check().outcome());
        assertEquals(0, server.connectionsOpened());
        assertEquals(0, client.busyConnections(), "the connection slot was given back");
    }

    @Test
    void aReusedConnectionTheServerDroppedIsReplacedAndTheMessageSentOnce() {
        SmtpClient client = engine(SmtpAuthentication.xoauth2(MAILBOX, new Tokens(false, true)), 5_000);
        assertEquals(SmtpResult.Outcome.SENT, client.send(scan("one")).outcome());
        server.dropConnections();
        SmtpResult second = client.send(scan("two"));
        assertEquals(SmtpResult.Outcome.SENT, second.outcome(), second.toString());
        assertEquals(2, server.connectionsOpened());
        assertEquals(List.of("one", "two"), server.messages().stream().map(m -> m.subject()).toList());
    }

    @Test
    void aReplyAfterTheDataWentOutIsFinalAndNothingIsResent() {
        SmtpClient client = engine(SmtpAuthentication.xoauth2(MAILBOX, new Tokens(false, true)), 5_000);
        assertEquals(SmtpResult.Outcome.SENT, client.send(scan("one")).outcome());
        server.failNext("DATA", "451 4.3.0 try later");
        SmtpResult refused = client.send(scan("two"));
        assertEquals(SmtpResult.Outcome.REFUSED, refused.outcome());
        assertEquals(451, refused.code());
        assertEquals("451 4.3.0 try later", refused.reply());
        assertEquals(Status.TRANSIENT, refused.delivery().status());
        assertEquals(1, server.connectionsOpened(), "not resent on another connection");
        assertEquals(1, server.messages().size());
    }

    @Test
    void aTimeoutAfterTheDataWentOutIsTransientAndNeverResent() throws Exception {
        // a read timeout long enough for a TLS handshake on a busy machine, a delay well beyond it
        SmtpClient client = engine(SmtpAuthentication.xoauth2(MAILBOX, new Tokens(false, true)), 1_500);
        assertEquals(SmtpResult.Outcome.SENT, client.send(scan("one")).outcome());
        server.setDataDelay(Duration.ofMillis(6_000));
        SmtpResult lost = client.send(scan("two"));
        assertEquals(SmtpResult.Outcome.CONNECTION_FAILED, lost.outcome(), lost.toString());
        assertEquals(Status.TRANSIENT, lost.delivery().status());
        assertTrue(lost.delivery().reply().contains("readTimeout"), lost.delivery().reply());
        assertEquals(1, server.connectionsOpened(), "a message the server may have accepted is not resent");
    }

    @Test
    void aPasswordGoesOutAsAuthPlain() {
        server.acceptPassword(MAILBOX, "app-password");
        SmtpClient client = engine(SmtpAuthentication.password(MAILBOX, "app-password"), 5_000);
        assertEquals(SmtpResult.Outcome.SENT, client.send(scan("plain")).outcome());
        assertEquals(MAILBOX, server.messages().get(0).authenticatedUser());
        engine.close();
        SmtpResult wrong = engine(SmtpAuthentication.password(MAILBOX, "wrong"), 5_000).send(scan("wrong"));
        assertEquals(SmtpResult.Outcome.AUTHENTICATION_REFUSED, wrong.outcome());
        assertTrue(wrong.delivery().reply().contains("Check 'username' and 'password'"), wrong.delivery().reply());
        assertTrue(!wrong.delivery().reply().contains("wrong."), "password shown: " + wrong.delivery().reply());
    }

    @Test
    void aCheckAuthenticatesAndSendsNothing() {
        SmtpClient client = engine(SmtpAuthentication.xoauth2(MAILBOX, new Tokens(false, true)), 5_000);
        SmtpResult checked = client.check();
        assertEquals(SmtpResult.Outcome.CHECKED, checked.outcome(), checked.toString());
        assertEquals(1, server.successfulLogins());
        assertTrue(server.messages().isEmpty());
        assertEquals(0, client.idleConnections(), "a checked connection is not kept");
    }

    @Test
    void aRefusedRecipientIsReportedAloneAndTheOthersGetTheMessage() {
        SmtpClient client = engine(SmtpAuthentication.xoauth2(MAILBOX, new Tokens(false, true)), 5_000);
        server.failNext("RCPT", "550 5.1.10 RESOLVER.ADR.RecipientNotFound");
        SmtpResult partial = client.send(StoredTestMessage.text(MAILBOX, "two", "gone@example.org",
                "here@example.org"));
        assertEquals(SmtpResult.Outcome.REFUSED, partial.outcome());
        assertEquals(0, partial.code(), "the message itself went through");
        assertEquals(Status.PERMANENT, partial.delivery().statusOf("gone@example.org"));
        assertEquals(Status.SENT, partial.delivery().statusOf("here@example.org"));
        assertTrue(!partial.serverProblem());
    }

    @Test
    void aLocalPartBeyondAsciiGoesWithSmtpUtf8OverXoauth2() {
        SmtpClient client = engine(SmtpAuthentication.xoauth2(MAILBOX, new Tokens(false, true)), 5_000);
        SmtpResult result = client.send(StoredTestMessage.text(MAILBOX, "intl", "üser@example.org"));
        assertEquals(SmtpResult.Outcome.SENT, result.outcome(), result.toString());
        assertEquals(List.of("üser@example.org"), server.messages().get(0).recipients());
        assertTrue(server.messages().get(0).smtpUtf8(), "MAIL FROM carries SMTPUTF8");
        client.send(scan("ascii"));
        assertFalse(server.messages().get(1).smtpUtf8(), "only a message that needs it says SMTPUTF8");
    }

    @Test
    void aServerWithoutSmtpUtf8FailsSuchAMessagePermanentlyAndTheConnectionStaysUsable() {
        server.setSmtpUtf8Offered(false);
        SmtpClient client = engine(SmtpAuthentication.xoauth2(MAILBOX, new Tokens(false, true)), 5_000);
        assertEquals(SmtpResult.Outcome.SENT, client.send(scan("first")).outcome());
        SmtpResult result = client.send(StoredTestMessage.text(MAILBOX, "intl", "üser@example.org"));
        assertEquals(Status.PERMANENT, result.delivery().status(), result.toString());
        assertTrue(result.delivery().reply().contains("does not offer SMTPUTF8 (RFC 6531)"), result.toString());
        assertFalse(result.serverProblem());
        assertEquals(SmtpResult.Outcome.SENT, client.send(scan("after")).outcome());
        assertEquals(1, server.connectionsOpened(), "nothing was resent on a fresh connection");
        assertEquals(2, server.messages().size());
    }
}
