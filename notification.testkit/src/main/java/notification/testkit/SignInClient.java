package notification.testkit;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Plays the administrator's browser on the fake sign-in page, for tests without a real browser. */
final class SignInClient {

    private static final Pattern HIDDEN = Pattern.compile(
            "<input type=\"hidden\" name=\"([^\"]*)\" value=\"([^\"]*)\">");
    private static final Pattern ERROR = Pattern.compile("<p id=\"error\">([^<]*)</p>");

    private final HttpClient client = HttpClient.newBuilder().sslContext(TestTls.clientContext())
            .connectTimeout(Duration.ofSeconds(10)).followRedirects(HttpClient.Redirect.NEVER).build();

    Map<String, String> signIn(URI authorizationUrl, String username) {
        try {
            HttpResponse<String> page = client.send(HttpRequest.newBuilder(authorizationUrl).GET()
                    .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
            checkNoError(page);
            String requestId = hiddenFields(page.body()).get("request");
            String form = "request=" + HttpExchanges.encode(requestId) + "&username=" + HttpExchanges.encode(username);
            HttpResponse<String> result = client.send(HttpRequest.newBuilder(authorizationUrl)
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString(form)).timeout(Duration.ofSeconds(10)).build(),
                    HttpResponse.BodyHandlers.ofString());
            checkNoError(result);
            if (result.statusCode() == 302) {
                URI location = URI.create(result.headers().firstValue("Location").orElseThrow());
                return HttpExchanges.parseForm(location.getRawQuery());
            }
            return hiddenFields(result.body());
        } catch (IOException e) {
            throw new IllegalStateException("sign-in page not reachable: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private static void checkNoError(HttpResponse<String> response) {
        if (response.statusCode() >= 400) {
            Matcher m = ERROR.matcher(response.body());
            throw new IllegalStateException("sign-in refused: " + (m.find() ? m.group(1) : response.statusCode()));
        }
    }

    private static Map<String, String> hiddenFields(String html) {
        Map<String, String> fields = new LinkedHashMap<>();
        Matcher m = HIDDEN.matcher(html);
        while (m.find()) {
            fields.put(unescape(m.group(1)), unescape(m.group(2)));
        }
        return fields;
    }

    private static String unescape(String html) {
        return html.replace("&quot;", "\"").replace("&#39;", "'").replace("&lt;", "<").replace("&gt;", ">")
                .replace("&amp;", "&");
    }
}
