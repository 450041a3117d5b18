package notification.oauth.internal;

import static notification.oauth.internal.MicrosoftCloudFixture.MAILBOX;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Random;
import notification.api.transport.DeliveryResult;
import notification.api.transport.DeliveryResult.Status;
import notification.testkit.FakeGraphMailEndpoint.UploadRequest;
import notification.testkit.GraphDraftMessage;
import notification.testkit.StoredTestMessage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Messages beyond sendMail's 4 MB go through a Graph draft with upload sessions; small ones still use sendMail. */
class MicrosoftGraphLargeMessageTest extends FakeMicrosoftCloudTest {

    static final int CHUNK = 10 * 320 * 1024;

    MicrosoftMailTransport transport;

    @BeforeEach
    void startTransport() throws Exception {
        transport = authorizedTransport("graph");
    }

    @AfterEach
    void stopTransport() {
        transport.close();
    }

    private static byte[] randomBytes(int size) {
        byte[] content = new byte[size];
        new Random(size).nextBytes(content);
        return content;
    }

    @Test
    void aTwelveMegabyteScanArrivesCompleteThroughAnUploadSession() {
        byte[] pdf = randomBytes(12 * 1024 * 1024);
        StoredTestMessage rendered = StoredTestMessage.withAttachment(MAILBOX, "Scan of contract", "contract.pdf", pdf,
                "a@example.org", "b@example.org");
        // a Bcc recipient is in the envelope only
        StoredTestMessage message = StoredTestMessage.of(rendered.bytes(), MAILBOX,
                List.of("a@example.org", "b@example.org", "audit@example.org"));
        DeliveryResult sent = transport.deliver(message);
        assertEquals(Status.SENT, sent.status(), sent.reply());

        assertEquals(List.of(), cloud.graph.messages(), "not through sendMail");
        GraphDraftMessage received = cloud.graph.draftMessages().get(0);
        assertEquals(MAILBOX, received.mailbox());
        assertEquals("Scan of contract", received.subject());
        assertEquals(message.messageId(), received.internetMessageId());
        assertEquals(List.of("a@example.org", "b@example.org"), received.addresses("toRecipients"));
        assertEquals(List.of("audit@example.org"), received.addresses("bccRecipients"));
        assertTrue(received.body().contains("Scan finished"), received.body());
        assertEquals(1, received.attachments().size());
        GraphDraftMessage.Attachment attachment = received.attachments().get(0);
        assertEquals("contract.pdf", attachment.name());
        assertEquals("application/pdf", attachment.contentType());
        assertTrue(attachment.uploaded(), "through an upload session");
        assertArrayEquals(pdf, attachment.content(), "byte for byte");

        List<UploadRequest> puts = cloud.graph.uploadRequests();
        assertEquals(4, puts.size(), "12 MiB in chunks of 3,200 KiB: " + puts);
        assertTrue(puts.stream().allMatch(p -> p.status() == 200), puts.toString());
        assertEquals("bytes 0-" + (CHUNK - 1) + "/" + pdf.length, puts.get(0).contentRange());
        assertEquals(0, cloud.graph.unsentDrafts());
        assertEquals(3, cloud.graph.requests(), "create the draft, create the upload session, send");
    }

    @Test
    void smallMessagesStillGoThroughSendMailAsMime() throws Exception {
        StoredTestMessage message = StoredTestMessage.withAttachment(MAILBOX, "small scan", "page.pdf",
                randomBytes(200 * 1024), "a@example.org");
        assertEquals(Status.SENT, transport.deliver(message).status());
        assertEquals(1, cloud.graph.messages().size());
        assertEquals(List.of(), cloud.graph.draftMessages());
        assertEquals(List.of(), cloud.graph.uploadRequests());
    }

    @Test
    void aThrottledChunkIsSentAgainOnlyAfterRetryAfter() {
        byte[] pdf = randomBytes(7 * 1024 * 1024);
        cloud.graph.throttleUpload(2, Duration.ofSeconds(1));
        DeliveryResult sent = transport.deliver(StoredTestMessage.withAttachment(MAILBOX, "throttled", "t.pdf", pdf,
                "a@example.org"));
        assertEquals(Status.SENT, sent.status(), sent.reply());
        List<UploadRequest> puts = cloud.graph.uploadRequests();
        assertEquals(List.of(200, 429, 200, 200), puts.stream().map(UploadRequest::status).toList());
        assertEquals(puts.get(1).contentRange(), puts.get(2).contentRange(), "the same chunk again");
        assertEquals(0, cloud.graph.uploadsBeforeRetryAfter(), "waited as long as Graph asked");
        assertArrayEquals(pdf, cloud.graph.draftMessages().get(0).attachments().get(0).content());
    }

    @Test
    void aDraftWhoseSendingFailedIsDeleted() {
        // 2.8 MiB: too large for sendMail as base64 MIME, small enough for one fileAttachment request
        cloud.graph.failNextDraftSend(400, "ErrorInvalidRecipients", "At least one recipient is not valid.");
        DeliveryResult failed = transport.deliver(StoredTestMessage.withAttachment(MAILBOX, "refused", "r.pdf",
                randomBytes(2_900_000), "a@example.org"));
        assertEquals(Status.PERMANENT, failed.status(), failed.reply());
        assertTrue(failed.reply().contains("ErrorInvalidRecipients"), failed.reply());
        assertEquals(List.of(), cloud.graph.draftMessages());
        assertEquals(0, cloud.graph.unsentDrafts(), "the draft was deleted");
        assertEquals(1, cloud.graph.deletedDrafts());
        assertEquals(List.of(), cloud.graph.uploadRequests(), "attachments under 3 MB need no upload session");
    }
}
