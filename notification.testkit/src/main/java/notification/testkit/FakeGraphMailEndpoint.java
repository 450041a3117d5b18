package notification.testkit;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A fake Microsoft Graph mail endpoint over real HTTPS: {@code POST /v1.0/users/{mailbox}/sendMail} in the MIME form
 * (base64, {@code Content-Type: text/plain}), and the draft path for large messages (create a message, add
 * attachments, upload sessions with chunked PUTs, send, delete), each with a bearer token the fake identity platform
 * issued for the Graph resource; request bodies over 4 MiB are refused (413). Throttling (429 with
 * {@code Retry-After}) and errors can be injected; requests are recorded.
 */
public final class FakeGraphMailEndpoint implements AutoCloseable {

    /** The Graph resource whose tokens are accepted. */
    public static final String GRAPH_RESOURCE = "https://graph.microsoft.com";

    /**
     * A message the endpoint accepted.
     *
     * @param mailbox the mailbox in the URL
     * @param content the decoded MIME message
     */
    public record SentMessage(String mailbox, byte[] content) {
    }

    /**
     * One PUT to an upload URL.
     *
     * @param status the answer: 200 (accepted), 429 (throttled) or 416 (refused range)
     * @param contentRange the Content-Range header sent
     * @param length the chunk's length
     * @param problem why the range was refused, or {@code null}
     */
    public record UploadRequest(int status, String contentRange, int length, String problem) {
    }

    /** An injected answer. */
    private record Injected(int status, String retryAfterSeconds, String code, String message) {
    }

    private final IssuedTokens tokens;
    private final ExecutorService executor = HttpExchanges.executor("fake-graph");
    private final HttpsServer server;
    private final Queue<Injected> injected = new ConcurrentLinkedQueue<>();
    private final List<SentMessage> messages = new CopyOnWriteArrayList<>();
    private final AtomicInteger requests = new AtomicInteger();
    private final AtomicInteger current = new AtomicInteger();
    private final AtomicInteger max = new AtomicInteger();
    private final FakeGraphDrafts drafts = new FakeGraphDrafts();

    private FakeGraphMailEndpoint(IssuedTokens tokens) throws IOException {
        this.tokens = tokens;
        this.server = HttpExchanges.startServer(executor);
        server.createContext("/v1.0/users/", this::handle);
        server.createContext("/upload/", exchange -> counted(() -> drafts.upload(exchange)));
        server.start();
    }

    /**
     * Starts the endpoint on a free loopback port.
     *
     * @param tokens the tokens to accept, from {@link FakeMicrosoftIdentityPlatform#issuedTokens()}
     * @return the running endpoint; close it after the test
     */
    public static FakeGraphMailEndpoint start(IssuedTokens tokens) {
        try {
            return new FakeGraphMailEndpoint(tokens);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the fake Graph endpoint", e);
        }
    }

    /** @return the Graph root for a "custom" cloud's {@code graphUrl}, for example "https://localhost:40125" */
    public String graphUrl() {
        return "https://localhost:" + server.getAddress().getPort();
    }

    /**
     * Answers the next request with 429 Too Many Requests.
     *
     * @param retryAfter the Retry-After to send
     */
    public void throttleNext(Duration retryAfter) {
        injected.add(new Injected(429, String.valueOf(retryAfter.toSeconds()), "ApplicationThrottled",
                "Application is over its MailboxConcurrency limit."));
    }

    /**
     * Answers the next request with an error.
     *
     * @param status the HTTP status, for example 403
     * @param code the Graph error code, for example "ErrorAccessDenied"
     * @param message the error message
     */
    public void failNext(int status, String code, String message) {
        injected.add(new Injected(status, null, code, message));
    }

    /** @return the messages accepted, oldest first */
    public List<SentMessage> messages() {
        return new ArrayList<>(messages);
    }

    /**
     * Answers the next {@code POST messages/{id}/send} with an error; the draft stays until deleted.
     *
     * @param status the HTTP status
     * @param code the Graph error code
     * @param message the error message
     */
    public void failNextDraftSend(int status, String code, String message) {
        drafts.failNextSend(status, code, message);
    }

    /** @return the messages sent through the draft path (draft, attachments, send), oldest first */
    public List<GraphDraftMessage> draftMessages() {
        return drafts.sent();
    }

    /** @return drafts created and neither sent nor deleted */
    public int unsentDrafts() {
        return drafts.unsentDrafts();
    }

    /** @return drafts deleted by the client */
    public int deletedDrafts() {
        return drafts.deletedDrafts();
    }

    /** @return every PUT to an upload URL, in order */
    public List<UploadRequest> uploadRequests() {
        return drafts.chunks();
    }

    /** @return PUTs to an upload URL that came before the Retry-After of a throttled one had passed */
    public int uploadsBeforeRetryAfter() {
        return drafts.earlyRetries();
    }

    /**
     * Answers the given PUT to an upload URL (counting every PUT from 1) with 429 Too Many Requests.
     *
     * @param number which PUT
     * @param retryAfter the Retry-After to send
     */
    public void throttleUpload(int number, Duration retryAfter) {
        drafts.throttleChunk(number, retryAfter);
    }

    /** @return every request to {@code /v1.0/users/...} received, accepted or not */
    public int requests() {
        return requests.get();
    }

    /** @return the most requests in progress at the same time */
    public int maxConcurrentRequests() {
        return max.get();
    }

    /** Stops the server. */
    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }

    /** Work of one request, counted for {@link #maxConcurrentRequests()}. */
    private interface Work {
        void run() throws IOException;
    }

    private void counted(Work work) throws IOException {
        max.accumulateAndGet(current.incrementAndGet(), Math::max);
        try {
            work.run();
        } finally {
            current.decrementAndGet();
        }
    }

    private void handle(HttpExchange exchange) throws IOException {
        counted(() -> {
            try (exchange) {
                serve(exchange);
            }
        });
    }

    private void serve(HttpExchange exchange) throws IOException {
        requests.incrementAndGet();
        String path = exchange.getRequestURI().getRawPath().substring("/v1.0/users/".length());
        int slash = path.indexOf('/');
        if (slash < 0) {
            error(exchange, 405, "Request_BadRequest", "No operation after the mailbox.");
            return;
        }
        String mailbox = URLDecoder.decode(path.substring(0, slash), StandardCharsets.UTF_8);
        String rest = path.substring(slash + 1);
        byte[] body = exchange.getRequestBody().readAllBytes();
        Injected next = injected.poll();
        if (next != null) {
            if (next.retryAfterSeconds() != null) {
                exchange.getResponseHeaders().set("Retry-After", next.retryAfterSeconds());
            }
            error(exchange, next.status(), next.code(), next.message());
            return;
        }
        String authorization = exchange.getRequestHeaders().getFirst("Authorization");
        Optional<IssuedTokens.AccessToken> token = authorization != null && authorization.startsWith("Bearer ")
                ? tokens.valid(authorization.substring(7)).filter(t -> t.grants(GRAPH_RESOURCE))
                : Optional.empty();
        if (token.isEmpty()) {
            error(exchange, 401, "InvalidAuthenticationToken", "Access token validation failure.");
        } else if (token.get().username() != null && !token.get().username().equalsIgnoreCase(mailbox)) {
            error(exchange, 403, "ErrorAccessDenied", "Access is denied. Check credentials and try again.");
        } else if (body.length > FakeGraphDrafts.MAX_REQUEST) {
            error(exchange, 413, "ErrorRequestEntityTooLarge", "The request body is " + body.length
                    + " bytes; at most 4 MiB are accepted.");
        } else if (rest.equals("sendMail") && "POST".equals(exchange.getRequestMethod())) {
            sendMail(exchange, mailbox, body);
        } else if (rest.equals("messages") || rest.startsWith("messages/")) {
            drafts.handle(exchange, mailbox, rest, body, graphUrl() + "/upload/");
        } else {
            error(exchange, 405, "Request_BadRequest", "Not served here: " + exchange.getRequestMethod() + " " + rest);
        }
    }

    private void sendMail(HttpExchange exchange, String mailbox, byte[] body) throws IOException {
        if (!String.valueOf(exchange.getRequestHeaders().getFirst("Content-Type")).startsWith("text/plain")) {
            error(exchange, 400, "ErrorMimeContentInvalid", "The MIME content must be base64 text/plain.");
            return;
        }
        messages.add(new SentMessage(mailbox, Base64.getMimeDecoder().decode(body)));
        HttpExchanges.reply(exchange, 202, "text/plain", "");
    }

    static void error(HttpExchange exchange, int status, String code, String message) throws IOException {
        HttpExchanges.reply(exchange, status, "application/json", "{\"error\":{\"code\":" + HttpExchanges.json(code)
                + ",\"message\":" + HttpExchanges.json(message) + "}}");
    }
}
