package notification.itest.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import notification.itest.app.RunningContainer;
import notification.testkit.FakeExchangeSmtpServer;
import notification.testkit.FakeGoogle;
import notification.testkit.TestTls;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;

/**
 * The administrator's Gmail walk-through in a real browser: choose Gmail / Google Workspace with OAuth (endpoints
 * pointed at the fake Google), Apply, Authorize, sign in as the mailbox, see "Status: OK", send a test message that
 * arrives over XOAUTH2 at the fake smtp.gmail.com.
 */
class GmailConsoleBrowserTest {
    private static final String MAILBOX = "scanner@printshop.example";
    private static final String CLIENT_ID = "1234567890-browser.apps.googleusercontent.com";
    private static final String CLIENT_SECRET = "GOCSPX-browser-" + System.nanoTime();

    @TempDir
    static Path home;
    static FakeGoogle google;
    static FakeExchangeSmtpServer gmail;
    static RunningContainer container;
    static ConsoleBrowser browser;

    @BeforeAll
    static void start() throws Exception {
        google = FakeGoogle.start(CLIENT_ID, CLIENT_SECRET);
        google.addWorkspaceAccount(MAILBOX);
        gmail = FakeExchangeSmtpServer.startForGmail(google.issuedTokens());
        container = RunningContainer.start(home);
        container.awaitReady(ConsoleSession.PAGE, Duration.ofSeconds(60));
        browser = ConsoleBrowser.start("gmail");
    }

    @AfterAll
    static void stop() throws Exception {
        if (container != null && browser != null) {
            java.nio.file.Files.writeString(browser.screenshotFolder().resolve("container.log"), container.log());
        }
        try (AutoCloseable b = browser; AutoCloseable c = container; AutoCloseable s = gmail;
                AutoCloseable g = google) {
            // closes all, in reverse order
        }
    }

    @Test
    void chooseGmailApplyAuthorizeAndSendATestMessageOverXoauth2() throws Exception {
        browser.openPage("http://localhost:" + container.port());
        browser.waitForText("Status: OK", Duration.ofSeconds(10));

        browser.choose("server", "gmail");
        browser.type("oauth-google-username", MAILBOX);
        browser.type("oauth-google-clientId", CLIENT_ID);
        browser.type("oauth-google-clientSecret", CLIENT_SECRET);
        assertEquals("http://localhost:" + container.port() + "/google-oauth2-callback",
                browser.driver().findElement(By.id("oauth-google-redirectUri")).getAttribute("value"));
        browser.driver().findElement(By.cssSelector("#oauth-google-advanced summary")).click();
        browser.type("oauth-google-authorizationUrl", google.authorizationUrl());
        browser.type("oauth-google-tokenUrl", google.tokenUrl());
        browser.type("oauth-google-apiUrl", google.apiUrl());
        browser.type("oauth-google-smtpHost", gmail.host());
        browser.type("oauth-google-smtpPort", String.valueOf(gmail.port()));
        browser.type("oauth-google-trustStore", TestTls.writeTrustStore(home.resolve("tls")).toString());
        browser.type("oauth-google-trustStorePassword", TestTls.PASSWORD);
        browser.screenshot("01-gmail-filled-in");
        browser.click("apply");

        browser.waitForText("Applied: Gmail / Google Workspace with OAuth (transport gmail).", Duration.ofSeconds(20));
        awaitLog("Configuration notification.oauth.google~console applied from", Duration.ofSeconds(6));
        browser.reloadUntil(By.id("authorize"), Duration.ofSeconds(30));
        browser.waitForText("Status: Authorization required", Duration.ofSeconds(5));
        assertFalse(browser.driver().getPageSource().contains(CLIENT_SECRET), "secret rendered on the page");
        browser.screenshot("02-authorization-required");

        browser.click("authorize");
        browser.waitForUrl(google.authorizationUrl(), Duration.ofSeconds(10));
        assertEquals(MAILBOX, browser.driver().findElement(By.id("username")).getAttribute("value"),
                "login_hint names the mailbox");
        browser.screenshot("03-google-sign-in");
        browser.click("sign-in");

        browser.waitForText("Status: OK", Duration.ofSeconds(20));
        assertTrue(browser.driver().findElement(By.id("status-authorized")).getText().contains(MAILBOX));
        String status = browser.driver().findElement(By.id("nt-status")).getText();
        assertEquals(status.indexOf(MAILBOX + " on "), status.lastIndexOf(MAILBOX + " on "),
                "the sign-in is said once: " + status);
        browser.screenshot("04-status-ok");
        FakeGoogle.AuthorizeRequest asked = google.authorizeRequests().get(0);
        assertEquals("offline", asked.accessType());
        assertEquals("consent", asked.prompt());
        assertEquals("S256", asked.codeChallengeMethod());

        browser.type("test-to", "helpdesk@printshop.example");
        browser.click("send-test");
        browser.waitForText("Test message delivered to helpdesk@printshop.example", Duration.ofSeconds(20));
        browser.screenshot("05-test-message-delivered");

        List<FakeExchangeSmtpServer.ReceivedMessage> received = gmail.messages();
        assertEquals(1, received.size());
        assertEquals(MAILBOX, received.get(0).authenticatedUser(), "sent over XOAUTH2 as the mailbox");
        assertEquals(MAILBOX, received.get(0).envelopeFrom());
        assertEquals(List.of("helpdesk@printshop.example"), received.get(0).recipients());
        assertEquals(List.of(), browser.cspViolations(), "the page runs within its Content-Security-Policy");
    }

    private static void awaitLog(String line, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!container.log().contains(line) && System.nanoTime() < deadline) {
            Thread.sleep(200);
        }
    }
}
