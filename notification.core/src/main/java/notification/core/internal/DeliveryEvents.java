package notification.core.internal;

import java.util.HashMap;
import java.util.Map;
import notification.api.DeliveryState;
import notification.api.NotificationEvents;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Announces what happened to a notification (sent, deferred, failed) with the properties of NotificationEvents. */
final class DeliveryEvents {
    private static final Logger LOG = LoggerFactory.getLogger(DeliveryEvents.class);
    private final EventSink sink;

    DeliveryEvents(EventSink sink) {
        this.sink = sink;
    }

    /**
     * Posts the event for a state an entry reached.
     *
     * @param e the entry
     * @param state the state reached
     * @param transport the transport involved
     * @param reason the reply or reason, or null
     */
    void reached(StoredEntry e, DeliveryState state, String transport, String reason) {
        String topic = switch (state) {
            case SENT -> NotificationEvents.TOPIC_SENT;
            case DEFERRED -> NotificationEvents.TOPIC_DEFERRED;
            default -> NotificationEvents.TOPIC_FAILED;
        };
        Map<String, Object> props = new HashMap<>();
        props.put(NotificationEvents.ID, e.id);
        props.put(NotificationEvents.MESSAGE_ID, e.messageId);
        props.put(NotificationEvents.STATE, state.name());
        props.put(NotificationEvents.TRANSPORT, transport);
        if (e.reference != null) {
            props.put(NotificationEvents.REFERENCE, e.reference);
        }
        if (reason != null) {
            props.put(NotificationEvents.REASON, reason);
        }
        try {
            sink.post(topic, props);
        } catch (RuntimeException ex) {
            LOG.warn("notification {}: event {} not posted: {}", e.id, topic, ex.toString());
        }
    }
}
