package notification.smtp;

import java.util.Optional;
import notification.api.transport.ConnectionSlot;
import notification.api.transport.MessageStart;
import notification.api.transport.OutgoingMessage;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * A sending budget as the engine asks it (usually a transport's view of the
 * {@link notification.api.transport.SendingBudget} service for its mailbox): a slot before each new connection, held
 * until that connection closes, and leave before each message on a connection. Set with
 * {@link SmtpServer.Builder#budget(SmtpBudget)}; without one the engine keeps only to {@code maxConnections}.
 *
 * @since 1.1
 */
@ConsumerType
public interface SmtpBudget {

    /**
     * Asked before a new connection is opened (connection checks included); the slot is closed when the connection
     * closes, or at once when it could not be opened.
     *
     * @return the slot, or empty: then nothing is opened and the message is held ({@link SmtpResult.Outcome#HELD})
     */
    Optional<ConnectionSlot> takeConnection();

    /**
     * Asked right before a message goes out on an open connection; counts the message when it may start.
     *
     * @param message the message
     * @return whether it may start, else how long to wait and why (it is then held, the connection kept)
     */
    MessageStart startMessage(OutgoingMessage message);
}
