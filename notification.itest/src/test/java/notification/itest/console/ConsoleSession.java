package notification.itest.console;

import java.io.IOException;
import java.net.CookieManager;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.StringJoiner;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import notification.itest.app.RunningContainer;

/**
 * One browser-like HTTP session with the container's console: its own cookie jar, the console's credentials, and the
 * CSRF token read from the page, as a script that logged in would use them. Redirects are not followed, so tests see
 * the 303s.
 */
final class ConsoleSession {
    static final String PAGE = "/system/console/notifications";
    private static final Pattern CSRF = Pattern.compile("name=\"csrf\" value=\"([^\"]+)\"");

    private final RunningContainer container;
    private final HttpClient http;
    private final String origin;

    ConsoleSession(RunningContainer container) {
        this(container, container.baseUrl());
    }

    /**
     * Creates a session that addresses the container at another origin (for example http://localhost:port).
     *
     * @param container the container
     * @param origin the scheme, host and port to use
     */
    ConsoleSession(RunningContainer container, String origin) {
        this.container = container;
        this.origin = origin;
        this.http = HttpClient.newBuilder().cookieHandler(new CookieManager())
                .followRedirects(HttpClient.Redirect.NEVER).connectTimeout(Duration.ofSeconds(5)).build();
    }

    String origin() {
        return origin;
    }

    RunningContainer container() {
        return container;
    }

    /** GETs a path with the console credentials. */
    HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return http.send(request(path).GET().build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }

    /** GETs the page and returns its CSRF token. */
    String csrfToken() throws IOException, InterruptedException {
        HttpResponse<String> page = get(PAGE);
        if (page.statusCode() != 200) {
            throw new IllegalStateException("page answered " + page.statusCode() + ": " + page.body());
        }
        Matcher m = CSRF.matcher(page.body());
        if (!m.find()) {
            throw new IllegalStateException("no csrf field on the page:\n" + page.body());
        }
        return m.group(1);
    }

    /** POSTs a form as the page would: same origin, with the CSRF token. */
    HttpResponse<String> submit(String path, Map<String, String> fields) throws IOException, InterruptedException {
        Map<String, String> form = new LinkedHashMap<>(fields);
        form.put("csrf", csrfToken());
        return post(path, form, Map.of("Origin", origin));
    }

    /** POSTs a form with the given extra headers and no token added. */
    HttpResponse<String> post(String path, Map<String, String> form, Map<String, String> headers)
            throws IOException, InterruptedException {
        HttpRequest.Builder b = request(path).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(encode(form)));
        headers.forEach(b::header);
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }

    /** Submits a form, checks the 303 back to the page, and returns the page then shown. */
    String submitAndShow(String path, Map<String, String> fields) throws IOException, InterruptedException {
        HttpResponse<String> r = submit(path, fields);
        if (r.statusCode() != 303) {
            throw new AssertionError(path + " answered " + r.statusCode() + ": " + r.body());
        }
        String location = r.headers().firstValue("Location").orElseThrow();
        return get(URI.create(location).getPath()).body();
    }

    static String encode(Map<String, String> form) {
        StringJoiner body = new StringJoiner("&");
        form.forEach((k, v) -> body.add(URLEncoder.encode(k, StandardCharsets.UTF_8) + "="
                + URLEncoder.encode(v, StandardCharsets.UTF_8)));
        return body.toString();
    }

    private HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create(origin + path)).timeout(Duration.ofSeconds(30))
                .header("Authorization", RunningContainer.basicAuth("admin", "admin"));
    }
}
