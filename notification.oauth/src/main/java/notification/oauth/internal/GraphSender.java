package notification.oauth.internal;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
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
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import notification.api.transport.DeliveryResult;
import notification.api.transport.OutgoingMessage;

/**
 * Submits messages through Microsoft Graph {@code POST /v1.0/users/{mailbox}/sendMail} with the MIME message in
 * base64 ({@code Content-Type: text/plain}); at most {@code maxConnections} requests at once (4 per mailbox);
 * {@code Retry-After} honoured on 429 and 503; a 401/403 that persists with a fresh token holds mail back
 * ({@link HealthTracker#refused}).
 */
final class GraphSender implements MessageSender {

    private static final String SEND_AS_DENIED = "ErrorSendAsDenied";

    private final MicrosoftSettings settings;
    private final AccessTokens tokens;
    private final HealthTracker health;
    private final Clock clock;
    private final HttpClient client;
    private final Semaphore requests;
    private final URI endpoint;

    GraphSender(MicrosoftSettings settings, AccessTokens tokens, HealthTracker health, Clock clock) {
        this.settings = settings;
        this.tokens = tokens;
        this.health = health;
        this.clock = clock;
        HttpClient.Builder builder = HttpClient.newBuilder().connectTimeout(settings.connectTimeout)
                .followRedirects(HttpClient.Redirect.NEVER);
        if (settings.tls != null) {
            builder.sslContext(settings.tls);
        }
        this.client = builder.build();
        this.requests = new Semaphore(settings.limits.maxConnections(), true);
        this.endpoint = URI.create(settings.cloud.graphUrl() + "/v1.0/users/"
                + URLEncoder.encode(settings.username, StandardCharsets.UTF_8) + "/sendMail");
    }

    @Override
    public DeliveryResult send(OutgoingMessage message) {
        try {
            if (!requests.tryAcquire(settings.readTimeout.toMillis(), TimeUnit.MILLISECONDS)) {
                return DeliveryResult.transientFailure("All " + settings.limits.maxConnections()
                        + " Graph requests of this mailbox stayed busy; trying again later.");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return DeliveryResult.transientFailure("Interrupted while waiting for a Graph request slot.");
        }
        try {
            String body = base64(message);
            HttpResponse<String> response = post(body, tokens.get(false));
            if (response.statusCode() == 401 || response.statusCode() == 403) {
                // A token issued before consent or a permission change may be the cause: one more try with a new one.
                response = post(body, tokens.get(true));
            }
            return outcome(response);
        } catch (TokenUnavailableException e) {
            // Nothing was attempted: the message may wait or go through another transport at once.
            return DeliveryResult.unavailable(e.getMessage());
        } catch (IOException e) {
            String problem = "Microsoft Graph at " + endpoint.getAuthority() + " cannot be reached: "
                    + e.getClass().getSimpleName() + " " + Diagnostics.firstLine(e.getMessage());
            health.failing(problem);
            return DeliveryResult.transientFailure(problem);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return DeliveryResult.transientFailure("Interrupted while sending through Microsoft Graph.");
        } finally {
            requests.release();
        }
    }

    @Override
    public String check() {
        try {
            tokens.get(false);
            return null;
        } catch (TokenUnavailableException e) {
            return e.getMessage();
        }
    }

    @Override
    public void close() {
        // HttpClient holds no connections worth closing on Java 17
    }

    private HttpResponse<String> post(String body, AccessToken token) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(endpoint).timeout(settings.readTimeout)
                .header("Authorization", "Bearer " + token.value())
                .header("Content-Type", "text/plain")
                .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.US_ASCII)).build();
        return client.send(request, HttpResponse.BodyHandlers.ofString());
    }

    private DeliveryResult outcome(HttpResponse<String> response) {
        int status = response.statusCode();
        if (status == 202 || status == 200) {
            health.delivered();
            return DeliveryResult.sent(status + " Accepted by Microsoft Graph");
        }
        Map<String, Object> error = errorObject(response.body());
        String sentence = Diagnostics.graphError(status, JsonObjects.string(error, "code"),
                JsonObjects.string(error, "message"));
        if (Diagnostics.isGraphQuotaExceeded(JsonObjects.string(error, "code"), JsonObjects.string(error, "message"))) {
            // The mailbox's quota, not the message: hold it (and the others) until the quota recovers.
            return DeliveryResult.unavailable(health.quotaExceeded(sentence));
        }
        if (status == 429 || status == 503 || status == 504) {
            health.failed(sentence);
            return DeliveryResult.transientFailure(sentence, retryAfter(response));
        }
        if ((status == 401 || status == 403) && !SEND_AS_DENIED.equals(JsonObjects.string(error, "code"))) {
            // Refused twice, also with a fresh token: the set-up (permission, consent, scope) needs the administrator.
            tokens.forget();
            health.refused(sentence);
            return DeliveryResult.unavailable(sentence);
        }
        if (status >= 500) {
            health.failed(sentence);
            return DeliveryResult.transientFailure(sentence);
        }
        health.failed(sentence);
        return DeliveryResult.permanentFailure(sentence);
    }

    private Duration retryAfter(HttpResponse<String> response) {
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

    @SuppressWarnings("unchecked")
    private static Map<String, Object> errorObject(String body) {
        Object error = JsonObjects.parse(body == null ? "" : body).get("error");
        return error instanceof Map<?, ?> map ? (Map<String, Object>) map : Map.of();
    }

    private static String base64(OutgoingMessage message) throws IOException {
        ByteArrayOutputStream encoded = new ByteArrayOutputStream((int) Math.min(Integer.MAX_VALUE - 8,
                message.size() * 4 / 3 + 16));
        try (OutputStream out = Base64.getEncoder().wrap(encoded)) {
            message.writeTo(out);
        }
        return encoded.toString(StandardCharsets.US_ASCII);
    }
}
