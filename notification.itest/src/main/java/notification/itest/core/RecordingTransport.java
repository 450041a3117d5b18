package notification.itest.core;

import jakarta.mail.Multipart;
import jakarta.mail.Session;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CopyOnWriteArrayList;
import notification.api.Person;
import notification.api.transport.DeliveryResult;
import notification.api.transport.MailTransport;
import notification.api.transport.OutgoingMessage;
import notification.api.transport.TransportHealth;
import notification.api.transport.TransportLimits;

/** A transport registered by the tests: accepts every message and keeps what it was given, as the core gave it. */
final class RecordingTransport implements MailTransport {
    /** One delivered message, seen through both views the SPI offers. */
    record Delivered(String notificationId, String messageId, String envelopeFrom, List<String> recipients, String raw,
            String parsedMessageId, String parsedFrom, int parsedParts) {
    }

    private static final Session SESSION = Session.getInstance(new Properties());
    final List<Delivered> delivered = new CopyOnWriteArrayList<>();
    private final Person sender;
    volatile TransportHealth health = TransportHealth.ok("Ready");
    volatile long delayMillis;

    RecordingTransport(String address, String name) {
        this.sender = new Person(name, address);
    }

    @Override
    public Person sender() {
        return sender;
    }

    @Override
    public DeliveryResult deliver(OutgoingMessage message) {
        try {
            if (delayMillis > 0) {
                Thread.sleep(delayMillis);
            }
            ByteArrayOutputStream raw = new ByteArrayOutputStream();
            message.writeTo(raw);
            MimeMessage parsed = message.toMimeMessage(SESSION);
            parsed.saveChanges();
            Object content = parsed.getContent();
            int parts = content instanceof Multipart mp ? mp.getCount() : 1;
            InternetAddress from = (InternetAddress) parsed.getFrom()[0];
            delivered.add(new Delivered(message.notificationId(), message.messageId(), message.envelopeFrom(),
                    List.copyOf(message.recipients()), raw.toString(StandardCharsets.UTF_8), parsed.getMessageID(),
                    from.getPersonal() + " <" + from.getAddress() + ">", parts));
            return DeliveryResult.sent("250 2.0.0 accepted by the test transport");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return DeliveryResult.transientFailure("interrupted");
        } catch (IOException | jakarta.mail.MessagingException e) {
            return DeliveryResult.permanentFailure("the test transport could not read the message: " + e);
        }
    }

    @Override
    public TransportHealth health() {
        return health;
    }

    @Override
    public TransportLimits limits() {
        return new TransportLimits(2, 0, 0, 0);
    }
}
