package notification.oauth.internal;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import notification.api.transport.ConnectionSlot;
import notification.api.transport.DeliveryResult;
import notification.api.transport.MessageStart;
import notification.api.transport.OutgoingMessage;
import notification.api.transport.SendingBudget;

/**
 * Sends through the Gmail API's {@code users.messages.send}: a message of up to 5 MB as one {@code uploadType=media}
 * request, a larger one as a resumable upload in 8 MiB chunks streamed from the outbox (never the whole message in
 * memory). A 401 is asked once more with a fresh token. 429 and 5xx are transient (with Retry-After), the daily
 * sending limit holds mail for 24 h, a refused token or a disabled Gmail API holds it while the administrator fixes
 * the set-up, other 4xx are permanent with Google's reason explained. Each request holds a slot of the mailbox's sending
 * budget (protocol "api", up to {@code maxConnections} on all nodes together) and counts as a message start, its
 * messages and recipients per day shared with SMTP; refused, nothing is sent and the message is held for the wait.
 */
final class GmailApiSender implements MessageSender {

    /** The largest message sent as one simple upload. */
    static final long SIMPLE_UPLOAD_LIMIT = 5L * 1024 * 1024;
    /** The size of a resumable upload's chunks (a multiple of 256 KiB, as Google requires). */
    static final int CHUNK = 8 * 1024 * 1024;

    private final GoogleSettings settings;
    private final GoogleAccessTokens tokens;
    private final HealthTracker health;
    private final HttpClient client;
    private final Clock clock;
    private final MailboxBudget budget;

    GmailApiSender(GoogleSettings settings, GoogleAccessTokens tokens, HealthTracker health, Clock clock,
            MailboxBudget budget) {
        this.budget = budget;
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
    }

    @Override
    public DeliveryResult send(OutgoingMessage message) {
        Optional<ConnectionSlot> slot = budget.takeConnection();
        if (slot.isEmpty()) {
            return DeliveryResult.unavailable("All " + settings.maxConnections + " Gmail API requests of "
                    + settings.username + " are in use in the mailbox's sending budget (on this node or others)",
                    SendingBudget.RETRY_FOR_CONNECTION);
        }
        try {
            MessageStart start = budget.startMessage(message);
            if (!start.allowed()) {
                return start.toDeliveryResult();
            }
            byte[] bcc = GmailEnvelope.bccPrefix(message);
            long total = bcc.length + message.size();
            HttpResponse<String> response = total <= SIMPLE_UPLOAD_LIMIT ? simple(bcc, message)
                    : resumable(bcc, message, total);
            return outcome(response, total > SIMPLE_UPLOAD_LIMIT ? " (resumable upload)" : "");
        } catch (TokenUnavailableException e) {
            // Nothing was attempted: the message may wait or go through another transport at once.
            return DeliveryResult.unavailable(e.getMessage());
        } catch (IOException e) {
            String problem = "The Gmail API at " + URI.create(settings.apiUrl).getRawAuthority() + " cannot be "
                    + "reached: " + e.getClass().getSimpleName() + " " + Diagnostics.firstLine(e.getMessage());
            health.failing(problem);
            return DeliveryResult.transientFailure(problem);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return DeliveryResult.transientFailure("Interrupted while sending through the Gmail API.");
        } finally {
            slot.get().close();
        }
    }

    private HttpResponse<String> simple(byte[] bcc, OutgoingMessage message)
            throws IOException, InterruptedException, TokenUnavailableException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream((int) (bcc.length + message.size()));
        bytes.write(bcc);
        message.writeTo(bytes);
        URI uri = URI.create(settings.apiUrl + "/upload/gmail/v1/users/me/messages/send?uploadType=media");
        HttpResponse<String> response = post(uri, bytes.toByteArray(), tokens.get(false));
        if (response.statusCode() == 401) {
            // The token may have been revoked since it was issued: one more try with a fresh one.
            response = post(uri, bytes.toByteArray(), tokens.get(true));
        }
        return response;
    }

    private HttpResponse<String> post(URI uri, byte[] body, AccessToken token) throws IOException, InterruptedException {
        return client.send(HttpRequest.newBuilder(uri).timeout(settings.readTimeout)
                .header("Authorization", "Bearer " + token.value()).header("Content-Type", "message/rfc822")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> resumable(byte[] bcc, OutgoingMessage message, long total)
            throws IOException, InterruptedException, TokenUnavailableException {
        URI start = URI.create(settings.apiUrl + "/upload/gmail/v1/users/me/messages/send?uploadType=resumable");
        HttpResponse<String> session = initiate(start, total, tokens.get(false));
        if (session.statusCode() == 401) {
            session = initiate(start, total, tokens.get(true));
        }
        String location = session.headers().firstValue("Location").orElse(null);
        if (session.statusCode() != 200 || location == null) {
            return session;
        }
        ChunkUpload upload = new ChunkUpload(URI.create(settings.apiUrl).resolve(location), total,
                tokens.get(false));
        try {
            upload.write(bcc);
            message.writeTo(upload);
        } catch (IOException e) {
            if (upload.refused != null) {
                return upload.refused;
            }
            throw e;
        }
        return upload.finish();
    }

    private HttpResponse<String> initiate(URI uri, long total, AccessToken token)
            throws IOException, InterruptedException {
        return client.send(HttpRequest.newBuilder(uri).timeout(settings.readTimeout)
                .header("Authorization", "Bearer " + token.value())
                .header("Content-Type", "application/json; charset=UTF-8")
                .header("X-Upload-Content-Type", "message/rfc822")
                .header("X-Upload-Content-Length", String.valueOf(total))
                .POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Override
    public String check() {
        try {
            HttpResponse<String> response = client.send(HttpRequest.newBuilder(
                    URI.create(settings.apiUrl + "/gmail/v1/users/me/profile")).timeout(settings.readTimeout)
                    .header("Authorization", "Bearer " + tokens.get(false).value()).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() == 200) {
                return null;
            }
            Map<String, Object> error = errorObject(response.body());
            return GoogleDiagnostics.apiError(response.statusCode(), reason(error), JsonObjects.string(error,
                    "message"));
        } catch (TokenUnavailableException e) {
            return e.getMessage();
        } catch (IOException e) {
            return "The Gmail API at " + URI.create(settings.apiUrl).getRawAuthority() + " cannot be reached: "
                    + e.getClass().getSimpleName() + " " + Diagnostics.firstLine(e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "Interrupted while checking the Gmail API.";
        }
    }

    @Override
    public void close() {
        // HttpClient holds no connections worth closing on Java 17
    }

    private DeliveryResult outcome(HttpResponse<String> response, String how) {
        int status = response.statusCode();
        if (status == 200) {
            health.delivered();
            String id = JsonObjects.string(JsonObjects.parse(response.body()), "id");
            return DeliveryResult.sent("200 Accepted by the Gmail API" + (id == null ? "" : " as " + id) + how);
        }
        Map<String, Object> error = errorObject(response.body());
        String reason = reason(error);
        String message = JsonObjects.string(error, "message");
        String sentence = GoogleDiagnostics.apiError(status, reason, message);
        if (GoogleDiagnostics.isApiDailyLimit(status, reason, message)) {
            // The mailbox's limit, not the message: hold it (and the others) until the limit recovers.
            return DeliveryResult.unavailable(health.quotaExceeded(sentence));
        }
        if (status == 429 || status >= 500) {
            health.failed(sentence);
            return DeliveryResult.transientFailure(sentence, retryAfter(response));
        }
        if (status == 401 || status == 403) {
            // Refused also with a fresh token, or the API is off: the set-up needs the administrator.
            health.refused(sentence);
            return DeliveryResult.unavailable(sentence);
        }
        health.failed(sentence);
        return DeliveryResult.permanentFailure(sentence);
    }

    private Duration retryAfter(HttpResponse<String> response) {
        String value = response.headers().firstValue("Retry-After").orElse(null);
        if (value == null) {
            return null;
        }
        try {
            return Duration.ofSeconds(Math.max(0, Long.parseLong(value.trim())));
        } catch (NumberFormatException e) {
            try {
                Duration d = Duration.between(clock.instant(),
                        ZonedDateTime.parse(value.trim(), DateTimeFormatter.RFC_1123_DATE_TIME).toInstant());
                return d.isNegative() ? Duration.ZERO : d;
            } catch (DateTimeParseException unreadable) {
                return null;
            }
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> errorObject(String body) {
        Object error = JsonObjects.parse(body == null ? "" : body).get("error");
        return error instanceof Map<?, ?> map ? (Map<String, Object>) map : Map.of();
    }

    private static String reason(Map<String, Object> error) {
        Object errors = error.get("errors");
        if (errors instanceof List<?> list && !list.isEmpty() && list.get(0) instanceof Map<?, ?> first) {
            Object reason = first.get("reason");
            return reason == null ? null : String.valueOf(reason);
        }
        return null;
    }

    /** The body of a resumable upload: bytes written go out in chunks of {@link #CHUNK}; only one is in memory. */
    private final class ChunkUpload extends java.io.OutputStream {
        private final URI session;
        private final long total;
        private final AccessToken token;
        private final byte[] chunk;
        private HttpResponse<String> refused;
        private int filled;
        private long sent;

        ChunkUpload(URI session, long total, AccessToken token) {
            this.session = session;
            this.total = total;
            this.token = token;
            this.chunk = new byte[(int) Math.min(CHUNK, total)];
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            while (len > 0) {
                if (filled == chunk.length) {
                    putChunk();
                }
                int n = Math.min(len, chunk.length - filled);
                System.arraycopy(b, off, chunk, filled, n);
                filled += n;
                off += n;
                len -= n;
            }
        }

        HttpResponse<String> finish() throws IOException, InterruptedException {
            if (sent + filled != total) {
                throw new IOException("the message is " + (sent + filled) + " bytes, not the " + total + " announced");
            }
            return put();
        }

        private void putChunk() throws IOException {
            try {
                HttpResponse<String> response = put();
                if (response.statusCode() != 308) {
                    refused = response;
                    throw new IOException("chunk refused with HTTP " + response.statusCode());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted during the upload", e);
            }
        }

        private HttpResponse<String> put() throws IOException, InterruptedException {
            String range = filled == 0 ? "bytes */" + total
                    : "bytes " + sent + "-" + (sent + filled - 1) + "/" + total;
            HttpResponse<String> response = client.send(HttpRequest.newBuilder(session).timeout(settings.readTimeout)
                    .header("Authorization", "Bearer " + token.value()).header("Content-Range", range)
                    .PUT(HttpRequest.BodyPublishers.ofByteArray(chunk, 0, filled)).build(),
                    HttpResponse.BodyHandlers.ofString());
            sent += filled;
            filled = 0;
            return response;
        }
    }
}
