package notification.itest.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import notification.itest.app.RunningContainer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.json.Json;

/**
 * The settings form in a real browser against a container that already has hand-written configuration files: Apply
 * merges and never renames, the delivery order is shown and edited, fields survive switching options, every problem is
 * shown at once beside its field, the redirect URI is proposed at localhost, and a failover delivery is named.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ConsoleSettingsBrowserTest {
    private static final String CLIENT_SECRET = "Typed-S3cret-" + System.nanoTime();

    @TempDir
    static Path home;
    static GreenMail office;
    static RunningContainer container;
    static ConsoleBrowser browser;

    @BeforeAll
    static void start() throws Exception {
        office = new GreenMail(new ServerSetup(RunningContainer.freePort(), "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
        office.start();
        Path conf = Files.createDirectories(home.resolve("conf"));
        Files.writeString(conf.resolve("notification.relay~console.cfg"), "# the scanner relay, tuned by hand\n"
                + "host=127.0.0.1\nport=" + RunningContainer.freePort() + "\nsecurity=none\nfrom=scanner@example.com\n"
                + "maxConnections=1\nreadTimeout=5000\nmessagesPerMinute=30\n");
        Files.writeString(conf.resolve("notification.relay~office.cfg"), "host=127.0.0.1\nport="
                + office.getSmtp().getPort() + "\nsecurity=none\nfrom=office@example.com\n");
        Files.writeString(conf.resolve("notification.core.cfg"), "transports=console,office\n");
        container = RunningContainer.start(home);
        container.awaitReady(ConsoleSession.PAGE, Duration.ofSeconds(60));
        awaitOrder(List.of("console", "office"));
        browser = ConsoleBrowser.start("settings");
    }

    @AfterAll
    static void stop() throws Exception {
        if (browser != null && container != null) {
            Files.writeString(browser.screenshotFolder().resolve("container.log"), container.log());
        }
        try (AutoCloseable b = browser; AutoCloseable c = container) {
            // closes both
        } finally {
            office.stop();
        }
    }

    @Test
    @Order(1)
    void applyKeepsHandTunedKeysNeverRenamesAndLeavesTheOtherTransports() throws Exception {
        browser.openPage(localhost());
        browser.waitForText("SMTP server", Duration.ofSeconds(10));
        assertEquals("relay", browser.value("server"), "the first transport's option is shown");
        assertEquals("127.0.0.1", browser.value("relay-host"));
        assertTrue(browser.text().contains("Transport console (configuration notification.relay~console)"),
                browser.text());
        browser.type("relay-host", "localhost");
        browser.screenshot("01-editing-the-hand-written-relay");
        browser.click("apply");

        browser.waitForText("Applied: SMTP relay (transport console).", Duration.ofSeconds(20));
        browser.screenshot("02-applied");
        browser.waitForText("Status: Failing", Duration.ofSeconds(30));
        assertTrue(browser.text().contains("Applied: SMTP relay (transport console)."),
                "the banner stays when the status updates itself after the connection check:\n" + browser.text());
        String file = Files.readString(home.resolve("conf/notification.relay~console.cfg"));
        for (String kept : List.of("# the scanner relay, tuned by hand", "maxConnections=1", "readTimeout=5000",
                "messagesPerMinute=30", "host=localhost",
                "from=scanner@example.com")) {
            assertTrue(file.contains(kept), kept + " in\n" + file);
        }
        assertFalse(file.contains("name="), "the transport keeps its name:\n" + file);
        assertEquals(List.of("console", "office"), order(), "nothing else in the order changed");
        assertTrue(Files.readString(home.resolve("conf/notification.relay~office.cfg"))
                .contains("port=" + office.getSmtp().getPort()), "the other transport is untouched");
    }

    @Test
    @Order(2)
    void theFailoverIsListedAndCanBeMovedAndRemoved() throws Exception {
        browser.openPage(localhost());
        String officeRow = browser.driver().findElement(By.cssSelector("tr[data-transport=office]")).getText();
        assertTrue(officeRow.contains("2 (failover)"), officeRow);
        browser.driver().findElement(By.cssSelector("tr[data-transport=office] button.nt-up")).click();
        browser.waitForText("Delivery order: office, console.", Duration.ofSeconds(20));
        assertEquals(List.of("office", "console"), order());
        browser.screenshot("03-failover-moved-up");

        browser.driver().findElement(By.cssSelector("tr[data-transport=console] button.nt-remove")).click();
        browser.driver().switchTo().alert().accept();
        browser.waitForText("Transport console no longer delivers; its settings are kept.", Duration.ofSeconds(20));
        assertEquals(List.of("office"), order());
        assertTrue(Files.exists(home.resolve("conf/notification.relay~console.cfg")), "its settings are kept");
        browser.screenshot("04-failover-removed");
    }

    @Test
    @Order(3)
    void anyConfiguredTransportCanBeEditedAndApplyingItPutsItFirst() throws Exception {
        browser.openPage(localhost(), "?edit=console");
        assertEquals("localhost", browser.value("relay-host"), "the console relay is the one in the form");
        browser.type("relay-fromName", "Scanner");
        browser.click("apply");
        browser.waitForText("Applied: SMTP relay (transport console).", Duration.ofSeconds(20));
        assertEquals(List.of("console", "office"), order(), "applied first, the others kept after it");
        assertTrue(Files.readString(home.resolve("conf/notification.relay~console.cfg")).contains("fromName=Scanner"));
    }

    @Test
    @Order(4)
    void switchingOptionsAndCloudsKeepsWhatWasTyped() {
        browser.openPage(localhost());
        browser.choose("server", "outlook");
        browser.type("oauth-microsoft-tenantId", "contoso-tenant");
        browser.driver().findElement(By.cssSelector("#oauth-microsoft-advanced summary")).click();
        browser.choose("oauth-microsoft-cloud", "custom");
        browser.type("oauth-microsoft-smtpHost", "smtp.custom.example");
        browser.choose("server", "graph");
        assertTrue(browser.shows("oauth-microsoft-graphUrl"), "the custom cloud's Graph root is offered");
        browser.choose("oauth-microsoft-cloud", "global");
        assertFalse(browser.shows("oauth-microsoft-smtpHost"), "custom endpoints hidden for the global cloud");
        browser.choose("server", "relay");
        assertEquals("localhost", browser.value("relay-host"));
        browser.choose("server", "outlook");
        browser.choose("oauth-microsoft-cloud", "custom");
        assertEquals("contoso-tenant", browser.value("oauth-microsoft-tenantId"));
        assertEquals("smtp.custom.example", browser.value("oauth-microsoft-smtpHost"), "kept through Graph and back");
        browser.screenshot("05-fields-kept-across-options");
    }

    @Test
    @Order(5)
    void theRedirectUriIsProposedAtLocalhostAndAnHttpAddressElsewhereIsRefusedWithTheFix() {
        browser.openPage(container.baseUrl());
        browser.choose("server", "outlook");
        String proposed = localhost() + "/azure-oauth2-callback";
        assertEquals(proposed, browser.value("oauth-microsoft-redirectUri"),
                "proposed at localhost although the page is open at 127.0.0.1");
        browser.type("oauth-microsoft-redirectUri", container.baseUrl() + "/azure-oauth2-callback");
        browser.click("apply");
        browser.waitForText("Not saved", Duration.ofSeconds(20));
        String problem = browser.driver().findElement(By.id("oauth-microsoft-redirectUri-problem")).getText();
        assertTrue(problem.startsWith("Redirect URI must use https, or http with localhost"), problem);
        assertTrue(problem.contains(proposed), "the fix: " + problem);
        browser.screenshot("06-redirect-uri-refused");
    }

    @Test
    @Order(6)
    void everyProblemIsShownBesideItsFieldTheValuesAreKeptAndTheSecretIsNeverSentBack() {
        browser.openPage(localhost());
        browser.choose("server", "outlook");
        browser.type("oauth-microsoft-username", "scanner");
        browser.type("oauth-microsoft-tenantId", "");
        browser.type("oauth-microsoft-clientId", "");
        browser.type("oauth-microsoft-clientSecret", CLIENT_SECRET);
        browser.click("apply");

        browser.waitForText("Not saved: 3 fields need attention below.", Duration.ofSeconds(20));
        assertEquals("outlook", browser.value("server"), "the chosen option stays");
        assertEquals("scanner", browser.value("oauth-microsoft-username"), "the typed value stays");
        assertTrue(browser.driver().findElement(By.id("oauth-microsoft-username-problem")).getText()
                .startsWith("Username must be a mailbox address"));
        assertTrue(browser.driver().findElement(By.id("oauth-microsoft-tenantId-problem")).getText()
                .startsWith("Tenant ID is required"));
        assertTrue(browser.driver().findElement(By.id("oauth-microsoft-clientId-problem")).getText()
                .startsWith("Client ID is required"));
        assertFalse(browser.driver().getPageSource().contains(CLIENT_SECRET), "the secret is not sent back");
        assertEquals("kept from your last attempt; leave empty to use it", browser.driver()
                .findElement(By.id("oauth-microsoft-clientSecret")).getDomAttribute("placeholder"));
        browser.screenshot("07-every-problem-beside-its-field");

        browser.type("oauth-microsoft-username", "scanner@contoso.example");
        browser.type("oauth-microsoft-tenantId", "contoso-tenant");
        browser.type("oauth-microsoft-clientId", "11111111-2222-3333-4444-555555555555");
        browser.click("apply");
        browser.waitForText("Applied: Outlook with OAuth (transport microsoft).", Duration.ofSeconds(20));
        assertEquals("outlook", browser.value("server"), "the page right after Apply shows the applied option");
        assertTrue(browser.shows("authorize"), "and its Authorize button, with no reload:\n" + browser.text());
        assertTrue(browser.text().contains("Status: Authorization required"), browser.text());
        browser.screenshot("08-applied-outlook-authorize-next");
    }

    @Test
    @Order(7)
    void aTestMessageDeliveredByAFailoverSaysSo() throws Exception {
        assertEquals(List.of("microsoft", "console", "office"), order());
        browser.openPage(localhost());
        browser.driver().findElement(By.cssSelector("tr[data-transport=console] button.nt-remove")).click();
        browser.driver().switchTo().alert().accept();
        browser.waitForText("Delivery order: microsoft, office.", Duration.ofSeconds(20));

        browser.type("test-to", "helpdesk@example.com");
        browser.click("send-test");
        browser.waitForText("Test message delivered to helpdesk@example.com through office", Duration.ofSeconds(30));
        assertTrue(browser.text().contains("That is a failover: the first choice, microsoft, did not deliver it."),
                browser.text());
        assertEquals(1, office.getReceivedMessages().length, "the office server received it");
        browser.screenshot("09-delivered-by-a-failover");
    }

    private static String localhost() {
        return "http://localhost:" + container.port();
    }

    private static List<String> order() throws Exception {
        Map<String, Object> json = new Json().toType(container.get(ConsoleSession.PAGE + ".json").body(), Map.class);
        return ((List<?>) json.get("transports")).stream().map(t -> (String) ((Map<?, ?>) t).get("name")).toList();
    }

    private static void awaitOrder(List<String> expected) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!order().equals(expected)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("order never became " + expected + ": " + order());
            }
            Thread.sleep(200);
        }
    }
}
