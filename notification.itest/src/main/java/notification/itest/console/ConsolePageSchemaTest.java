package notification.itest.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.CookieManager;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.StringJoiner;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import notification.api.NotificationService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.test.common.annotation.InjectService;

/**
 * The Notifications page renders a transport kind it has never heard of from that transport's own metatype (the
 * test-only probe), and Apply merges into its configuration: a key added to a transport needs no console change.
 */
class ConsolePageSchemaTest {
    private static final String PAGE = "http://127.0.0.1:19191/system/console/notifications";
    private static final String ORIGIN = "http://127.0.0.1:19191";

    @InjectService
    ConfigurationAdmin configAdmin;

    @InjectService
    NotificationService service;

    private final HttpClient http = HttpClient.newBuilder().cookieHandler(new CookieManager())
            .followRedirects(HttpClient.Redirect.NEVER).connectTimeout(Duration.ofSeconds(5)).build();
    private Dictionary<String, Object> coreBefore;
    private Configuration probe;

    @BeforeEach
    void configureTheProbeFirst() throws Exception {
        Configuration core = configAdmin.getConfiguration("notification.core", "?");
        coreBefore = core.getProperties();
        probe = configAdmin.getFactoryConfiguration(ProbeTransport.FACTORY_PID, "probe", "?");
        Hashtable<String, Object> props = new Hashtable<>();
        props.put("flavour", "vanilla");
        props.put("handTuned", "kept by hand");
        probe.update(props);
        Hashtable<String, Object> order = new Hashtable<>();
        order.put("transports", new String[] {"probe"});
        core.update(order);
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (service.transports().isEmpty() || !service.transports().get(0).name().equals("probe")
                || !service.transports().get(0).bound()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the probe never became the first transport: " + service.transports());
            }
            Thread.sleep(100);
        }
    }

    @AfterEach
    void restore() throws Exception {
        Configuration core = configAdmin.getConfiguration("notification.core", "?");
        if (coreBefore == null) {
            core.delete();
        } else {
            core.update(coreBefore);
        }
        probe.delete();
    }

    @Test
    void aTransportTheConsoleNeverHeardOfIsRenderedFromItsOwnMetatype() throws Exception {
        String page = get(PAGE + "?edit=probe");
        assertTrue(page.contains("<option value=\"pid:notification.itest.probe\" selected>Probe transport</option>"),
                "the probe's own name as the chosen option:\n" + page);
        assertTrue(page.contains("<label for=\"itest-probe-flavour\">Probe flavour</label>"), page);
        assertTrue(page.contains("<option value=\"chocolate\">Dark chocolate</option>"), "its options");
        assertTrue(page.contains("Which flavour the probe reports."), "its description");
        assertTrue(page.contains("<label for=\"itest-probe-depth\">Probe depth (metres)</label>"), page);
        assertTrue(page.contains("placeholder=\"3\""), "its default");
        assertTrue(page.contains("type=\"password\" id=\"itest-probe-token\""),
                "a PASSWORD attribute is a password field");
    }

    @Test
    void applyChangesOnlyWhatTheFormShowsAndKeepsEveryOtherKey() throws Exception {
        String page = get(PAGE + "?edit=probe");
        Map<String, String> form = new LinkedHashMap<>();
        form.put("csrf", csrf(page));
        form.put("server", "pid:notification.itest.probe");
        form.put("itest-probe.pid", "notification.itest.probe~probe");
        form.put("itest-probe.flavour", "chocolate");
        form.put("itest-probe.depth", "12");
        form.put("itest-probe.token", "");
        HttpResponse<String> applied = post(PAGE + "/apply", form);
        assertEquals(303, applied.statusCode(), applied.body());
        String shown = get(PAGE);
        assertTrue(shown.contains("Applied: Probe transport (transport probe)."), shown);

        Dictionary<String, Object> stored = configAdmin.getConfiguration("notification.itest.probe~probe", "?")
                .getProperties();
        assertEquals("chocolate", stored.get("flavour"));
        assertEquals(12, stored.get("depth"), "typed as the metatype says");
        assertEquals("kept by hand", stored.get("handTuned"), "a key the form does not show is kept");
        assertNull(stored.get("name"), "the transport keeps its name");
        assertNull(stored.get("token"), "an empty secret field stores nothing");

        form.put("csrf", csrf(shown));
        form.put("itest-probe.depth", "deep");
        post(PAGE + "/apply", form);
        String refused = get(PAGE);
        assertTrue(refused.contains("Probe depth (metres) must be a whole number"), refused);
        assertFalse(refused.contains("Applied:"), refused);
    }

    private String get(String url) throws Exception {
        HttpResponse<String> r = http.send(request(url).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), r.body());
        return r.body();
    }

    private HttpResponse<String> post(String url, Map<String, String> form) throws Exception {
        StringJoiner body = new StringJoiner("&");
        form.forEach((k, v) -> body.add(URLEncoder.encode(k, StandardCharsets.UTF_8) + "="
                + URLEncoder.encode(v, StandardCharsets.UTF_8)));
        return http.send(request(url).header("Origin", ORIGIN)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString())).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static HttpRequest.Builder request(String url) {
        return HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30)).header("Authorization",
                "Basic " + Base64.getEncoder().encodeToString("admin:admin".getBytes(StandardCharsets.UTF_8)));
    }

    private static String csrf(String page) {
        Matcher m = Pattern.compile("name=\"csrf\" value=\"([^\"]+)\"").matcher(page);
        assertTrue(m.find(), "a CSRF field on the page");
        return m.group(1);
    }
}
