package notification.oauth.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/** A MIME message becomes a Graph message resource: HTML body, recipients, Reply-To, X- headers, inline parts. */
class GraphDraftTest {

    static final String MIME = String.join("\r\n",
            "From: Scanner 3rd floor <scanner@contoso.example>",
            "To: Jane <jane@example.org>",
            "Cc: john@example.org",
            "Reply-To: Helpdesk <help@contoso.example>",
            "Subject: =?UTF-8?Q?Scan_f=C3=BCr_Jane?=",
            "Message-ID: <m1@test.example>",
            "X-Scanner-Job: 4711",
            "MIME-Version: 1.0",
            "Content-Type: multipart/related; boundary=\"r\"",
            "",
            "--r",
            "Content-Type: multipart/alternative; boundary=\"a\"",
            "",
            "--a",
            "Content-Type: text/plain; charset=UTF-8",
            "",
            "plain version",
            "--a",
            "Content-Type: text/html; charset=UTF-8",
            "",
            "<p>html version <img src=\"cid:logo@x\"></p>",
            "--a--",
            "--r",
            "Content-Type: image/png",
            "Content-ID: <logo@x>",
            "Content-Disposition: inline",
            "Content-Transfer-Encoding: base64",
            "",
            "iVBORw0KGgo=",
            "--r--",
            "");

    @Test
    void theResourceCarriesWhatTheMimeMessageSays() throws Exception {
        MimeMessage mime = new MimeMessage(Session.getInstance(new Properties()),
                new ByteArrayInputStream(MIME.getBytes(StandardCharsets.UTF_8)));
        GraphDraft draft = GraphDraft.of(mime, "scanner@contoso.example",
                List.of("jane@example.org", "john@example.org", "audit@example.org"));
        Map<String, Object> json = JsonObjects.parse(draft.json());
        assertEquals("Scan für Jane", json.get("subject"));
        assertEquals(Map.of("contentType", "html", "content", "<p>html version <img src=\"cid:logo@x\"></p>"),
                json.get("body"));
        assertEquals(Map.of("emailAddress", Map.of("address", "scanner@contoso.example", "name",
                "Scanner 3rd floor")), json.get("from"));
        assertEquals(List.of(Map.of("emailAddress", Map.of("address", "jane@example.org", "name", "Jane"))),
                json.get("toRecipients"));
        assertEquals(List.of(Map.of("emailAddress", Map.of("address", "audit@example.org"))),
                json.get("bccRecipients"));
        assertEquals(List.of(Map.of("emailAddress", Map.of("address", "help@contoso.example", "name", "Helpdesk"))),
                json.get("replyTo"));
        assertEquals("<m1@test.example>", json.get("internetMessageId"));
        assertEquals(List.of(Map.of("name", "X-Scanner-Job", "value", "4711")), json.get("internetMessageHeaders"));
        assertFalse(draft.json().contains("MIME-Version"), "only X- headers are passed on");

        assertEquals(1, draft.attachments().size());
        GraphDraft.Attachment logo = draft.attachments().get(0);
        assertTrue(logo.inline());
        assertEquals("logo@x", logo.contentId());
        assertEquals("image/png", logo.contentType());
        assertEquals(8, logo.size(), "decoded bytes");
        Map<String, Object> item = JsonObjects.parse(logo.uploadSessionJson());
        assertEquals(Map.of("attachmentType", "file", "name", "attachment-1", "contentType", "image/png",
                "isInline", true, "contentId", "logo@x", "size", 8), item.get("AttachmentItem"));
    }
    @Test
    void namesAndFileNamesAsTheServiceWritesThemReachGraphDecoded() throws Exception {
        String name = "山田 太郎 (スキャン担当) Ünïcödé";
        String file = "見積書_2026年12月_最終版_確認済み.pdf";
        String mime = String.join("\r\n",
                "From: scanner@contoso.example",
                "To: " + jakarta.mail.internet.MimeUtility.fold(4, jakarta.mail.internet.MimeUtility.encodeWord(name,
                        "UTF-8", "B")) + " <jane@xn--bcher-kva.example>",
                "Subject: =?UTF-8?B?" + java.util.Base64.getEncoder().encodeToString(
                        "Scan \u2013 \uD83D\uDCC4".getBytes(StandardCharsets.UTF_8)) + "?=",
                "MIME-Version: 1.0",
                "Content-Type: multipart/mixed; boundary=\"m\"",
                "",
                "--m",
                "Content-Type: text/plain; charset=UTF-8",
                "",
                "body",
                "--m",
                "Content-Type: application/pdf; name=\"_________2026_12_________.pdf\"",
                "Content-Disposition: attachment;",
                " filename*0*=UTF-8''" + percent(file.substring(0, 8)) + ";",
                " filename*1*=" + percent(file.substring(8)),
                "Content-Transfer-Encoding: base64",
                "",
                "JVBERi0=",
                "--m--",
                "");
        MimeMessage parsed = new MimeMessage(Session.getInstance(new Properties()),
                new ByteArrayInputStream(mime.getBytes(StandardCharsets.UTF_8)));
        GraphDraft draft = GraphDraft.of(parsed, "scanner@contoso.example", List.of("jane@xn--bcher-kva.example"));
        Map<String, Object> json = JsonObjects.parse(draft.json());
        assertEquals("Scan \u2013 \uD83D\uDCC4", json.get("subject"));
        assertEquals(List.of(Map.of("emailAddress", Map.of("address", "jane@xn--bcher-kva.example", "name", name))),
                json.get("toRecipients"));
        assertEquals(file, draft.attachments().get(0).name(), "RFC 2231 continuations joined and decoded");
        assertEquals(file, ((Map<?, ?>) JsonObjects.parse(draft.attachments().get(0).uploadSessionJson())
                .get("AttachmentItem")).get("name"));
    }

    private static String percent(String text) {
        StringBuilder out = new StringBuilder();
        for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
            out.append(String.format("%%%02X", b & 0xff));
        }
        return out.toString();
    }
}
