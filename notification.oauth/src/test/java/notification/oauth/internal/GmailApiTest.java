package notification.oauth.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import notification.api.transport.DeliveryResult;
import notification.api.transport.DeliveryResult.Status;
import notification.api.transport.TransportHealth.State;
import notification.testkit.FakeGmailApi;
import notification.testkit.StoredTestMessage;
import org.junit.jupiter.api.Test;

/**
 * The Gmail API path against the fake Gmail API over HTTPS: simple and resumable uploads arrive byte for byte,
 * envelope recipients reach Gmail as Bcc, and Google's answers become the right outcome with an explanation.
 */
class GmailApiTest extends FakeGoogleTest {

    @Test
    void aSmallMessageIsSentAsOneMediaUploadByteForByte() throws Exception {
        GoogleMailTransport transport = authorizedTransport("api");
        StoredTestMessage message = scan("Scan from the lobby printer");

        DeliveryResult result = transport.deliver(message);

        assertEquals(Status.SENT, result.status(), result.reply());
        FakeGmailApi.SentMessage sent = cloud.google.gmail().messages().get(0);
        assertEquals("media", sent.uploadType());
        assertEquals(GoogleCloudFixture.MAILBOX, sent.user());
        assertArrayEquals(message.bytes(), sent.content());
    }

    @Test
    void aLargeScanGoesThroughAResumableUploadInChunksByteForByte() throws Exception {
        GoogleMailTransport transport = authorizedTransport("api");
        byte[] pdf = new byte[18 * 1024 * 1024 + 12345];
        new Random(7).nextBytes(pdf);
        StoredTestMessage message = StoredTestMessage.withAttachment(GoogleCloudFixture.MAILBOX, "Large scan",
                "scan.pdf", pdf, "a@example.org");

        DeliveryResult result = transport.deliver(message);

        assertEquals(Status.SENT, result.status(), result.reply());
        assertTrue(result.reply().contains("resumable"), result.reply());
        FakeGmailApi.SentMessage sent = cloud.google.gmail().messages().get(0);
        assertEquals("resumable", sent.uploadType());
        assertArrayEquals(message.bytes(), sent.content());
        List<Integer> chunks = cloud.google.gmail().chunkSizes();
        assertTrue(chunks.size() >= 3, chunks.toString());
        assertTrue(chunks.subList(0, chunks.size() - 1).stream().allMatch(c -> c == GmailApiSender.CHUNK),
                chunks.toString());
        assertEquals(message.size(), chunks.stream().mapToLong(Integer::longValue).sum());
    }

    @Test
    void envelopeRecipientsMissingFromTheHeadersReachGmailAsBcc() throws Exception {
        GoogleMailTransport transport = authorizedTransport("api");
        StoredTestMessage shown = scan("Bcc");
        StoredTestMessage message = StoredTestMessage.of(shown.bytes(), shown.envelopeFrom(),
                List.of("a@example.org", "archive@example.org"));

        assertEquals(Status.SENT, transport.deliver(message).status());

        FakeGmailApi.SentMessage sent = cloud.google.gmail().messages().get(0);
        assertEquals(List.of("a@example.org", "archive@example.org"), sent.recipients());
        ByteArrayOutputStream expected = new ByteArrayOutputStream();
        expected.write("Bcc: archive@example.org\r\n".getBytes(StandardCharsets.US_ASCII));
        expected.write(message.bytes());
        assertArrayEquals(expected.toByteArray(), sent.content());
    }

    @Test
    void rateLimitingIsTransientWithGooglesRetryAfter() throws Exception {
        GoogleMailTransport transport = authorizedTransport("api");
        cloud.google.gmail().failNextSend(429, "rateLimitExceeded", "Too many concurrent requests for user", "45");

        DeliveryResult result = transport.deliver(scan("throttled"));

        assertEquals(Status.TRANSIENT, result.status());
        assertEquals(Duration.ofSeconds(45), result.retryAfter());
        assertTrue(result.reply().contains("limiting this mailbox's rate"), result.reply());
        assertEquals(Status.SENT, transport.deliver(scan("later")).status());
    }

    @Test
    void aServerErrorIsTransientAndABadRequestPermanent() throws Exception {
        GoogleMailTransport transport = authorizedTransport("api");
        cloud.google.gmail().failNextSend(503, "backendError", "Backend Error", null);
        cloud.google.gmail().failNextSend(400, "invalidArgument", "Invalid To header", null);

        DeliveryResult unavailable = transport.deliver(scan("503"));
        DeliveryResult bad = transport.deliver(scan("400"));

        assertEquals(Status.TRANSIENT, unavailable.status());
        assertTrue(unavailable.reply().contains("temporary problem at Google"), unavailable.reply());
        assertEquals(Status.PERMANENT, bad.status());
        assertTrue(bad.reply().contains("Gmail API 400 invalidArgument: Invalid To header"), bad.reply());
    }

    @Test
    void theDailySendingLimitHoldsMailInsteadOfFailingIt() throws Exception {
        GoogleMailTransport transport = authorizedTransport("api");
        cloud.google.gmail().failNextSend(403, "dailyLimitExceeded", "Daily user sending limit exceeded.", null);

        DeliveryResult refused = transport.deliver(scan("over the limit"));
        DeliveryResult next = transport.deliver(scan("next"));

        assertEquals(Status.UNAVAILABLE, refused.status());
        assertTrue(refused.reply().contains("daily sending limit is reached (2,000 messages a day for Google "
                + "Workspace, 500 for consumer Gmail accounts)"), refused.reply());
        assertTrue(refused.reply().contains("held, not failed"), refused.reply());
        assertEquals(Status.UNAVAILABLE, next.status());
        assertEquals(State.FAILING, transport.health().state());
        assertTrue(cloud.google.gmail().messages().isEmpty());
    }

    @Test
    void aRevokedAccessTokenIsReplacedOnceAndTheMessageSent() throws Exception {
        GoogleMailTransport transport = authorizedTransport("api");
        cloud.google.issuedTokens().revokeAll();

        DeliveryResult result = transport.deliver(scan("after revocation"));

        assertEquals(Status.SENT, result.status(), result.reply());
        assertEquals(1, cloud.google.tokenRequests("refresh_token"));
    }

    @Test
    void testConnectionReadsTheProfileWithoutSending() throws Exception {
        GoogleMailTransport transport = authorizedTransport("api");

        notification.api.transport.TransportHealth checked = transport.testConnection();
        assertEquals(State.OK, checked.state(), checked.message());
        assertTrue(cloud.google.gmail().messages().isEmpty());
        assertFalse(transport.health().message().isEmpty());
    }
}
