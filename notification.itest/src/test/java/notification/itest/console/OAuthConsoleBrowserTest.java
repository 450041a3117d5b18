package notification.itest.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import notification.itest.app.RunningContainer;
import notification.testkit.FakeExchangeSmtpServer;
import notification.testkit.FakeMicrosoftIdentityPlatform;
import notification.testkit.TestTls;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;

/**
 * The administrator's walk-through in a real browser: choose Outlook with OAuth (a Custom cloud pointed at the fake
 * identity platform), Apply, Authorize, sign in, see "Status: OK", send a test message that arrives over XOAUTH2;
 * then the ways a sign-in goes wrong.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class OAuthConsoleBrowserTest {
    private static final String MAILBOX = "scanner@contoso.example";
    private static final String OTHER = "jane.roe@contoso.example";
    private static final String CLIENT_SECRET = "Client-S3cret-Value-" + System.nanoTime();

    @TempDir
    static Path home;
    static FakeMicrosoftIdentityPlatform identity;
    static FakeExchangeSmtpServer exchange;
    static RunningContainer container;
    static ConsoleBrowser browser;

    @BeforeAll
    static void start() throws Exception {
        identity = FakeMicrosoftIdentityPlatform.start("contoso-tenant", "11111111-2222-3333-4444-555555555555",
                CLIENT_SECRET);
        identity.addAccount(MAILBOX, "Scanner");
        identity.addAccount(OTHER, "Jane Roe");
        exchange = FakeExchangeSmtpServer.start(identity.issuedTokens());
        container = RunningContainer.start(home);
        container.awaitReady(ConsoleSession.PAGE, Duration.ofSeconds(60));
        browser = ConsoleBrowser.start("oauth");
    }

    @AfterAll
    static void stop() throws Exception {
        if (container != null) {
            java.nio.file.Files.writeString(browser.screenshotFolder().resolve("container.log"), container.log());
        }
        try (AutoCloseable b = browser; AutoCloseable c = container; AutoCloseable s = exchange;
                AutoCloseable i = identity) {
            // closes all, in reverse order
        }
    }

    @Test
    @Order(1)
    void configureAuthorizeAndSendATestMessage() throws Exception {
        browser.openPage(localhost());
        browser.waitForText("Status: OK", Duration.ofSeconds(10));
        browser.screenshot("01-page-with-pickup-default");

        browser.choose("server", "outlook");
        browser.type("oauth-microsoft-username", MAILBOX);
        browser.type("oauth-microsoft-tenantId", identity.tenantId());
        browser.type("oauth-microsoft-clientId", identity.clientId());
        browser.type("oauth-microsoft-clientSecret", CLIENT_SECRET);
        browser.driver().findElement(By.cssSelector("#oauth-microsoft-advanced summary")).click();
        browser.choose("oauth-microsoft-cloud", "custom");
        browser.type("oauth-microsoft-authorityUrl", identity.authorityUrl());
        browser.type("oauth-microsoft-smtpHost", exchange.host());
        browser.type("oauth-microsoft-smtpPort", String.valueOf(exchange.port()));
        browser.type("oauth-microsoft-smtpScope", "https://outlook.office.com/SMTP.Send");
        browser.type("oauth-microsoft-trustStore", TestTls.writeTrustStore(home.resolve("tls")).toString());
        browser.type("oauth-microsoft-trustStorePassword", TestTls.PASSWORD);
        browser.screenshot("02-outlook-with-oauth-filled-in");
        browser.click("apply");

        browser.waitForText("Applied: Outlook with OAuth (transport microsoft).", Duration.ofSeconds(20));
        // The container writes the configuration to conf/ and FileInstall applies the file again a moment later,
        // which restarts the transport (and forgets a sign-in begun in between): let that settle first.
        awaitLog("Configuration notification.oauth.microsoft~console applied from", Duration.ofSeconds(6));
        browser.reloadUntil(By.id("authorize"), Duration.ofSeconds(30));
        browser.waitForText("Status: Authorization required", Duration.ofSeconds(5));
        assertFalse(browser.driver().getPageSource().contains(CLIENT_SECRET), "secret rendered on the page");
        browser.screenshot("03-authorization-required");

        browser.click("authorize");
        browser.waitForUrl(identity.authorityUrl(), Duration.ofSeconds(10));
        assertTrue(browser.driver().getCurrentUrl().startsWith(identity.authorityUrl()), "at the identity platform");
        assertEquals(MAILBOX, browser.driver().findElement(By.id("username")).getAttribute("value"),
                "login_hint names the mailbox");
        browser.screenshot("04-sign-in-page");
        browser.click("sign-in");

        browser.waitForText("Status: OK", Duration.ofSeconds(20));
        assertTrue(browser.driver().getCurrentUrl().endsWith(ConsoleSession.PAGE), "back on the page");
        assertTrue(browser.driver().findElement(By.id("status-authorized")).getText().contains(MAILBOX));
        String status = browser.driver().findElement(By.id("nt-status")).getText();
        assertEquals(status.indexOf(MAILBOX + " on "), status.lastIndexOf(MAILBOX + " on "),
                "the sign-in is said once: " + status);
        browser.screenshot("05-status-ok");

        browser.type("test-to", "helpdesk@contoso.example");
        browser.click("send-test");
        browser.waitForText("Test message delivered to helpdesk@contoso.example", Duration.ofSeconds(20));
        browser.screenshot("06-test-message-delivered");

        List<FakeExchangeSmtpServer.ReceivedMessage> received = exchange.messages();
        assertEquals(1, received.size());
        assertEquals(MAILBOX, received.get(0).authenticatedUser(), "sent over XOAUTH2 as the mailbox");
        assertEquals(List.of("helpdesk@contoso.example"), received.get(0).recipients());
        assertEquals("Test message from the print server", received.get(0).subject());

        ConsoleSession script = new ConsoleSession(container);
        String json = script.get(ConsoleSession.PAGE + ".json").body();
        assertTrue(json.contains("\"transport\":{\"name\":\"microsoft\",\"type\":\"microsoft\",\"state\":\"OK\""),
                json);
        assertTrue(json.contains("\"authorization\":{\"account\":\"" + MAILBOX + "\""), json);
        assertFalse(json.contains(CLIENT_SECRET), "secret in the JSON");
        assertFalse(script.get(ConsoleSession.PAGE).body().contains(CLIENT_SECRET), "secret on the page");
        assertEquals(List.of(), browser.cspViolations(), "the page runs within its Content-Security-Policy");
    }

    @Test
    @Order(2)
    void signingInAsSomeoneElseSaysWhoSignedInAndWhoShouldHave() {
        browser.openPage(localhost());
        browser.reloadUntil(By.id("authorize"), Duration.ofSeconds(10)).click();
        browser.waitForUrl(identity.authorityUrl(), Duration.ofSeconds(10));
        browser.type("username", OTHER);
        browser.screenshot("07-signing-in-as-someone-else");
        browser.click("sign-in");

        browser.waitForText("Authorization failed", Duration.ofSeconds(20));
        String error = browser.driver().findElement(By.cssSelector(".nt-flash-error")).getText();
        assertTrue(error.contains(OTHER), "who signed in: " + error);
        assertTrue(error.contains(MAILBOX), "who should have: " + error);
        browser.screenshot("08-wrong-account");
        assertFalse(browser.driver().getPageSource().contains("Authorized: " + OTHER), "the other account stored");
    }

    @Test
    @Order(3)
    void anErrorDescriptionCarryingMarkupIsShownAsText() {
        String markup = "<script>document.title='pwned'</script><b>AADSTS65004</b>: User declined to consent";
        identity.failNextAuthorization("access_denied", markup);
        browser.openPage(localhost());
        browser.reloadUntil(By.id("authorize"), Duration.ofSeconds(10)).click();
        browser.waitForUrl(identity.authorityUrl(), Duration.ofSeconds(10));
        browser.click("sign-in");

        browser.waitForText("Authorization failed", Duration.ofSeconds(20));
        String shown = browser.driver().findElement(By.cssSelector(".nt-flash-error")).getText();
        assertTrue(shown.contains("AADSTS65004"), shown);
        assertTrue(shown.contains("<script>document.title='pwned'</script><b>AADSTS65004</b>"),
                "the markup is shown as text: " + shown);
        assertNotEquals("pwned", browser.driver().getTitle(), "the script did not run");
        assertTrue(browser.driver().findElements(By.cssSelector(".nt-flash-error b")).isEmpty(),
                "the markup did not become elements");
        browser.screenshot("09-error-description-encoded");
    }

    @Test
    @Order(4)
    void aReplayedOrForeignStateIsRefusedAndNothingIsStored() throws Exception {
        ConsoleSession admin = new ConsoleSession(container, localhost());
        String before = authorization(admin);

        Map<String, String> callback = startAndSignIn(admin);
        HttpResponse<String> first = admin.post("/azure-oauth2-callback", callback, Map.of());
        assertEquals(303, first.statusCode(), first.body());
        String after = authorization(admin);
        assertNotEquals(before, after, "a new authorization was recorded");

        HttpResponse<String> replay = admin.post("/azure-oauth2-callback", callback, Map.of());
        assertEquals(400, replay.statusCode(), "replayed state");
        assertTrue(replay.body().contains("Nothing was stored"), replay.body());

        Map<String, String> stolen = startAndSignIn(admin);
        ConsoleSession otherBrowser = new ConsoleSession(container, localhost());
        otherBrowser.csrfToken();
        HttpResponse<String> foreign = otherBrowser.post("/azure-oauth2-callback", stolen, Map.of());
        assertEquals(400, foreign.statusCode(), "state bound to another browser: " + foreign.body());
        Map<String, String> noCookie = new java.util.LinkedHashMap<>(stolen);
        noCookie.put("resumed", "1");
        HttpResponse<String> anonymous = new ConsoleSession(container, localhost()).post("/azure-oauth2-callback",
                noCookie, Map.of());
        assertEquals(400, anonymous.statusCode(), "a browser without the console cookie");
        assertEquals(after, authorization(admin), "nothing stored by refused callbacks");
    }

    @Test
    @Order(5)
    void aFormPostedFromAnotherSiteIsRefused() throws Exception {
        try (CrossSitePage attacker = CrossSitePage.start(localhost() + ConsoleSession.PAGE + "/apply",
                ConsoleHttpTest.relayForm("attacker.example"))) {
            browser.openPage(localhost());
            browser.waitForText("Status", Duration.ofSeconds(10));
            browser.driver().get(attacker.url());
            browser.waitForText("Refused", Duration.ofSeconds(10));
            browser.screenshot("10-cross-site-post-refused");
        }
        String json = new ConsoleSession(container).get(ConsoleSession.PAGE + ".json").body();
        assertTrue(json.contains("\"transport\":{\"name\":\"microsoft\""), "nothing changed: " + json);
    }

    /** The console at localhost, where the proposed redirect URI returns. */
    private static String localhost() {
        return "http://localhost:" + container.port();
    }

    private static void awaitLog(String line, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!container.log().contains(line) && System.nanoTime() < deadline) {
            Thread.sleep(200);
        }
    }

    private static Map<String, String> startAndSignIn(ConsoleSession admin) throws Exception {
        HttpResponse<String> start = admin.submit(ConsoleSession.PAGE + "/authorize", Map.of("transport", "microsoft"));
        assertEquals(303, start.statusCode(), start.body());
        URI authorizationUrl = URI.create(start.headers().firstValue("Location").orElseThrow());
        assertTrue(authorizationUrl.toString().startsWith(identity.authorityUrl()), authorizationUrl.toString());
        Map<String, String> callback = identity.signIn(authorizationUrl, MAILBOX);
        assertTrue(callback.containsKey("code") && callback.containsKey("state"), callback.toString());
        return callback;
    }

    private static String authorization(ConsoleSession session) throws Exception {
        String json = session.get(ConsoleSession.PAGE + ".json").body();
        String from = json.substring(json.indexOf("\"authorization\":"));
        return from.substring(0, from.indexOf(",\"store\":")); // the keys after it are live counts
    }
}
