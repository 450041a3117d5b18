package notification.core.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import notification.api.DeliveryState;
import notification.api.Notification;
import notification.api.NotificationEvents;
import notification.api.Person;
import notification.api.Receipt;
import notification.api.transport.DeliveryResult;
import notification.api.transport.OutgoingMessage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.service.event.Event;

/** How the dispatcher treats transports that misbehave, and what it tells through events and the From line. */
class OutboxDispatcherTest {
    @TempDir
    Path dir;
    OutboxNotificationService service;
    final List<Event> events = Collections.synchronizedList(new ArrayList<>());

    private void open(List<String> transports) throws Exception {
        service = RecordingServices.quick(dir, transports, events);
    }

    @AfterEach
    void close() {
        service.close();
    }

    private Receipt submit(String subject, String to) {
        return service.submit(Notification.builder().to(to).subject(subject).text("body").build());
    }

    private List<String> topics() {
        synchronized (events) {
            return events.stream().map(Event::getTopic).toList();
        }
    }

    @Test
    void aTransportThatThrowsCountsAsATransientFailureAndTheEntryIsRetried() throws Exception {
        open(List.of("relay"));
        AtomicInteger calls = new AtomicInteger();
        ScriptedTransport relay = new ScriptedTransport("relay@example.com", "Relay") {
            @Override
            public DeliveryResult deliver(OutgoingMessage message) {
                if (calls.incrementAndGet() == 1) {
                    throw new IllegalStateException("socket gone");
                }
                return super.deliver(message);
            }
        };
        service.bind("relay", relay);
        Receipt r = submit("a", "a@example.com");
        Poll.until("sent on the second attempt", Duration.ofSeconds(10),
                () -> service.find(r.id()).get().state() == DeliveryState.SENT);
        assertEquals(2, service.find(r.id()).get().attempts());
        Poll.until("two events", Duration.ofSeconds(5), () -> events.size() == 2);
        assertEquals(List.of(NotificationEvents.TOPIC_DEFERRED, NotificationEvents.TOPIC_SENT), topics());
        String reason = events.get(0).getProperty(NotificationEvents.REASON).toString();
        assertTrue(reason.contains("'relay' failed") && reason.contains("socket gone"), reason);
        assertEquals(r.messageId(), events.get(1).getProperty(NotificationEvents.MESSAGE_ID));
        assertEquals(2, relay.delivered.get(0).attempt(), "the transport saw the attempt number");
    }

    @Test
    void aTransportWhoseSenderCannotBeReadGetsTheEntryBackWithoutAnAttempt() throws Exception {
        open(List.of("relay"));
        AtomicInteger calls = new AtomicInteger();
        ScriptedTransport relay = new ScriptedTransport("relay@example.com", "Relay") {
            @Override
            public Person sender() {
                if (calls.incrementAndGet() == 1) {
                    throw new IllegalArgumentException("no From address configured");
                }
                return super.sender();
            }
        };
        service.bind("relay", relay);
        Receipt r = submit("a", "a@example.com");
        Poll.until("sent", Duration.ofSeconds(10), () -> service.find(r.id()).get().state() == DeliveryState.SENT);
        assertEquals(1, service.find(r.id()).get().attempts(), "nothing was sent the first time");
        Poll.until("an event", Duration.ofSeconds(5), () -> events.size() == 1);
        assertEquals(List.of(NotificationEvents.TOPIC_SENT), topics());
        assertEquals(1, relay.delivered.size());
        assertEquals(1, relay.delivered.get(0).attempt());
    }

    @Test
    void aTransportAnsweringNothingIsPausedAndTheNextOneDeliversWithoutCountingAnAttempt() throws Exception {
        open(List.of("first", "second"));
        ScriptedTransport first = new ScriptedTransport("first@example.com", "First") {
            @Override
            public DeliveryResult deliver(OutgoingMessage message) {
                return null;
            }
        };
        ScriptedTransport second = new ScriptedTransport("second@example.com", "Second");
        service.bind("first", first);
        service.bind("second", second);
        Receipt r = submit("a", "a@example.com");
        Poll.until("sent by the second", Duration.ofSeconds(10), () -> second.delivered.size() == 1);
        Poll.until("recorded", Duration.ofSeconds(5), () -> service.find(r.id()).get().state() == DeliveryState.SENT);
        assertEquals(1, service.find(r.id()).get().attempts());
        assertEquals("second", service.find(r.id()).get().transport());
        assertEquals(1, second.delivered.get(0).attempt());
    }

    @Test
    void theFromLineIsTheDeliveringTransportsMailbox() throws Exception {
        open(List.of("relay"));
        ScriptedTransport relay = new ScriptedTransport("relay@example.com", "Relay");
        service.bind("relay", relay);
        submit("a", "a@example.com");
        Poll.until("first sent", Duration.ofSeconds(10), () -> relay.delivered.size() == 1);
        service.unbind(relay);
        ScriptedTransport other = new ScriptedTransport("other@example.com", "Other");
        service.bind("relay", other);
        submit("b", "b@example.com");
        Poll.until("second sent", Duration.ofSeconds(10), () -> other.delivered.size() == 1);

        assertTrue(relay.delivered.get(0).text().startsWith("From: Relay <relay@example.com>\r\n"),
                relay.delivered.get(0).text());
        assertTrue(other.delivered.get(0).text().startsWith("From: Other <other@example.com>\r\n"),
                other.delivered.get(0).text());
        assertEquals("other@example.com", other.delivered.get(0).envelopeFrom());
    }

    @Test
    void aPermanentFailureIsReportedWithTheServersReplyAndMessageId() throws Exception {
        open(List.of("relay"));
        ScriptedTransport relay = new ScriptedTransport("relay@example.com", "Relay");
        relay.then(DeliveryResult.permanentFailure("550 5.1.1 no such user"));
        service.bind("relay", relay);
        Receipt r = submit("a", "nobody@example.com");
        Poll.until("an event", Duration.ofSeconds(10), () -> events.size() == 1);
        Event e = events.get(0);
        assertEquals(NotificationEvents.TOPIC_FAILED, e.getTopic());
        assertEquals("FAILED", e.getProperty(NotificationEvents.STATE));
        assertEquals(r.id(), e.getProperty(NotificationEvents.ID));
        assertEquals(r.messageId(), e.getProperty(NotificationEvents.MESSAGE_ID));
        assertEquals("550 5.1.1 no such user", e.getProperty(NotificationEvents.REASON));
        assertEquals(DeliveryState.FAILED, service.find(r.id()).get().state());
    }

    @Test
    void eachEntryCarriesTheNameOfThePersonItIsSentOnBehalfOf() throws Exception {
        open(List.of("relay"));
        ScriptedTransport relay = new ScriptedTransport("relay@example.com", "Relay");
        List<Person> people = java.util.Arrays.asList(new Person("Jane Roe", "jane@example.com"),
                new Person("John Doe", "john@example.com"), null, new Person("Jane Roe", "jane@example.com"),
                new Person("Jane Roe", "jane.roe@example.com"), new Person(null, "jane@example.com"));
        List<String> expected = List.of("Jane Roe", "John Doe", "Relay", "Jane Roe", "Jane Roe",
                "\"jane@example.com\"");
        List<String> ids = new ArrayList<>();
        for (Person p : people) {
            Notification.Builder b = Notification.builder().to("a@example.com").subject("s").text("body");
            ids.add(service.submit((p == null ? b : b.onBehalfOf(p)).build()).id());
        }
        service.bind("relay", relay);
        Poll.until("all sent", Duration.ofSeconds(10), () -> relay.delivered.size() == people.size());
        for (int i = 0; i < ids.size(); i++) {
            String id = ids.get(i);
            String text = relay.delivered.stream().filter(d -> d.id().equals(id)).findFirst().orElseThrow().text();
            assertTrue(text.startsWith("From: " + expected.get(i) + " <relay@example.com>\r\n"), i + ": " + text);
        }
    }
}
