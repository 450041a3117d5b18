package notification.bench;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import notification.api.Person;
import notification.api.transport.DeliveryResult;
import notification.api.transport.MailTransport;
import notification.api.transport.OutgoingMessage;
import notification.api.transport.TransportHealth;
import notification.api.transport.TransportLimits;

/** Passes deliveries to the relay and counts the messages it sent, to know when the last one left. */
final class CountingTransport implements MailTransport {
    private final MailTransport relay;
    private final AtomicLong failures = new AtomicLong();
    private volatile CountDownLatch sent = new CountDownLatch(0);
    private volatile String lastFailure;

    CountingTransport(MailTransport relay) {
        this.relay = relay;
    }

    /** Starts counting down from {@code messages}. */
    CountDownLatch expect(int messages) {
        sent = new CountDownLatch(messages);
        return sent;
    }

    long failures() {
        return failures.get();
    }

    String lastFailure() {
        return lastFailure;
    }

    @Override
    public DeliveryResult deliver(OutgoingMessage message) {
        DeliveryResult result = relay.deliver(message);
        if (result.status() == DeliveryResult.Status.SENT) {
            sent.countDown();
        } else {
            failures.incrementAndGet();
            lastFailure = result.reply();
        }
        return result;
    }

    @Override
    public Person sender() {
        return relay.sender();
    }

    @Override
    public TransportHealth health() {
        return relay.health();
    }

    @Override
    public TransportLimits limits() {
        return relay.limits();
    }

    @Override
    public TransportHealth testConnection() {
        return relay.testConnection();
    }
}
