package notification.itest.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import notification.itest.app.RunningContainer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.json.Json;

/**
 * The Notifications page over plain HTTP, against the exported container: the pickup default, the JSON status, CSRF
 * and origin checks, secrets never shown, encoded errors, the OAuth callback refusing unknown states.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ConsoleHttpTest {
    private static final String RELAY_PASSWORD = "Relay-S3cret-" + System.nanoTime();
    /** A port nobody listens on: the relay configured by these tests refuses connections. */
    private static final int CLOSED_PORT = closedPort();

    @TempDir
    static Path home;
    static RunningContainer container;

    @BeforeAll
    static void start() throws Exception {
        container = RunningContainer.start(home);
        container.awaitReady(ConsoleSession.PAGE, Duration.ofSeconds(60));
    }

    @AfterAll
    static void stop() throws Exception {
        if (container != null) {
            container.close();
        }
    }

    @Test
    @Order(1)
    void pickupIsTheDefaultAndATestMessageLandsInThePickupFolder() throws Exception {
        ConsoleSession admin = new ConsoleSession(container);
        HttpResponse<String> page = admin.get(ConsoleSession.PAGE);
        assertEquals(200, page.statusCode());
        assertTrue(page.body().contains("Status: OK"), page.body());
        assertTrue(page.body().contains("<option value=\"pickup\" selected>Pickup folder (no mail leaves this machine)"
                + "</option>"), "the pickup option is the current one");
        assertTrue(page.body().contains("No mail leaves this machine"), "pickup says so plainly");

        String shown = admin.submitAndShow(ConsoleSession.PAGE + "/test", Map.of("to", "helpdesk@example.com"));
        assertTrue(shown.contains("Test message delivered to helpdesk@example.com"), shown);

        List<Path> files;
        try (Stream<Path> s = Files.list(home.resolve("var/pickup"))) {
            files = s.filter(p -> p.toString().endsWith(".eml")).toList();
        }
        assertEquals(1, files.size(), "one .eml file in var/pickup");
        String eml = Files.readString(files.get(0));
        assertTrue(eml.contains("helpdesk@example.com"), eml);
        assertTrue(eml.contains("Subject: Test message from the print server"), eml);
    }

    @Test
    @Order(2)
    void jsonReportsTransportStateOutboxAndAuthorization() throws Exception {
        HttpResponse<String> r = new ConsoleSession(container).get(ConsoleSession.PAGE + ".json");
        assertEquals(200, r.statusCode());
        assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("application/json"));
        Map<String, Object> json = new Json().toType(r.body(), Map.class);
        assertEquals(Set.of("transport", "transports", "outbox", "authorization", "store", "budget"),
                json.keySet());
        Map<?, ?> transport = (Map<?, ?>) json.get("transport");
        assertEquals("pickup", transport.get("name"));
        assertEquals("pickup", transport.get("type"));
        assertEquals("OK", transport.get("state"));
        assertNotNull(transport.get("message"));
        List<?> transports = (List<?>) json.get("transports");
        assertEquals("pickup", ((Map<?, ?>) transports.get(0)).get("name"));
        Map<?, ?> outbox = (Map<?, ?>) json.get("outbox");
        assertEquals(Set.of("QUEUED", "SENDING", "DEFERRED", "SENT", "FAILED", "EXPIRED", "QUARANTINED"),
                outbox.keySet());
        assertEquals(1L, ((Number) outbox.get("SENT")).longValue(), "the test message of the first test");
        assertNull(json.get("authorization"), "nobody authorized a pickup directory");
        assertEquals(Map.of("kind", "journal", "summary", "one server (journal)"), json.get("store"));
        assertEquals(List.of(), json.get("budget"), "a pickup folder counts against no mailbox's sending budget");
    }

    @Test
    @Order(3)
    void everyResponseCarriesCspAndNosniff() throws Exception {
        ConsoleSession admin = new ConsoleSession(container);
        for (String path : List.of(ConsoleSession.PAGE, ConsoleSession.PAGE + ".json", "/azure-oauth2-callback")) {
            HttpResponse<String> r = admin.get(path);
            String csp = r.headers().firstValue("Content-Security-Policy").orElse("");
            assertTrue(csp.contains("default-src") && csp.contains("script-src") && !csp.contains("script-src *"),
                    path + ": " + csp);
            assertEquals("nosniff", r.headers().firstValue("X-Content-Type-Options").orElse(""), path);
        }
        HttpResponse<String> page = admin.get(ConsoleSession.PAGE);
        String csp = page.headers().firstValue("Content-Security-Policy").orElseThrow();
        assertFalse(csp.matches(".*script-src[^;]*unsafe-inline.*"),
                "inline scripts are allowed only by their hashes: " + csp);
        java.util.regex.Matcher inline = java.util.regex.Pattern.compile("<script(?![^>]*src)[^>]*>(.*?)</script>",
                java.util.regex.Pattern.DOTALL).matcher(page.body());
        int scripts = 0;
        while (inline.find()) {
            byte[] hash = java.security.MessageDigest.getInstance("SHA-256")
                    .digest(inline.group(1).getBytes(java.nio.charset.StandardCharsets.UTF_8));
            String source = "'sha256-" + java.util.Base64.getEncoder().encodeToString(hash) + "'";
            assertTrue(csp.contains(source), "the console's inline script " + source + " is allowed: " + csp);
            scripts++;
        }
        assertEquals(2, scripts, "the console header's two inline scripts; the page itself has none");
    }

    @Test
    @Order(4)
    void postsFromAnotherSiteOrWithoutTheTokenChangeNothing() throws Exception {
        ConsoleSession admin = new ConsoleSession(container);
        Map<String, String> relay = relayForm("relay.example.com");
        Map<String, String> withToken = new java.util.LinkedHashMap<>(relay);
        withToken.put("csrf", admin.csrfToken());

        HttpResponse<String> crossSite = admin.post(ConsoleSession.PAGE + "/apply", withToken,
                Map.of("Origin", "http://evil.example"));
        assertEquals(403, crossSite.statusCode(), crossSite.body());
        HttpResponse<String> crossSiteReferer = admin.post(ConsoleSession.PAGE + "/apply", withToken,
                Map.of("Referer", "http://evil.example/page.html"));
        assertEquals(403, crossSiteReferer.statusCode());
        HttpResponse<String> noToken = admin.post(ConsoleSession.PAGE + "/apply", relay,
                Map.of("Origin", admin.origin()));
        assertEquals(403, noToken.statusCode());

        ConsoleSession otherBrowser = new ConsoleSession(container);
        otherBrowser.csrfToken();
        HttpResponse<String> foreignToken = otherBrowser.post(ConsoleSession.PAGE + "/apply", withToken,
                Map.of("Origin", admin.origin()));
        assertEquals(403, foreignToken.statusCode(), "another browser's token");

        String json = admin.get(ConsoleSession.PAGE + ".json").body();
        assertTrue(json.contains("\"transport\":{\"name\":\"pickup\""), "nothing changed: " + json);
        assertFalse(Files.exists(home.resolve("conf/notification.relay~console.cfg")));
    }

    @Test
    @Order(5)
    void refusedApplyNamesTheFieldAndKeepsWhatWasTyped() throws Exception {
        ConsoleSession admin = new ConsoleSession(container);
        Map<String, String> form = relayForm("");
        String shown = admin.submitAndShow(ConsoleSession.PAGE + "/apply", form);
        assertTrue(shown.contains("Not saved: one field needs attention below."), shown);
        assertTrue(shown.contains("id=\"relay-host-problem\">Host is required"), "beside the field: " + shown);
        assertTrue(shown.contains("value=\"printer@example.com\""), "typed From address kept");
        assertTrue(shown.contains("<option value=\"relay\" selected>"), "relay still chosen");
        assertFalse(shown.contains(RELAY_PASSWORD), "a typed secret is never sent back");
    }

    @Test
    @Order(6)
    void relaySettingsAreSavedAndTheSecretIsNeverShown() throws Exception {
        ConsoleSession admin = new ConsoleSession(container);
        String shown = admin.submitAndShow(ConsoleSession.PAGE + "/apply", relayForm("127.0.0.1"));
        assertTrue(shown.contains("Applied: SMTP relay (transport relay)."), shown);
        String json = admin.get(ConsoleSession.PAGE + ".json").body();
        assertTrue(json.contains("\"transport\":{\"name\":\"relay\",\"type\":\"relay\""), json);

        String page = admin.get(ConsoleSession.PAGE).body();
        assertTrue(page.contains("value=\"127.0.0.1\""), "stored host shown");
        assertTrue(page.contains("stored; leave empty to keep it"), "the page says a password is stored");
        for (String path : List.of(ConsoleSession.PAGE, ConsoleSession.PAGE + ".json",
                "/system/console/configMgr/notification.relay~console")) {
            String body = admin.get(path).body();
            assertFalse(body.contains(RELAY_PASSWORD), "secret in " + path);
        }

        Map<String, String> again = relayForm("127.0.0.1");
        again.put("relay.password", "");
        again.put("relay.port", String.valueOf(CLOSED_PORT));
        admin.submitAndShow(ConsoleSession.PAGE + "/apply", again);
        awaitJson(admin, "\"name\":\"relay\"");
        assertTrue(admin.get(ConsoleSession.PAGE).body().contains("stored; leave empty to keep it"),
                "an empty password field kept the stored password");
    }

    @Test
    @Order(8)
    void callbackRefusesAnUnknownStateAndEncodesWhatItEchoes() throws Exception {
        ConsoleSession admin = new ConsoleSession(container);
        admin.csrfToken();
        HttpResponse<String> forged = admin.post("/azure-oauth2-callback",
                Map.of("state", "<script>alert(1)</script>", "code", "forged-code"), Map.of());
        assertEquals(400, forged.statusCode());
        assertTrue(forged.body().contains("Nothing was stored"), forged.body());
        assertFalse(forged.body().contains("<script>alert"), "nothing from the request is echoed unencoded");
        HttpResponse<String> forgedGet = admin.get("/azure-oauth2-callback?state=forged&code=x");
        assertEquals(400, forgedGet.statusCode());
        HttpResponse<String> noState = admin.get("/azure-oauth2-callback?error=access_denied");
        assertEquals(400, noState.statusCode());
        assertTrue(admin.get(ConsoleSession.PAGE + ".json").body().contains("\"authorization\":null,"));
    }

    @Test
    @Order(9)
    void warnsAboutTheDefaultCredentialsOnThePageAndAtStartUp() throws Exception {
        String page = new ConsoleSession(container).get(ConsoleSession.PAGE).body();
        assertTrue(page.contains("default credentials admin/admin"), page);
        assertTrue(page.contains("org.apache.felix.webconsole.internal.servlet.OsgiManager.cfg"), page);
        String warning = "WARNING: The web console still accepts Felix's default credentials admin/admin";
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        while (!container.log().contains(warning) && System.nanoTime() < deadline) {
            Thread.sleep(200);
        }
        String log = container.log();
        assertTrue(log.contains("Notifications console: http://localhost:" + container.port()
                + "/system/console/notifications"), log);
        assertTrue(log.contains(warning), log);
    }

    @Test
    @Order(7)
    void anUndeliverableTestMessageStaysInTheOutboxWhereItCanBeRetriedAndDiscarded() throws Exception {
        ConsoleSession admin = new ConsoleSession(container);
        String shown = admin.submitAndShow(ConsoleSession.PAGE + "/test", Map.of("to", "helpdesk@example.com"));
        assertTrue(shown.contains("Test message to helpdesk@example.com not delivered yet"), shown);
        java.util.regex.Matcher row = java.util.regex.Pattern.compile("<tr data-id=\"([^\"]+)\">.*?"
                + "<td class=\"nt-entry-state\">DEFERRED</td>.*?<td class=\"nt-entry-error\">([^<]+)</td>")
                .matcher(shown);
        assertTrue(row.find(), "the outbox lists the deferred message with its error:\n" + shown);
        String id = row.group(1);
        assertFalse(row.group(2).isBlank());

        String connection = admin.submitAndShow(ConsoleSession.PAGE + "/test-connection", Map.of("transport", "relay"));
        assertTrue(connection.contains("Connection test of relay failed"), connection);

        String retried = admin.submitAndShow(ConsoleSession.PAGE + "/outbox", Map.of("action", "retry", "id", id));
        assertTrue(retried.contains("Notification " + id + " will be sent again now."), retried);

        String discarded = "";
        for (int i = 0; i < 20 && !discarded.contains("discarded."); i++) {
            discarded = admin.submitAndShow(ConsoleSession.PAGE + "/outbox", Map.of("action", "discard", "id", id));
            Thread.sleep(100);
        }
        assertTrue(discarded.contains("Notification " + id + " discarded."), discarded);
        assertFalse(discarded.contains("data-id=\"" + id + "\""), "gone from the outbox table");
        String unknown = admin.submitAndShow(ConsoleSession.PAGE + "/outbox", Map.of("action", "retry", "id", id));
        assertTrue(unknown.contains("cannot be retried"), unknown);
    }

    @Test
    @Order(10)
    void outlookUsGovBecomesFirstKeepsTheRelayAsFailoverAndAuthorizeNeedsTheRedirectAddress() throws Exception {
        ConsoleSession admin = new ConsoleSession(container);
        Map<String, String> form = new java.util.LinkedHashMap<>();
        form.put("server", "outlook-usgov");
        form.put("oauth-microsoft.username", "scanner@agency.example");
        form.put("oauth-microsoft.tenantId", "agency-tenant");
        form.put("oauth-microsoft.clientId", "client-id");
        form.put("oauth-microsoft.clientSecret", "Gov-S3cret-" + System.nanoTime());
        form.put("oauth-microsoft.cloud", "global");
        String localhost = "http://localhost:" + container.port();
        form.put("oauth-microsoft.redirectUri", localhost + "/azure-oauth2-callback");
        String shown = admin.submitAndShow(ConsoleSession.PAGE + "/apply", form);
        assertTrue(shown.contains("Applied: Outlook with OAuth (US Gov) (transport microsoft)."), shown);
        assertTrue(shown.contains("id=\"authorize\""), "Authorize is on the page returned by Apply");
        assertFalse(shown.contains(form.get("oauth-microsoft.clientSecret")), "secret sent back");

        Map<String, Object> json = new Json().toType(admin.get(ConsoleSession.PAGE + ".json").body(), Map.class);
        List<?> order = ((List<?>) json.get("transports")).stream().map(t -> ((Map<?, ?>) t).get("name")).toList();
        assertEquals(List.of("microsoft", "relay"), order, "the relay stays as failover");
        Map<?, ?> first = (Map<?, ?>) ((List<?>) json.get("transports")).get(0);
        assertEquals("AUTHORIZATION_REQUIRED", first.get("state"), "nobody signed in yet: " + json);
        String page = admin.get(ConsoleSession.PAGE).body();
        assertTrue(page.contains("<option value=\"outlook-usgov\" selected>"), "US Gov shown as chosen");
        assertTrue(page.contains("<option value=\"usgov-gcchigh\" selected>"), "US Gov cloud saved");

        String refused = admin.submitAndShow(ConsoleSession.PAGE + "/authorize", Map.of("transport", "microsoft"));
        assertTrue(refused.contains("The sign-in returns to " + localhost + "/azure-oauth2-callback, but "
                + "this page is open at " + container.baseUrl()), refused);
    }

    private static int closedPort() {
        try {
            return RunningContainer.freePort();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    static Map<String, String> relayForm(String host) {
        Map<String, String> form = new java.util.LinkedHashMap<>();
        form.put("server", "relay");
        form.put("relay.host", host);
        form.put("relay.port", String.valueOf(CLOSED_PORT));
        form.put("relay.security", "none");
        form.put("relay.username", "printer");
        form.put("relay.password", RELAY_PASSWORD);
        form.put("relay.from", "printer@example.com");
        form.put("relay.fromName", "Print server");
        return form;
    }

    static String awaitJson(ConsoleSession session, String expected) throws IOException, InterruptedException {
        String json = "";
        for (int i = 0; i < 50; i++) {
            json = session.get(ConsoleSession.PAGE + ".json").body();
            if (json.contains(expected)) {
                return json;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("status never contained " + expected + ": " + json);
    }
}
