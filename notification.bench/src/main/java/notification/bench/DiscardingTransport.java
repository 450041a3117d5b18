package notification.bench;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import notification.api.Person;
import notification.api.transport.DeliveryResult;
import notification.api.transport.MailTransport;
import notification.api.transport.OutgoingMessage;
import notification.api.transport.TransportHealth;
import notification.api.transport.TransportLimits;

/** A transport that reads each message out in full and drops it: shows what the core alone can carry. */
final class DiscardingTransport implements MailTransport {
    private final int connections;

    DiscardingTransport(int connections) {
        this.connections = connections;
    }

    @Override
    public DeliveryResult deliver(OutgoingMessage message) {
        try {
            message.writeTo(OutputStream.nullOutputStream());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return DeliveryResult.sent("250 discarded");
    }

    @Override
    public Person sender() {
        return new Person("Scanner", "scanner@example.com");
    }

    @Override
    public TransportHealth health() {
        return TransportHealth.ok("discarding");
    }

    @Override
    public TransportLimits limits() {
        return new TransportLimits(connections, 0, 0, 0);
    }

    @Override
    public TransportHealth testConnection() {
        return health();
    }
}
