package notification.oauth.internal;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.function.Supplier;

/**
 * HTTP to Microsoft Graph for one mailbox: the bearer token (a 401/403 is asked once more with a fresh token), bounded
 * timeouts, no redirects, and {@code Retry-After} read as seconds or HTTP date. On request it waits out a short
 * throttle itself (429/503 with {@code Retry-After} of at most 30 s, up to 3 times).
 */
final class GraphClient {

    /** The longest {@code Retry-After} waited out within one delivery; longer ones end it. */
    static final Duration LONGEST_WAIT = Duration.ofSeconds(30);
    private static final int MOST_WAITS = 3;

    private final MicrosoftSettings settings;
    private final AccessTokens tokens;
    private final Clock clock;
    private final HttpClient client;
    private final String mailboxRoot;

    GraphClient(MicrosoftSettings settings, AccessTokens tokens, Clock clock) {
        this.settings = settings;
        this.tokens = tokens;
        this.clock = clock;
        HttpClient.Builder builder = HttpClient.newBuilder().connectTimeout(settings.connectTimeout)
                .followRedirects(HttpClient.Redirect.NEVER);
        if (settings.tls != null) {
            builder.sslContext(settings.tls);
        }
        this.client = builder.build();
        this.mailboxRoot = settings.cloud.graphUrl() + "/v1.0/users/"
                + URLEncoder.encode(settings.username, StandardCharsets.UTF_8);
    }

    /**
     * Names a resource of the mailbox.
     *
     * @param path the path after {@code /v1.0/users/{mailbox}}, for example "/sendMail"
     * @return the URI
     */
    URI mailbox(String path) {
        return URI.create(mailboxRoot + path);
    }

    /**
     * Sends a request with the mailbox's bearer token; a 401 or 403 is asked once more with a fresh token.
     *
     * @param method the HTTP method
     * @param uri where
     * @param contentType the body's type, or {@code null} without a body
     * @param body makes the body (again for a repeated request), or {@code null}
     * @param waitOutThrottling whether to wait out a short Retry-After and ask again
     * @return the final response
     * @throws TokenUnavailableException if no token can be had
     * @throws IOException if Graph cannot be reached
     * @throws InterruptedException if interrupted while waiting
     */
    HttpResponse<String> authorized(String method, URI uri, String contentType,
            Supplier<HttpRequest.BodyPublisher> body, boolean waitOutThrottling)
            throws TokenUnavailableException, IOException, InterruptedException {
        HttpResponse<String> response = send(method, uri, contentType, body, tokens.get(false), waitOutThrottling);
        if (response.statusCode() == 401 || response.statusCode() == 403) {
            // A token issued before consent or a permission change may be the cause: one more try with a new one.
            response = send(method, uri, contentType, body, tokens.get(true), waitOutThrottling);
        }
        return response;
    }

    /**
     * Sends a request without a token (a pre-authenticated upload URL), waiting out short throttles.
     *
     * @param request the request
     * @param body makes the body (again for a repeated request)
     * @return the final response
     * @throws IOException if Graph cannot be reached
     * @throws InterruptedException if interrupted while waiting
     */
    HttpResponse<String> preAuthenticated(HttpRequest.Builder request, Supplier<HttpRequest.BodyPublisher> body)
            throws IOException, InterruptedException {
        return waitingOutThrottles(() -> request.copy().PUT(body.get()).timeout(settings.readTimeout).build(), true);
    }

    private HttpResponse<String> send(String method, URI uri, String contentType,
            Supplier<HttpRequest.BodyPublisher> body, AccessToken token, boolean waitOutThrottling)
            throws IOException, InterruptedException {
        return waitingOutThrottles(() -> {
            HttpRequest.Builder b = HttpRequest.newBuilder(uri).timeout(settings.readTimeout)
                    .header("Authorization", "Bearer " + token.value());
            if (contentType != null) {
                b.header("Content-Type", contentType);
            }
            return b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : body.get()).build();
        }, waitOutThrottling);
    }

    private HttpResponse<String> waitingOutThrottles(Supplier<HttpRequest> request, boolean wait)
            throws IOException, InterruptedException {
        for (int waits = 0; ; waits++) {
            HttpResponse<String> response = client.send(request.get(), HttpResponse.BodyHandlers.ofString());
            int status = response.statusCode();
            Duration retryAfter = retryAfter(response);
            if (!wait || (status != 429 && status != 503) || waits == MOST_WAITS
                    || retryAfter.compareTo(LONGEST_WAIT) > 0) {
                return response;
            }
            Thread.sleep(retryAfter.toMillis());
        }
    }

    /**
     * Reads {@code Retry-After} (seconds or an HTTP date).
     *
     * @param response the response
     * @return the wait; the configured throttle back-off when the header is missing or unreadable
     */
    Duration retryAfter(HttpResponse<?> response) {
        String value = response.headers().firstValue("Retry-After").orElse("").trim();
        if (value.matches("\\d+")) {
            return Duration.ofSeconds(Long.parseLong(value));
        }
        try {
            Duration wait = Duration.between(clock.instant(),
                    ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant());
            return wait.isNegative() ? Duration.ZERO : wait;
        } catch (DateTimeParseException e) {
            return settings.throttleBackoff;
        }
    }
}
