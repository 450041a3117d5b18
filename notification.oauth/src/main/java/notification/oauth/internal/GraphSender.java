package notification.oauth.internal;

import jakarta.mail.MessagingException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import notification.api.transport.ConnectionSlot;
import notification.api.transport.DeliveryResult;
import notification.api.transport.MessageStart;
import notification.api.transport.OutgoingMessage;
import notification.api.transport.SendingBudget;

/**
 * Submits messages through Microsoft Graph: {@code POST /v1.0/users/{mailbox}/sendMail} with the MIME message in
 * base64 ({@code Content-Type: text/plain}) while that stays under about 3.5 MB, else through a draft with upload
 * sessions ({@link GraphDraftSender}); at most {@code maxConnections} deliveries at once (4 per mailbox, each one
 * request at a time); {@code Retry-After} honoured on 429 and 503; a 401/403 that persists with a fresh token holds
 * mail back ({@link HealthTracker#refused}), and so does an exceeded sending quota. Each request holds a slot of the
 * mailbox's sending budget (protocol "graph", up to {@code maxConnections} on all nodes together) and counts as a
 * message start and its recipients (the daily recipients shared with SMTP).
 */
final class GraphSender implements MessageSender {

    /** sendMail requests are limited to about 4 MB: MIME whose base64 is longer goes through a draft. */
    static final long LARGEST_MIME_BASE64 = 3_500_000;

    private static final String SEND_AS_DENIED = "ErrorSendAsDenied";

    private final MicrosoftSettings settings;
    private final AccessTokens tokens;
    private final HealthTracker health;
    private final GraphClient graph;
    private final GraphDraftSender drafts;
    private final Semaphore requests;
    private final URI endpoint;
    private final MailboxBudget budget;

    GraphSender(MicrosoftSettings settings, AccessTokens tokens, HealthTracker health, Clock clock,
            MailboxBudget budget) {
        this.budget = budget;
        this.settings = settings;
        this.tokens = tokens;
        this.health = health;
        this.graph = new GraphClient(settings, tokens, clock);
        this.drafts = new GraphDraftSender(settings, graph);
        this.requests = new Semaphore(settings.limits.maxConnections(), true);
        this.endpoint = graph.mailbox("/sendMail");
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
        Optional<ConnectionSlot> slot = Optional.empty();
        try {
            slot = budget.takeConnection();
            if (slot.isEmpty()) {
                return DeliveryResult.unavailable("All " + settings.limits.maxConnections() + " Graph requests of "
                        + settings.username + " are in use in the mailbox's sending budget (on this node or others)",
                        SendingBudget.RETRY_FOR_CONNECTION);
            }
            MessageStart start = budget.startMessage(message);
            if (!start.allowed()) {
                return start.toDeliveryResult();
            }
            if ((message.size() + 2) / 3 * 4 > LARGEST_MIME_BASE64) {
                return outcome(drafts.send(message), " (large message: draft and upload sessions)");
            }
            String body = base64(message);
            return outcome(graph.authorized("POST", endpoint, "text/plain",
                    () -> HttpRequest.BodyPublishers.ofString(body, StandardCharsets.US_ASCII), false), "");
        } catch (TokenUnavailableException e) {
            // Nothing was attempted: the message may wait or go through another transport at once.
            return DeliveryResult.unavailable(e.getMessage());
        } catch (MessagingException e) {
            String problem = "The message cannot be taken apart for Microsoft Graph's large-message path: "
                    + Diagnostics.firstLine(e.getMessage());
            health.failed(problem);
            return e.getCause() instanceof IOException ? DeliveryResult.transientFailure(problem)
                    : DeliveryResult.permanentFailure(problem);
        } catch (IOException e) {
            String problem = "Microsoft Graph at " + endpoint.getAuthority() + " cannot be reached: "
                    + e.getClass().getSimpleName() + " " + Diagnostics.firstLine(e.getMessage());
            health.failing(problem);
            return DeliveryResult.transientFailure(problem);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return DeliveryResult.transientFailure("Interrupted while sending through Microsoft Graph.");
        } finally {
            slot.ifPresent(ConnectionSlot::close);
            requests.release();
        }
    }

    @Override
    public String check() {
        try {
            // Mail.Send allows no harmless read of the mailbox: a fresh token from the identity platform is the proof
            tokens.get(true);
            return null;
        } catch (TokenUnavailableException e) {
            return e.getMessage();
        }
    }

    @Override
    public void close() {
        // HttpClient holds no connections worth closing on Java 17
    }

    private DeliveryResult outcome(HttpResponse<String> response, String how) {
        int status = response.statusCode();
        if (status == 202 || status == 200) {
            health.delivered();
            return DeliveryResult.sent(status + " Accepted by Microsoft Graph" + how);
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
            return DeliveryResult.transientFailure(sentence, graph.retryAfter(response));
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
