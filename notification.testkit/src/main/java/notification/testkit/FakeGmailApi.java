package notification.testkit;

import static notification.testkit.HttpExchanges.json;

import com.sun.net.httpserver.HttpExchange;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The fake Google's Gmail API: {@code POST /upload/gmail/v1/users/me/messages/send} with {@code uploadType=media}
 * (the message as the body, at most 5 MB) or {@code uploadType=resumable} (a session; then {@code PUT}s with
 * {@code Content-Range}, each chunk but the last a multiple of 256 KiB, answered 308 until complete), and
 * {@code GET /gmail/v1/users/me/profile}. Only bearer tokens the fake issued with the Gmail scope are accepted.
 * Failures can be injected for the next send.
 */
public final class FakeGmailApi {

    /** The largest simple (media) upload. */
    public static final int SIMPLE_UPLOAD_LIMIT = 5 * 1024 * 1024;
    private static final int CHUNK_GRANULARITY = 256 * 1024;
    private static final Pattern RANGE = Pattern.compile("bytes (\\d+)-(\\d+)/(\\d+)");

    /**
     * A message Gmail accepted.
     *
     * @param user the authenticated account
     * @param uploadType "media" or "resumable"
     * @param content the bytes as uploaded
     */
    public record SentMessage(String user, String uploadType, byte[] content) {

        /** @return the message parsed */
        public MimeMessage mime() {
            try {
                return new MimeMessage(Session.getInstance(new Properties()), new ByteArrayInputStream(content));
            } catch (MessagingException e) {
                throw new IllegalStateException("received message does not parse", e);
            }
        }

        /** @return the addresses Gmail would deliver to: To, Cc and Bcc */
        public List<String> recipients() {
            try {
                List<String> all = new ArrayList<>();
                MimeMessage m = mime();
                for (jakarta.mail.Address a : Optional.ofNullable(m.getAllRecipients())
                        .orElse(new jakarta.mail.Address[0])) {
                    all.add(((InternetAddress) a).getAddress());
                }
                return all;
            } catch (MessagingException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    private record Failure(int status, String reason, String message, String retryAfter) {
    }

    private record Upload(String user, long total, ByteArrayOutputStream received) {
    }

    private final IssuedTokens tokens;
    private final Supplier<String> baseUrl;
    private final List<SentMessage> messages = new CopyOnWriteArrayList<>();
    private final List<Integer> chunkSizes = new CopyOnWriteArrayList<>();
    private final Queue<Failure> failures = new ConcurrentLinkedQueue<>();
    private final Map<String, Upload> uploads = new ConcurrentHashMap<>();

    FakeGmailApi(IssuedTokens tokens, Supplier<String> baseUrl) {
        this.tokens = tokens;
        this.baseUrl = baseUrl;
    }

    /** @return the messages accepted so far, oldest first */
    public List<SentMessage> messages() {
        return new ArrayList<>(messages);
    }

    /** @return the sizes of every resumable upload chunk received, in order */
    public List<Integer> chunkSizes() {
        return new ArrayList<>(chunkSizes);
    }

    /**
     * Answers the next send (a media upload, or the start of a resumable one) with an error.
     *
     * @param status the HTTP status, for example 429
     * @param reason the first error's reason, for example "rateLimitExceeded"
     * @param message the error's message
     * @param retryAfter the Retry-After header, or {@code null}
     */
    public void failNextSend(int status, String reason, String message, String retryAfter) {
        failures.add(new Failure(status, reason, message, retryAfter));
    }

    void profile(HttpExchange exchange) throws IOException {
        try (exchange) {
            Optional<IssuedTokens.AccessToken> token = bearer(exchange);
            if (token.isEmpty()) {
                unauthorized(exchange);
                return;
            }
            HttpExchanges.reply(exchange, 200, "application/json", "{\"emailAddress\":"
                    + json(token.get().username()) + ",\"messagesTotal\":0,\"threadsTotal\":0}");
        }
    }

    void send(HttpExchange exchange) throws IOException {
        try (exchange) {
            Map<String, String> query = HttpExchanges.parseForm(exchange.getRequestURI().getRawQuery());
            String uploadType = query.getOrDefault("uploadType", "");
            if ("PUT".equals(exchange.getRequestMethod()) && query.containsKey("upload_id")) {
                chunk(exchange, query.get("upload_id"));
                return;
            }
            Optional<IssuedTokens.AccessToken> token = bearer(exchange);
            if (!"POST".equals(exchange.getRequestMethod())) {
                HttpExchanges.reply(exchange, 405, "text/plain", "method not allowed");
            } else if (token.isEmpty()) {
                unauthorized(exchange);
            } else if (!failures.isEmpty()) {
                Failure f = failures.poll();
                if (f.retryAfter() != null) {
                    exchange.getResponseHeaders().set("Retry-After", f.retryAfter());
                }
                error(exchange, f.status(), f.reason(), f.message());
            } else if ("media".equals(uploadType)) {
                byte[] body = exchange.getRequestBody().readAllBytes();
                if (body.length > SIMPLE_UPLOAD_LIMIT) {
                    error(exchange, 413, "uploadTooLarge", "Media upload too large: use a resumable upload.");
                } else {
                    accepted(exchange, new SentMessage(token.get().username(), "media", body));
                }
            } else if ("resumable".equals(uploadType)) {
                exchange.getRequestBody().readAllBytes();
                long total = Long.parseLong(Optional.ofNullable(exchange.getRequestHeaders()
                        .getFirst("X-Upload-Content-Length")).orElse("-1"));
                String id = Randoms.token();
                uploads.put(id, new Upload(token.get().username(), total, new ByteArrayOutputStream()));
                exchange.getResponseHeaders().set("Location", baseUrl.get()
                        + "/upload/gmail/v1/users/me/messages/send?uploadType=resumable&upload_id=" + id);
                HttpExchanges.reply(exchange, 200, "text/plain", "");
            } else {
                error(exchange, 400, "badRequest", "Unknown uploadType " + uploadType);
            }
        }
    }

    private void chunk(HttpExchange exchange, String id) throws IOException {
        Upload upload = uploads.get(id);
        byte[] body = exchange.getRequestBody().readAllBytes();
        if (upload == null) {
            error(exchange, 404, "notFound", "No such upload session.");
            return;
        }
        Matcher m = RANGE.matcher(String.valueOf(exchange.getRequestHeaders().getFirst("Content-Range")));
        if (!m.matches() || Long.parseLong(m.group(1)) != upload.received().size()
                || Long.parseLong(m.group(2)) - Long.parseLong(m.group(1)) + 1 != body.length
                || Long.parseLong(m.group(3)) != upload.total()) {
            error(exchange, 400, "badContent", "Content-Range does not match the upload: "
                    + exchange.getRequestHeaders().getFirst("Content-Range") + " with " + body.length + " bytes");
            return;
        }
        boolean last = upload.received().size() + body.length == upload.total();
        if (!last && body.length % CHUNK_GRANULARITY != 0) {
            error(exchange, 400, "badContent", "A chunk other than the last must be a multiple of 256 KiB.");
            return;
        }
        chunkSizes.add(body.length);
        upload.received().write(body);
        if (last) {
            uploads.remove(id);
            accepted(exchange, new SentMessage(upload.user(), "resumable", upload.received().toByteArray()));
        } else {
            exchange.getResponseHeaders().set("Range", "bytes=0-" + (upload.received().size() - 1));
            exchange.sendResponseHeaders(308, -1);
        }
    }

    private void accepted(HttpExchange exchange, SentMessage message) throws IOException {
        messages.add(message);
        HttpExchanges.reply(exchange, 200, "application/json", "{\"id\":\"fake-" + messages.size()
                + "\",\"threadId\":\"fake-thread\",\"labelIds\":[\"SENT\"]}");
    }

    private Optional<IssuedTokens.AccessToken> bearer(HttpExchange exchange) {
        String header = exchange.getRequestHeaders().getFirst("Authorization");
        if (header == null || !header.startsWith("Bearer ")) {
            return Optional.empty();
        }
        return tokens.valid(header.substring(7)).filter(t -> t.grants("https://mail.google.com"));
    }

    private static void unauthorized(HttpExchange exchange) throws IOException {
        exchange.getResponseHeaders().set("WWW-Authenticate", "Bearer realm=\"https://accounts.google.com/\"");
        error(exchange, 401, "authError", "Request had invalid authentication credentials.");
    }

    private static void error(HttpExchange exchange, int status, String reason, String message) throws IOException {
        HttpExchanges.reply(exchange, status, "application/json", "{\"error\":{\"code\":" + status + ",\"message\":"
                + json(message) + ",\"errors\":[{\"message\":" + json(message) + ",\"domain\":\"global\","
                + "\"reason\":" + json(reason) + "}]}}");
    }
}
