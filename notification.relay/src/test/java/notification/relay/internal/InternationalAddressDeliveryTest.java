package notification.relay.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import notification.api.transport.DeliveryResult;
import notification.api.transport.DeliveryResult.Status;
import notification.testkit.StoredTestMessage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Internationalized addresses on the wire, against real servers: SubEthaSMTP, which offers SMTPUTF8, and Postfix's
 * smtp-sink, which does not. IDN domains arrive as A-labels and need nothing; a local part beyond ASCII goes with
 * {@code MAIL FROM ... SMTPUTF8} or fails permanently with a sentence saying why; quoted local parts arrive intact.
 */
class InternationalAddressDeliveryTest {
    private SmtpRelayTransport transport;

    @AfterEach
    void close() {
        if (transport != null) {
            transport.close();
        }
    }

    private SmtpRelayTransport startTls(RecordingSmtpServer server) {
        transport = new SmtpRelayTransport("intl", TestConfig.relay("127.0.0.1", server.port())
                .with("security", "starttls").with("trustStore", TestCertificates.TRUST_STORE.toString())
                .with("trustStorePassword", TestCertificates.PASSWORD).build());
        return transport;
    }

    private SmtpRelayTransport plain(SmtpSink sink) {
        transport = new SmtpRelayTransport("sink", TestConfig.relay("127.0.0.1", sink.port()).build());
        return transport;
    }

    @Test
    void idnDomainsAsALabelsReachAServerWithSmtpUtf8() throws Exception {
        try (RecordingSmtpServer server = new RecordingSmtpServer(0)) {
            DeliveryResult result = startTls(server).deliver(StoredTestMessage.to("user@xn--exmple-cua.org"));

            assertEquals(Status.SENT, result.status(), result.reply());
            assertEquals(List.of("user@xn--exmple-cua.org"), server.received().get(0).recipients());
        }
    }

    @Test
    void idnDomainsAsALabelsReachAServerWithoutSmtpUtf8() throws Exception {
        try (SmtpSink sink = SmtpSink.start()) {
            DeliveryResult result = plain(sink).deliver(StoredTestMessage.to("user@xn--exmple-cua.org"));

            assertEquals(Status.SENT, result.status(), result.reply());
        }
    }

    @Test
    void aLocalPartBeyondAsciiGoesWithSmtpUtf8AndArrivesUnchanged() throws Exception {
        try (RecordingSmtpServer server = new RecordingSmtpServer(0)) {
            DeliveryResult result = startTls(server).deliver(StoredTestMessage.to("üser@xn--exmple-cua.org"));

            assertEquals(Status.SENT, result.status(), result.reply());
            RecordingSmtpServer.Received received = server.received().get(0);
            assertEquals(List.of("üser@xn--exmple-cua.org"), received.recipients());
            // SubEthaSMTP's own Received header writes the recipient with '?': the message itself stays as sent
            String message = received.content().substring(received.content().indexOf("From: "));
            assertTrue(message.contains("To: üser@xn--exmple-cua.org"), message);
            assertFalse(message.contains("?ser"), message);
        }
    }

    @Test
    void aServerWithoutSmtpUtf8FailsSuchAMessagePermanentlySayingWhy() throws Exception {
        for (String pipelining : new String[] {"on", "off"}) {
            try (SmtpSink sink = pipelining.equals("on") ? SmtpSink.start() : SmtpSink.start("-p")) {
                DeliveryResult result = plain(sink).deliver(StoredTestMessage.to("üser@example.org"));

                assertEquals(Status.PERMANENT, result.status(), result.reply());
                assertTrue(result.reply().contains("does not offer SMTPUTF8 (RFC 6531)"), result.reply());
                assertEquals(Status.SENT, transport.deliver(StoredTestMessage.to("jane@example.org")).status(),
                        "the connection stays usable for other messages");
                transport.close();
                transport = null;
            }
        }
    }

    @Test
    void quotedLocalPartsArriveIntact() throws Exception {
        try (RecordingSmtpServer server = new RecordingSmtpServer(0)) {
            DeliveryResult result = startTls(server).deliver(StoredTestMessage.to("\"john doe\"@example.org"));

            assertEquals(Status.SENT, result.status(), result.reply());
            assertEquals(List.of("\"john doe\"@example.org"), server.received().get(0).recipients());
        }
    }
}
