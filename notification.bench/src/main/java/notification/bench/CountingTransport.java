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
    private final Count count;

    /** What transports counting together share: the messages still expected, failures, the last failure. */
    private static final class Count {
        final AtomicLong failures = new AtomicLong();
        volatile CountDownLatch sent = new CountDownLatch(0);
        volatile String lastFailure;
    }

    CountingTransport(MailTransport relay) {
        this.relay = relay;
        this.count = new Count();
    }

    private CountingTransport(MailTransport relay, Count count) {
        this.relay = relay;
        this.count = count;
    }

    /** A transport through another relay (another node's) that counts into this one's figures. */
    CountingTransport alsoThrough(MailTransport otherRelay) {
        return new CountingTransport(otherRelay, count);
    }

    /** Starts counting down from {@code messages}. */
    CountDownLatch expect(int messages) {
        count.sent = new CountDownLatch(messages);
        return count.sent;
    }

    long failures() {
        return count.failures.get();
    }

    String lastFailure() {
        return count.lastFailure;
    }

    @Override
    public DeliveryResult deliver(OutgoingMessage message) {
        DeliveryResult result = relay.deliver(message);
        if (result.status() == DeliveryResult.Status.SENT) {
            count.sent.countDown();
        } else {
            count.failures.incrementAndGet();
            count.lastFailure = result.reply();
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
