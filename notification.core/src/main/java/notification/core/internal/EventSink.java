package notification.core.internal;

import java.util.Map;

/** Receives the notification service's events; the service posts them to Event Admin when one is present. */
@FunctionalInterface
interface EventSink {
    /**
     * Posts an event.
     *
     * @param topic the topic, one of {@link notification.api.NotificationEvents}
     * @param properties the properties
     */
    void post(String topic, Map<String, Object> properties);
}
