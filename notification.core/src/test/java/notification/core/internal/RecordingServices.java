package notification.core.internal;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.osgi.service.event.Event;
import org.osgi.service.event.EventAdmin;

/** Opens an outbox service for dispatcher tests: real files, short retry delays, every event kept in a list. */
final class RecordingServices {
    private RecordingServices() {
    }

    /**
     * Opens a service whose first retry waits 100 ms, at most 200 ms, for a day.
     *
     * @param dir the folder the outbox goes into
     * @param transports the configured transport names in order
     * @param events receives every event the service posts or sends
     * @return the open service
     */
    static OutboxNotificationService quick(Path dir, List<String> transports, List<Event> events) throws Exception {
        return open(dir, new CoreSettings(transports, Duration.ofMillis(100), Duration.ofMillis(200), Duration.ofDays(1),
                "{name}", 998), events);
    }

    /**
     * Opens a service with the given settings.
     *
     * @param dir the folder the outbox goes into
     * @param settings the core settings
     * @param events receives every event the service posts or sends
     * @return the open service
     */
    static OutboxNotificationService open(Path dir, CoreSettings settings, List<Event> events) throws Exception {
        OutboxNotificationService service = new OutboxNotificationService(dir.resolve("outbox"), settings,
                Clock.systemUTC());
        service.eventAdmin(new EventAdmin() {
            @Override
            public void postEvent(Event event) {
                events.add(event);
            }

            @Override
            public void sendEvent(Event event) {
                events.add(event);
            }
        });
        return service;
    }
}
