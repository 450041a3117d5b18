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
 * A fake Microsoft Graph {@code POST /v1.0/users/{mailbox}/sendMail} over real HTTPS, accepting the MIME form
 * (base64, {@code Content-Type: text/plain}) with a bearer token the fake identity platform issued for the Graph
 * resource. Throttling (429 with {@code Retry-After}) and errors can be injected; requests are recorded.
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

    private FakeGraphMailEndpoint(IssuedTokens tokens) throws IOException {
        this.tokens = tokens;
        this.server = HttpExchanges.startServer(executor);
        server.createContext("/v1.0/users/", this::handle);
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

    /** @return every sendMail request received, accepted or not */
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

    private void handle(HttpExchange exchange) throws IOException {
        max.accumulateAndGet(current.incrementAndGet(), Math::max);
        try (exchange) {
            requests.incrementAndGet();
            String path = exchange.getRequestURI().getRawPath();
            if (!"POST".equals(exchange.getRequestMethod()) || !path.endsWith("/sendMail")) {
                error(exchange, 405, "Request_BadRequest", "Only POST /v1.0/users/{id}/sendMail is served here.");
                return;
            }
            String mailbox = URLDecoder.decode(
                    path.substring("/v1.0/users/".length(), path.length() - "/sendMail".length()), StandardCharsets.UTF_8);
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
            } else if (!String.valueOf(exchange.getRequestHeaders().getFirst("Content-Type")).startsWith("text/plain")) {
                error(exchange, 400, "ErrorMimeContentInvalid", "The MIME content must be base64 text/plain.");
            } else {
                byte[] mime = Base64.getMimeDecoder().decode(body);
                messages.add(new SentMessage(mailbox, mime));
                HttpExchanges.reply(exchange, 202, "text/plain", "");
            }
        } finally {
            current.decrementAndGet();
        }
    }

    private static void error(HttpExchange exchange, int status, String code, String message) throws IOException {
        HttpExchanges.reply(exchange, status, "application/json", "{\"error\":{\"code\":" + HttpExchanges.json(code)
                + ",\"message\":" + HttpExchanges.json(message) + "}}");
    }
}
