package notification.core.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import notification.api.DeliveryState;
import notification.api.Notification;
import notification.api.NotificationEvents;
import notification.api.Receipt;
import notification.api.TransportStatus;
import notification.api.transport.DeliveryResult;
import notification.api.transport.DeliveryResult.RecipientResult;
import notification.api.transport.DeliveryResult.Status;
import notification.api.transport.TransportHealth;
import notification.api.transport.TransportLimits;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.service.event.Event;

/** The dispatcher: transport order and failover, limits, waiting without a transport, per-recipient retries, events. */
class DispatcherTest {
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

    private Receipt submit(String subject, String... to) {
        return service.submit(Notification.builder().to(to).subject(subject).text("body").reference("job-" + subject)
                .build());
    }

    private long count(DeliveryState s) {
        return service.counts().get(s);
    }

    @Test
    void withoutATransportNotificationsWaitAndGoOutWhenOneAppears() throws Exception {
        open(List.of("relay"));
        for (int i = 0; i < 5; i++) {
            submit("n" + i, "a@example.com");
        }
        Thread.sleep(300);
        assertEquals(5L, count(DeliveryState.QUEUED));
        ScriptedTransport other = new ScriptedTransport("x@example.com", "X");
        service.bind("not-configured", other);
        Thread.sleep(300);
        assertEquals(0, other.delivered.size(), "only configured transports deliver");
        ScriptedTransport relay = new ScriptedTransport("relay@example.com", "Relay");
        service.bind("relay", relay);
        Poll.until("all sent", Duration.ofSeconds(10), () -> count(DeliveryState.SENT) == 5);
        assertEquals(5, relay.delivered.size());
        Poll.until("events", Duration.ofSeconds(5), () -> events.size() == 5);
        Event e = events.get(0);
        assertEquals(NotificationEvents.TOPIC_SENT, e.getTopic());
        assertEquals("SENT", e.getProperty(NotificationEvents.STATE));
        assertEquals("relay", e.getProperty(NotificationEvents.TRANSPORT));
        assertTrue(e.getProperty(NotificationEvents.REFERENCE).toString().startsWith("job-n"));
    }

    @Test
    void failsOverWhenTheFirstNeedsAuthorizationOrIsUnavailable() throws Exception {
        open(List.of("m365", "relay"));
        ScriptedTransport m365 = new ScriptedTransport("scanner@contoso.example", "Scanner");
        m365.health = TransportHealth.of(TransportHealth.State.AUTHORIZATION_REQUIRED, "sign in");
        ScriptedTransport relay = new ScriptedTransport("relay@example.com", "Relay");
        service.bind("m365", m365);
        service.bind("relay", relay);
        List<TransportStatus> status = service.transports();
        assertEquals(List.of("m365", "relay"), status.stream().map(TransportStatus::name).toList());
        assertFalse(status.get(0).active());
        assertTrue(status.get(1).active());
        submit("a", "a@example.com");
        Poll.until("sent via relay", Duration.ofSeconds(10), () -> relay.delivered.size() == 1);
        assertEquals(0, m365.delivered.size());

        m365.health = TransportHealth.ok("Ready");
        m365.then(DeliveryResult.unavailable("token revoked"));
        Receipt r = submit("b", "b@example.com");
        Poll.until("sent via relay after UNAVAILABLE", Duration.ofSeconds(10), () -> relay.delivered.size() == 2);
        Poll.until("recorded", Duration.ofSeconds(5), () -> service.find(r.id()).get().state() == DeliveryState.SENT);
        assertEquals("relay", service.find(r.id()).get().transport());
        assertEquals(0, service.find(r.id()).get().attempts() - 1, "an UNAVAILABLE answer is not an attempt");
    }

    @Test
    void onlyTheRecipientsThatFailedAreRetried() throws Exception {
        open(List.of("relay"));
        ScriptedTransport relay = new ScriptedTransport("relay@example.com", "Relay");
        relay.then(DeliveryResult.perRecipient(List.of(
                new RecipientResult("a@example.com", Status.SENT, "250"),
                new RecipientResult("b@example.com", Status.TRANSIENT, "451 later"),
                new RecipientResult("c@example.com", Status.SENT, "250")), "partial"));
        service.bind("relay", relay);
        Receipt r = submit("p", "a@example.com", "b@example.com", "c@example.com");
        Poll.until("second attempt", Duration.ofSeconds(10), () -> service.find(r.id()).get().state() == DeliveryState.SENT);
        assertEquals(List.of("a@example.com", "b@example.com", "c@example.com"), relay.delivered.get(0).recipients());
        assertEquals(List.of("b@example.com"), relay.delivered.get(1).recipients());
        assertEquals(2, service.find(r.id()).get().attempts());
        Poll.until("events", Duration.ofSeconds(5), () -> events.size() == 2);
        assertEquals(NotificationEvents.TOPIC_DEFERRED, events.get(0).getTopic());
        assertEquals(NotificationEvents.TOPIC_SENT, events.get(1).getTopic());
    }

    @Test
    void aPermanentFailureStaysVisibleAndCanBeRetriedOrDiscarded() throws Exception {
        open(List.of("relay"));
        ScriptedTransport relay = new ScriptedTransport("relay@example.com", "Relay");
        relay.then(DeliveryResult.permanentFailure("550 5.1.1 user unknown"));
        service.bind("relay", relay);
        Receipt r = submit("f", "nobody@example.com");
        Poll.until("failed", Duration.ofSeconds(10), () -> service.find(r.id()).get().state() == DeliveryState.FAILED);
        assertEquals("550 5.1.1 user unknown", service.find(r.id()).get().lastError());
        Poll.until("event", Duration.ofSeconds(5), () -> events.size() == 1);
        assertEquals(NotificationEvents.TOPIC_FAILED, events.get(0).getTopic());
        assertEquals("550 5.1.1 user unknown", events.get(0).getProperty(NotificationEvents.REASON));

        assertTrue(service.retry(r.id()));
        Poll.until("sent on retry", Duration.ofSeconds(10), () -> service.find(r.id()).get().state() == DeliveryState.SENT);
        assertEquals(List.of("nobody@example.com"), relay.delivered.get(1).recipients());
        assertFalse(service.retry(r.id()), "a sent entry is not retried");
        assertTrue(service.discard(r.id()));
        assertTrue(service.find(r.id()).isEmpty());
    }

    @Test
    void neverExceedsTheTransportsConnectionLimit() throws Exception {
        open(List.of("relay"));
        ScriptedTransport relay = new ScriptedTransport("relay@example.com", "Relay");
        relay.limits = new TransportLimits(2, 0, 0, 0);
        relay.delayMillis = 20;
        service.bind("relay", relay);
        for (int i = 0; i < 30; i++) {
            submit("c" + i, "a@example.com");
        }
        Poll.until("all sent", Duration.ofSeconds(20), () -> count(DeliveryState.SENT) == 30);
        assertEquals(2, relay.maxConcurrent.get());
    }

    @Test
    void anUnavailableAnswerWithRetryAfterLeavesTheTransportAloneThatLongWithoutAnAttempt() throws Exception {
        open(List.of("m365"));
        ScriptedTransport m365 = new ScriptedTransport("scanner@contoso.example", "Scanner");
        m365.limits = new TransportLimits(1, 0, 0, 0);
        m365.then(DeliveryResult.unavailable("30 messages in the last minute", Duration.ofMinutes(10)));
        service.bind("m365", m365);
        Receipt first = submit("a", "a@example.com");
        submit("b", "b@example.com");
        Poll.until("the first offered and refused", Duration.ofSeconds(10), () -> service.transports().stream()
                .noneMatch(TransportStatus::active));
        Thread.sleep(TransportRegistry.UNAVAILABLE_PAUSE.toMillis() + 1_000);
        assertEquals(0, m365.delivered.size(), "nothing offered again within the 10 minutes asked for");
        assertEquals(2L, count(DeliveryState.QUEUED));
        assertEquals(0, service.find(first.id()).get().attempts(), "not attempted, not counted");
    }

    @Test
    void honoursMessagesPerMinute() throws Exception {
        open(List.of("relay"));
        ScriptedTransport relay = new ScriptedTransport("relay@example.com", "Relay");
        relay.limits = new TransportLimits(4, 3, 0, 0);
        service.bind("relay", relay);
        for (int i = 0; i < 5; i++) {
            submit("r" + i, "a@example.com");
        }
        Poll.until("three sent", Duration.ofSeconds(10), () -> count(DeliveryState.SENT) == 3);
        Thread.sleep(500);
        assertEquals(3, relay.delivered.size(), "the fourth waits for the minute to pass");
        assertEquals(2L, count(DeliveryState.QUEUED));
    }

    @Test
    void swappingTransportsDuringABurstLosesNothing() throws Exception {
        open(List.of("first", "second"));
        ScriptedTransport first = new ScriptedTransport("one@example.com", "One");
        first.delayMillis = 2;
        ScriptedTransport second = new ScriptedTransport("two@example.com", "Two");
        service.bind("first", first);
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < 300; i++) {
            ids.add(submit("s" + i, "a@example.com").id());
            if (i == 100) {
                service.bind("second", second);
            }
            if (i == 150) {
                service.unbind(first);
            }
        }
        Poll.until("all sent", Duration.ofSeconds(30), () -> count(DeliveryState.SENT) == 300,
                () -> service.counts().toString());
        Set<String> delivered = new HashSet<>();
        first.delivered.forEach(d -> delivered.add(d.id()));
        second.delivered.forEach(d -> delivered.add(d.id()));
        assertEquals(ids, delivered);
        assertTrue(first.delivered.size() > 0 && second.delivered.size() > 0);
    }

    @Test
    void anUnreadableStoredMessageIsQuarantinedAndTheOthersGoOut() throws Exception {
        open(List.of("relay"));
        byte[] big = new byte[Outbox.INLINE_LIMIT + 1000];
        Receipt broken = service.submit(Notification.builder().to("a@example.com").text("x")
                .attach(notification.api.Attachment.ofBytes("a.bin", "application/octet-stream", big)).build());
        Receipt fine = service.submit(Notification.builder().to("b@example.com").text("y")
                .attach(notification.api.Attachment.ofBytes("b.bin", "application/octet-stream", big)).build());
        java.nio.file.Files.delete(dir.resolve("outbox/messages/" + broken.id() + ".eml"));
        ScriptedTransport relay = new ScriptedTransport("relay@example.com", "Relay");
        service.bind("relay", relay);
        Poll.until("the readable one sent", Duration.ofSeconds(10),
                () -> service.find(fine.id()).get().state() == DeliveryState.SENT);
        Poll.until("the broken one set aside", Duration.ofSeconds(10),
                () -> service.find(broken.id()).get().state() == DeliveryState.QUARANTINED);
        assertTrue(service.find(broken.id()).get().lastError().contains("cannot be read"));
        Poll.until("an event for each", Duration.ofSeconds(5), () -> events.size() == 2);
        Event setAside;
        synchronized (events) {
            setAside = events.stream().filter(e -> broken.id().equals(e.getProperty(NotificationEvents.ID)))
                    .findFirst().orElseThrow();
        }
        assertEquals(NotificationEvents.TOPIC_FAILED, setAside.getTopic());
        assertEquals("QUARANTINED", setAside.getProperty(NotificationEvents.STATE));
        assertEquals(broken.messageId(), setAside.getProperty(NotificationEvents.MESSAGE_ID));
        assertTrue(setAside.getProperty(NotificationEvents.REASON).toString().contains("cannot be read"));
    }

    @Test
    void transientFailuresExpireWhenTheLifetimeRunsOut() throws Exception {
        service = RecordingServices.open(dir, new CoreSettings(List.of("relay"),
                Duration.ofMillis(50), Duration.ofMillis(50), Duration.ofMillis(300), "{name}", 998), events);
        ScriptedTransport relay = new ScriptedTransport("relay@example.com", "Relay");
        for (int i = 0; i < 1000; i++) {
            relay.then(DeliveryResult.transientFailure("421 4.3.2 try again later"));
        }
        service.bind("relay", relay);
        Receipt r = submit("e", "a@example.com");
        Poll.until("expired", Duration.ofSeconds(10), () -> service.find(r.id()).get().state() == DeliveryState.EXPIRED);
        assertTrue(service.find(r.id()).get().lastError().contains("421 4.3.2"));
        assertTrue(service.find(r.id()).get().attempts() >= 2);
        Poll.until("failed event", Duration.ofSeconds(5), () -> events.stream()
                .anyMatch(e -> e.getTopic().equals(NotificationEvents.TOPIC_FAILED)));
        int attempts = relay.delivered.size();
        Thread.sleep(300);
        assertEquals(attempts, relay.delivered.size(), "an expired notification is not tried again");
    }

    @Test
    void queuedNotificationsSurviveARestartWithTheirMessageId() throws Exception {
        open(List.of("relay"));
        Receipt r = submit("restart", "a@example.com");
        service.close();
        open(List.of("relay"));
        assertEquals(DeliveryState.QUEUED, service.find(r.id()).get().state());
        ScriptedTransport relay = new ScriptedTransport("relay@example.com", "Relay");
        service.bind("relay", relay);
        Poll.until("sent", Duration.ofSeconds(10), () -> service.find(r.id()).get().state() == DeliveryState.SENT);
        assertEquals(r.messageId(), relay.delivered.get(0).messageId());
        assertTrue(relay.delivered.get(0).text().contains("Message-ID: " + r.messageId()));
    }

    @Test
    void statusListsConfiguredTransportsEvenWhenAbsent() throws Exception {
        open(List.of("office", "pickup"));
        List<TransportStatus> status = service.transports();
        assertEquals(2, status.size());
        assertFalse(status.get(0).bound());
        assertEquals(TransportHealth.State.NOT_CONFIGURED, status.get(0).health().state());
        assertEquals(1, status.get(1).position());
        assertEquals(Map.of(), Map.of());
    }
}
