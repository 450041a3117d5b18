package notification.itest.webconsole;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.osgi.framework.BundleContext;
import org.osgi.test.common.annotation.InjectBundleContext;

/**
 * The console's guards at request level, through the real HTTP service of this framework: the CSRF token must come
 * from the browser's own cookie, the Origin must be the origin the request was addressed to, and a request addressed
 * to a foreign host name (DNS rebinding) is misdirected before anything runs.
 */
class ConsoleGuardsTest {
    private static final String PAGE = "/system/console/notifications";
    private static final Pattern CSRF = Pattern.compile("name=\"csrf\" value=\"([^\"]+)\"");
    private static final String AUTH = "Basic " + Base64.getEncoder()
            .encodeToString("admin:admin".getBytes(StandardCharsets.UTF_8));

    @InjectBundleContext
    BundleContext context;

    /** A browser: its own cookies, addressing the console at one origin. */
    private final class Browser {
        final String origin;
        final HttpClient http = HttpClient.newBuilder().cookieHandler(new CookieManager())
                .followRedirects(HttpClient.Redirect.NEVER).connectTimeout(Duration.ofSeconds(5)).build();

        Browser(String host) {
            this.origin = "http://" + host + ":" + port();
        }

        String token() throws Exception {
            HttpResponse<String> page = awaitPage();
            Matcher m = CSRF.matcher(page.body());
            assertTrue(m.find(), "csrf field on the page");
            return m.group(1);
        }

        private HttpResponse<String> awaitPage() throws Exception {
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            HttpResponse<String> page = null;
            while (System.nanoTime() < deadline) {
                try {
                    page = http.send(HttpRequest.newBuilder(URI.create(origin + PAGE)).header("Authorization", AUTH)
                            .GET().build(), HttpResponse.BodyHandlers.ofString());
                    if (page.statusCode() == 200) {
                        return page;
                    }
                } catch (java.io.IOException notYet) {
                    // the HTTP service or the console is still starting
                }
                Thread.sleep(200);
            }
            throw new AssertionError("console page not served: " + (page == null ? "no answer" : page.statusCode()));
        }

        /** POSTs the harmless Authorize of a transport that does not exist: 303 when the guards let it through. */
        int post(String token, String originHeader) throws Exception {
            String form = "transport=no-such-transport" + (token == null ? ""
                    : "&csrf=" + URLEncoder.encode(token, StandardCharsets.UTF_8));
            HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(origin + PAGE + "/authorize"))
                    .header("Authorization", AUTH).header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString(form));
            if (originHeader != null) {
                b.header("Origin", originHeader);
            }
            return http.send(b.build(), HttpResponse.BodyHandlers.ofString()).statusCode();
        }
    }

    private int port() {
        return Integer.parseInt(context.getProperty("org.osgi.service.http.port"));
    }

    @Test
    void aPostWithTheTokenOfItsOwnCookieFromItsOwnOriginPassesTheGuards() throws Exception {
        Browser admin = new Browser("127.0.0.1");
        assertEquals(303, admin.post(admin.token(), admin.origin));
    }

    @Test
    void aTokenFromAnotherBrowsersCookieIsRefused() throws Exception {
        Browser admin = new Browser("127.0.0.1");
        Browser other = new Browser("127.0.0.1");
        admin.token();
        assertEquals(403, admin.post(other.token(), admin.origin));
        assertEquals(403, admin.post(null, admin.origin), "no token at all");
    }

    @Test
    void theOriginMustBeTheOneTheRequestWasAddressedTo() throws Exception {
        Browser byName = new Browser("localhost");
        String token = byName.token();
        assertEquals(303, byName.post(token, "http://localhost:" + port()));
        assertEquals(403, byName.post(token, "http://127.0.0.1:" + port()), "another origin of the same server");
        assertEquals(403, byName.post(token, "http://evil.example:" + port()));
    }

    @Test
    void aRequestAddressedToAForeignHostNameIsMisdirectedBeforeAnythingRuns() throws Exception {
        Browser admin = new Browser("127.0.0.1");
        String token = admin.token();
        String evil = "evil.example:" + port();
        String body = "transport=no-such-transport&csrf=" + URLEncoder.encode(token, StandardCharsets.UTF_8);
        RawHttp.Response r = RawHttp.send(null, port(), "POST " + PAGE + "/authorize HTTP/1.1\r\nHost: " + evil
                + "\r\nOrigin: http://" + evil + "\r\nAuthorization: " + AUTH
                + "\r\nContent-Type: application/x-www-form-urlencoded\r\n", body);
        assertEquals(421, r.status(), r.text());
        RawHttp.Response callback = RawHttp.send(null, port(), "GET /azure-oauth2-callback?state=x HTTP/1.1\r\n"
                + "Host: " + evil + "\r\n", "");
        assertEquals(421, callback.status(), "the callback too: " + callback.text());
    }
}
