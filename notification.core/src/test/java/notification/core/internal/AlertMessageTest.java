package notification.core.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Properties;
import notification.api.Notification;
import notification.api.Person;
import org.junit.jupiter.api.Test;

/** An administrator alert is an ordinary, well-formed message from the delivering transport's mailbox. */
class AlertMessageTest {

    @Test
    void isFromTheTransportsMailboxToTheAdministratorAndMarkedAutomatic() throws Exception {
        Notification alert = Notification.builder().to("admin@example.com").subject("Notifications need attention")
                .text("Transport 'office' needs attention: Grüße").header("Auto-Submitted", "auto-generated").build();
        AlertMessage m = AlertMessage.render(alert, new Person("Scanner", "scanner@example.com"),
                Instant.parse("2026-12-01T08:00:00Z"), new MailClassLoader(() -> null));

        assertEquals(List.of("admin@example.com"), m.recipients());
        assertEquals("scanner@example.com", m.envelopeFrom());
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        m.writeTo(out);
        assertEquals(out.size(), m.size());
        assertTrue(out.toString(StandardCharsets.UTF_8).startsWith("From: Scanner <scanner@example.com>\r\n"));
        MimeMessage parsed = m.toMimeMessage(Session.getInstance(new Properties()));
        assertEquals(m.messageId(), parsed.getMessageID());
        assertEquals("auto-generated", parsed.getHeader("Auto-Submitted", null));
        assertTrue(String.valueOf(parsed.getContent()).contains("Grüße"), String.valueOf(parsed.getContent()));
    }
}
