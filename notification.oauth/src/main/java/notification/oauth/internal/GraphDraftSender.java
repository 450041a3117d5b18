package notification.oauth.internal;

import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Properties;
import notification.api.transport.OutgoingMessage;
import notification.smtp.MailClassLoader;

/**
 * Sends a message too large for {@code sendMail}'s 4 MB request through Graph's draft path: create the message as
 * JSON, add attachments under 3 MB as {@code fileAttachment}s and larger ones through an upload session (chunks of
 * 3,200 KiB, a multiple of 320 KiB, to the pre-authenticated upload URL), then send it. A draft whose sending failed
 * is deleted (best effort). Short throttles are waited out; the last response decides the outcome.
 */
final class GraphDraftSender {

    /** Attachments below this go in one request; larger ones through an upload session. */
    static final long SMALL_ATTACHMENT = 3L * 1024 * 1024;
    /** The upload chunk: ten times 320 KiB, below Graph's 4 MiB per request. */
    static final int CHUNK = 10 * 320 * 1024;

    private final MicrosoftSettings settings;
    private final GraphClient graph;

    GraphDraftSender(MicrosoftSettings settings, GraphClient graph) {
        this.settings = settings;
        this.graph = graph;
    }

    /**
     * Sends one message through a draft.
     *
     * @param message the message
     * @return the response that decides the outcome: 202 from {@code send}, or the first one that failed
     * @throws MessagingException if the message cannot be read as MIME
     * @throws TokenUnavailableException if no token can be had
     * @throws IOException if Graph cannot be reached
     * @throws InterruptedException if interrupted
     */
    HttpResponse<String> send(OutgoingMessage message)
            throws MessagingException, TokenUnavailableException, IOException, InterruptedException {
        GraphDraft draft = MailClassLoader.call(() -> GraphDraft.of(
                message.toMimeMessage(Session.getInstance(new Properties())), settings.username, message.recipients()));
        HttpResponse<String> created = graph.authorized("POST", graph.mailbox("/messages"), "application/json",
                () -> HttpRequest.BodyPublishers.ofString(draft.json(), StandardCharsets.UTF_8), true);
        if (created.statusCode() != 201 && created.statusCode() != 200) {
            return created;
        }
        String id = JsonObjects.string(JsonObjects.parse(created.body()), "id");
        String messagePath = "/messages/" + java.net.URLEncoder.encode(String.valueOf(id), StandardCharsets.UTF_8);
        boolean sent = false;
        try {
            for (GraphDraft.Attachment attachment : draft.attachments()) {
                HttpResponse<String> added = attachment.size() < SMALL_ATTACHMENT
                        ? addSmall(messagePath, attachment) : upload(messagePath, attachment);
                if (added.statusCode() / 100 != 2) {
                    return added;
                }
            }
            HttpResponse<String> response = graph.authorized("POST", graph.mailbox(messagePath + "/send"), null,
                    null, true);
            sent = response.statusCode() / 100 == 2;
            return response;
        } finally {
            if (!sent) {
                deleteQuietly(messagePath);
            }
        }
    }

    private HttpResponse<String> addSmall(String messagePath, GraphDraft.Attachment attachment)
            throws MessagingException, TokenUnavailableException, IOException, InterruptedException {
        byte[] content;
        try (InputStream in = attachment.open()) {
            content = in.readAllBytes();
        }
        String json = attachment.fileAttachmentJson(content);
        return graph.authorized("POST", graph.mailbox(messagePath + "/attachments"), "application/json",
                () -> HttpRequest.BodyPublishers.ofString(json, StandardCharsets.UTF_8), true);
    }

    private HttpResponse<String> upload(String messagePath, GraphDraft.Attachment attachment)
            throws MessagingException, TokenUnavailableException, IOException, InterruptedException {
        String json = attachment.uploadSessionJson();
        HttpResponse<String> session = graph.authorized("POST",
                graph.mailbox(messagePath + "/attachments/createUploadSession"), "application/json",
                () -> HttpRequest.BodyPublishers.ofString(json, StandardCharsets.UTF_8), true);
        Map<String, Object> created = JsonObjects.parse(session.body());
        if (session.statusCode() / 100 != 2 || created.get("uploadUrl") == null) {
            return session;
        }
        URI uploadUrl = URI.create(String.valueOf(created.get("uploadUrl")));
        HttpResponse<String> last = session;
        long total = attachment.size();
        try (InputStream in = attachment.open()) {
            for (long start = 0; start < total; ) {
                byte[] chunk = in.readNBytes((int) Math.min(CHUNK, total - start));
                if (chunk.length == 0) {
                    throw new IOException("the attachment " + attachment.name() + " ended after " + start + " of "
                            + total + " bytes");
                }
                HttpRequest.Builder put = HttpRequest.newBuilder(uploadUrl).header("Content-Type",
                        "application/octet-stream").header("Content-Range", "bytes " + start + "-"
                        + (start + chunk.length - 1) + "/" + total);
                last = graph.preAuthenticated(put, () -> HttpRequest.BodyPublishers.ofByteArray(chunk));
                if (last.statusCode() / 100 != 2) {
                    return last;
                }
                start += chunk.length;
            }
        }
        return last;
    }

    private void deleteQuietly(String messagePath) {
        try {
            graph.authorized("DELETE", graph.mailbox(messagePath), null, null, true);
        } catch (TokenUnavailableException | IOException e) {
            // best effort: a left-over draft only shows in the mailbox's Drafts folder
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
