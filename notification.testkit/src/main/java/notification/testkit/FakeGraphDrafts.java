package notification.testkit;

import com.azure.json.JsonProviders;
import com.azure.json.JsonReader;
import com.sun.net.httpserver.HttpExchange;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The fake Graph endpoint's draft path: {@code POST messages}, {@code POST messages/{id}/attachments},
 * {@code .../attachments/createUploadSession} with chunked {@code PUT}s to the pre-authenticated upload URL,
 * {@code POST messages/{id}/send} and {@code DELETE messages/{id}}, checked as strictly as Outlook does.
 */
final class FakeGraphDrafts {

    /** Upload chunks must be multiples of this, except the last. */
    static final int CHUNK_UNIT = 320 * 1024;
    /** Larger request bodies are refused (413), as Graph does. */
    static final int MAX_REQUEST = 4 * 1024 * 1024;

    private static final Pattern RANGE = Pattern.compile("bytes (\\d+)-(\\d+)/(\\d+)");

    /** One upload session: where the next chunk must start, and when a throttled client may come back. */
    private static final class Session {
        final String token = Randoms.token();
        final String draftId;
        final GraphDraftMessage.Attachment item;
        final long size;
        final ByteArrayOutputStream received = new ByteArrayOutputStream();
        Instant notBefore = Instant.MIN;

        Session(String draftId, GraphDraftMessage.Attachment item, long size) {
            this.draftId = draftId;
            this.item = item;
            this.size = size;
        }
    }

    private final Clock clock = Clock.systemUTC();
    private final Map<String, GraphDraftMessage> drafts = new ConcurrentHashMap<>();
    private final Map<String, Session> sessions = new ConcurrentHashMap<>();
    private final List<GraphDraftMessage> sent = new CopyOnWriteArrayList<>();
    private final List<FakeGraphMailEndpoint.UploadRequest> chunks = new CopyOnWriteArrayList<>();
    private final Map<Integer, Duration> throttledChunks = new ConcurrentHashMap<>();
    private final AtomicInteger puts = new AtomicInteger();
    private final AtomicInteger earlyRetries = new AtomicInteger();
    private final AtomicInteger deleted = new AtomicInteger();
    private final java.util.Queue<String[]> sendFailures = new java.util.concurrent.ConcurrentLinkedQueue<>();

    void failNextSend(int status, String code, String message) {
        sendFailures.add(new String[] {String.valueOf(status), code, message});
    }

    List<GraphDraftMessage> sent() {
        return new ArrayList<>(sent);
    }

    int unsentDrafts() {
        return drafts.size();
    }

    int deletedDrafts() {
        return deleted.get();
    }

    List<FakeGraphMailEndpoint.UploadRequest> chunks() {
        return new ArrayList<>(chunks);
    }

    int earlyRetries() {
        return earlyRetries.get();
    }

    void throttleChunk(int number, Duration retryAfter) {
        throttledChunks.put(number, retryAfter);
    }

    /** Serves an authenticated request below {@code /v1.0/users/{mailbox}/messages}. */
    void handle(HttpExchange exchange, String mailbox, String rest, byte[] body, String uploadBase)
            throws IOException {
        String method = exchange.getRequestMethod();
        String[] parts = rest.split("/");
        if (parts.length == 1 && method.equals("POST")) {
            String id = "draft-" + Randoms.token();
            drafts.put(id, new GraphDraftMessage(mailbox, id, json(body), new CopyOnWriteArrayList<>()));
            HttpExchanges.reply(exchange, 201, "application/json", "{\"id\":" + HttpExchanges.json(id) + "}");
            return;
        }
        GraphDraftMessage draft = parts.length > 1 ? drafts.get(parts[1]) : null;
        if (draft == null || !draft.mailbox().equalsIgnoreCase(mailbox)) {
            FakeGraphMailEndpoint.error(exchange, 404, "ErrorItemNotFound", "The specified object was not found.");
        } else if (parts.length == 2 && method.equals("DELETE")) {
            drafts.remove(draft.id());
            deleted.incrementAndGet();
            HttpExchanges.reply(exchange, 204, "application/json", "");
        } else if (parts.length == 3 && parts[2].equals("send") && method.equals("POST")) {
            String[] failure = sendFailures.poll();
            if (failure != null) {
                FakeGraphMailEndpoint.error(exchange, Integer.parseInt(failure[0]), failure[1], failure[2]);
                return;
            }
            drafts.remove(draft.id());
            sent.add(draft);
            HttpExchanges.reply(exchange, 202, "application/json", "");
        } else if (parts.length == 3 && parts[2].equals("attachments") && method.equals("POST")) {
            Map<String, Object> a = json(body);
            byte[] content = Base64.getDecoder().decode(String.valueOf(a.get("contentBytes")));
            draft.attachments().add(attachment(a, content, false));
            HttpExchanges.reply(exchange, 201, "application/json", "{\"id\":\"att-" + Randoms.token() + "\"}");
        } else if (parts.length == 4 && parts[3].equals("createUploadSession") && method.equals("POST")) {
            createSession(exchange, draft, json(body), uploadBase);
        } else {
            FakeGraphMailEndpoint.error(exchange, 405, "Request_BadRequest", "Not served: " + method + " " + rest);
        }
    }

    private void createSession(HttpExchange exchange, GraphDraftMessage draft, Map<String, Object> request,
            String uploadBase) throws IOException {
        if (!(request.get("AttachmentItem") instanceof Map<?, ?> item) || !"file".equals(item.get("attachmentType"))
                || !(item.get("size") instanceof Number size) || item.get("name") == null) {
            FakeGraphMailEndpoint.error(exchange, 400, "ErrorInvalidRequest",
                    "AttachmentItem needs attachmentType file, name and size.");
            return;
        }
        @SuppressWarnings("unchecked")
        GraphDraftMessage.Attachment described = attachment((Map<String, Object>) item, null, true);
        Session session = new Session(draft.id(), described, size.longValue());
        String id = "session-" + Randoms.token();
        sessions.put(id, session);
        String url = uploadBase + id + "?authtoken=" + session.token;
        HttpExchanges.reply(exchange, 201, "application/json", "{\"uploadUrl\":" + HttpExchanges.json(url)
                + ",\"nextExpectedRanges\":[\"0-\"]}");
    }

    /** Serves {@code PUT /upload/{session}?authtoken=...}: one chunk, checked against the session. */
    void upload(HttpExchange exchange) throws IOException {
        try (exchange) {
            int number = puts.incrementAndGet();
            String path = exchange.getRequestURI().getPath();
            Session session = sessions.get(path.substring(path.lastIndexOf('/') + 1));
            String query = String.valueOf(exchange.getRequestURI().getRawQuery());
            byte[] chunk = exchange.getRequestBody().readAllBytes();
            if (session == null || !query.equals("authtoken=" + session.token)) {
                FakeGraphMailEndpoint.error(exchange, 404, "ErrorItemNotFound", "Unknown upload session.");
                return;
            }
            if (exchange.getRequestHeaders().containsKey("Authorization")) {
                FakeGraphMailEndpoint.error(exchange, 400, "ErrorInvalidRequest",
                        "The upload URL is pre-authenticated: send no Authorization header.");
                return;
            }
            synchronized (session) {
                Instant now = clock.instant();
                if (now.isBefore(session.notBefore)) {
                    earlyRetries.incrementAndGet();
                }
                String range = exchange.getRequestHeaders().getFirst("Content-Range");
                Duration throttle = throttledChunks.remove(number);
                if (throttle != null) {
                    chunks.add(new FakeGraphMailEndpoint.UploadRequest(429, range, chunk.length, null));
                    session.notBefore = now.plus(throttle);
                    exchange.getResponseHeaders().set("Retry-After", String.valueOf(throttle.toSeconds()));
                    FakeGraphMailEndpoint.error(exchange, 429, "ApplicationThrottled", "Too many requests.");
                    return;
                }
                String problem = check(session, range, chunk);
                chunks.add(new FakeGraphMailEndpoint.UploadRequest(problem == null ? 200 : 416, range, chunk.length,
                        problem));
                if (problem != null) {
                    FakeGraphMailEndpoint.error(exchange, 416, "InvalidRange", problem);
                    return;
                }
                session.received.write(chunk);
                if (session.received.size() < session.size) {
                    HttpExchanges.reply(exchange, 200, "application/json", "{\"nextExpectedRanges\":[\""
                            + session.received.size() + "-\"]}");
                    return;
                }
                sessions.values().remove(session);
                GraphDraftMessage draft = drafts.get(session.draftId);
                if (draft != null) {
                    GraphDraftMessage.Attachment i = session.item;
                    draft.attachments().add(new GraphDraftMessage.Attachment(i.name(), i.contentType(), i.inline(),
                            i.contentId(), session.received.toByteArray(), true));
                }
                HttpExchanges.reply(exchange, 201, "application/json", "");
            }
        }
    }

    private static String check(Session session, String contentRange, byte[] chunk) {
        Matcher m = RANGE.matcher(String.valueOf(contentRange));
        if (!m.matches()) {
            return "Content-Range '" + contentRange + "' is not 'bytes start-end/total'";
        }
        long start = Long.parseLong(m.group(1));
        long end = Long.parseLong(m.group(2));
        long total = Long.parseLong(m.group(3));
        if (total != session.size) {
            return "total " + total + " differs from the session's size " + session.size;
        }
        if (start != session.received.size()) {
            return "expected the range to start at " + session.received.size() + ", not " + start;
        }
        if (end - start + 1 != chunk.length) {
            return "the range names " + (end - start + 1) + " bytes, the body has " + chunk.length;
        }
        if (chunk.length > MAX_REQUEST) {
            return "a chunk may have at most 4 MiB";
        }
        if (end + 1 < total && chunk.length % CHUNK_UNIT != 0) {
            return "chunks other than the last must be multiples of 320 KiB, not " + chunk.length;
        }
        return end + 1 > total ? "the range ends after the attachment's size " + total : null;
    }

    private static GraphDraftMessage.Attachment attachment(Map<String, Object> a, byte[] content, boolean uploaded) {
        Object inline = a.get("isInline");
        Object contentId = a.get("contentId");
        return new GraphDraftMessage.Attachment(String.valueOf(a.get("name")), String.valueOf(a.get("contentType")),
                Boolean.TRUE.equals(inline), contentId == null ? null : String.valueOf(contentId), content, uploaded);
    }

    static Map<String, Object> json(byte[] body) throws IOException {
        try (JsonReader reader = JsonProviders.createReader(new String(body, StandardCharsets.UTF_8))) {
            reader.nextToken();
            Map<String, Object> map = reader.readMap(JsonReader::readUntyped);
            return map == null ? Map.of() : map;
        }
    }
}
