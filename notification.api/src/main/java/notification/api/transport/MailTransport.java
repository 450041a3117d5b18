package notification.api.transport;

import notification.api.Person;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * Delivers rendered messages to a mail system: an SMTP relay, Microsoft 365, a pickup directory.
 *
 * <p>Register implementations as OSGi services with the {@link #NAME} property (the name the {@code transports}
 * configuration of {@code notification.core} refers to) and the {@link #TYPE} property. The notification service
 * calls {@link #deliver(OutgoingMessage)} from at most {@link TransportLimits#maxConnections()} threads at once and
 * honours the other {@linkplain #limits() limits}.
 */
@ConsumerType
public interface MailTransport {

    /**
     * Service property: the transport's name (String), unique among transports. When a transport service lacks it,
     * the notification service takes its {@code name} property, or else the part of its {@code service.pid} after
     * {@code ~} (so the factory configuration {@code notification.relay~office} is named "office").
     */
    String NAME = "notification.transport.name";

    /** Service property: the transport's type (String), for example "relay", "microsoft-smtp", "pickup". */
    String TYPE = "notification.transport.type";

    /**
     * Returns the mailbox this transport sends from. Its address is the From address and envelope sender of every
     * message it delivers; its name is the From display name unless the notification is sent on behalf of someone.
     *
     * @return the sending mailbox
     */
    Person sender();

    /**
     * Delivers one message, blocking until the mail system has answered. Must not throw for mail-system failures:
     * report them in the result. Connect, read and write must be bounded by timeouts.
     *
     * @param message the rendered message, with From already set to this transport's sender
     * @return the outcome, overall or per recipient
     */
    DeliveryResult deliver(OutgoingMessage message);

    /**
     * Reports the transport's health as last observed. Must be cheap: no network round trip.
     *
     * @return the health
     */
    TransportHealth health();

    /**
     * Reports the limits the notification service must honour when delivering through this transport.
     *
     * @return the limits
     */
    TransportLimits limits();

    /**
     * Checks the connection without sending anything (for SMTP: connect, EHLO, STARTTLS, AUTH) and reports the
     * result. Called from the console; may take up to the transport's timeouts.
     *
     * @return the health observed by the check
     */
    default TransportHealth testConnection() {
        return health();
    }
}
