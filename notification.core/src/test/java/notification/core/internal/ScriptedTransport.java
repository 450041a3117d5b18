package notification.core.internal;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import notification.api.Person;
import notification.api.transport.DeliveryResult;
import notification.api.transport.MailTransport;
import notification.api.transport.OutgoingMessage;
import notification.api.transport.TransportHealth;
import notification.api.transport.TransportLimits;

/** A test transport that answers with scripted results and keeps every message it was given. */
class ScriptedTransport implements MailTransport {
    /** One delivery as the transport saw it. */
    record Delivered(String id, String messageId, List<String> recipients, int attempt, String envelopeFrom,
            String text) {
    }

    final List<Delivered> delivered = Collections.synchronizedList(new ArrayList<>());
    private final Deque<DeliveryResult> script = new ArrayDeque<>();
    private final Person sender;
    private final AtomicInteger concurrent = new AtomicInteger();
    final AtomicInteger maxConcurrent = new AtomicInteger();
    volatile TransportHealth health = TransportHealth.ok("Ready");
    volatile TransportLimits limits = new TransportLimits(4, 0, 0, 0);
    volatile long delayMillis;

    ScriptedTransport(String address, String name) {
        this.sender = new Person(name, address);
    }

    synchronized ScriptedTransport then(DeliveryResult r) {
        script.add(r);
        return this;
    }

    private synchronized DeliveryResult next() {
        return script.isEmpty() ? DeliveryResult.sent("250 OK") : script.poll();
    }

    @Override
    public Person sender() {
        return sender;
    }

    @Override
    public DeliveryResult deliver(OutgoingMessage message) {
        int now = concurrent.incrementAndGet();
        maxConcurrent.accumulateAndGet(now, Math::max);
        try {
            if (delayMillis > 0) {
                Thread.sleep(delayMillis);
            }
            DeliveryResult r = next();
            if (r.status() != DeliveryResult.Status.UNAVAILABLE) {
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                message.writeTo(out);
                if (out.size() != message.size()) {
                    throw new AssertionError("size() " + message.size() + " but wrote " + out.size());
                }
                delivered.add(new Delivered(message.notificationId(), message.messageId(),
                        List.copyOf(message.recipients()), message.attempt(), message.envelopeFrom(),
                        out.toString(StandardCharsets.UTF_8)));
            }
            return r;
        } catch (IOException e) {
            return DeliveryResult.transientFailure("write failed: " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return DeliveryResult.transientFailure("interrupted");
        } finally {
            concurrent.decrementAndGet();
        }
    }

    @Override
    public TransportHealth health() {
        return health;
    }

    @Override
    public TransportLimits limits() {
        return limits;
    }
}
