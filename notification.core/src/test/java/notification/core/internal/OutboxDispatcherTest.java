package notification.core.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import notification.api.DeliveryState;
import notification.api.Notification;
import notification.api.NotificationEvents;
import notification.api.Person;
import notification.api.Receipt;
import notification.api.transport.DeliveryResult;
import notification.api.transport.OutgoingMessage;
import notification.api.transport.TransportLimits;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.service.event.Event;

/**
 * How the dispatcher treats transports that misbehave, what it tells through events and the From line, and how it
 * sleeps, prunes, wakes and stops.
 */
class OutboxDispatcherTest {
    private static final String LOOP = "notification-dispatcher";
    @TempDir
    Path dir;
    OutboxNotificationService service;
    final List<Event> events = Collections.synchronizedList(new ArrayList<>());
    /** For the tests that run a dispatcher on an outbox of their own, with a clock they move by hand. */
    private final OutboxStoreContract.TestClock clock = new OutboxStoreContract.TestClock();
    private final TransportRegistry registry = new TransportRegistry();
    private Outbox outbox;
    private OutboxDispatcher dispatcher;

    private void open(List<String> transports) throws Exception {
        service = RecordingServices.quick(dir, transports, events);
    }

    @AfterEach
    void close() {
        if (service != null) {
            service.close();
        }
        if (dispatcher != null) {
            dispatcher.stop();
        }
        if (outbox != null) {
            outbox.close();
        }
    }

    private static CoreSettings settings(List<String> transports, String pattern) {
        return new CoreSettings(transports, Duration.ofMinutes(5), Duration.ofHours(1), Duration.ofDays(5), pattern,
                998);
    }

    /** Starts a dispatcher on an outbox of the test's own. */
    private void start(Supplier<CoreSettings> settings) throws Exception {
        start(clock, settings);
    }

    private void start(java.time.Clock clock, Supplier<CoreSettings> settings) throws Exception {
        outbox = new Outbox(dir.resolve("outbox"), clock, 64L << 20);
        dispatcher = new OutboxDispatcher(outbox, registry, settings, new MailClassLoader(() -> null),
                (topic, props) -> events.add(new Event(topic, props)), StartupGate.alwaysOpen());
        dispatcher.start();
    }

    private StoredEntry store(String id, Person onBehalfOf) throws Exception {
        StoredEntry e = new StoredEntry(id, "<" + id + "@test>", null, id, List.of("a@example.com"),
                onBehalfOf == null ? null : onBehalfOf.name(), onBehalfOf == null ? null : onBehalfOf.address(),
                clock.instant());
        SpillBuffer body = outbox.newBody(id);
        body.write(("Subject: " + id + "\r\n\r\nbody\r\n").getBytes(StandardCharsets.US_ASCII));
        outbox.submit(e, body);
        return e;
    }

    private DeliveryState stateOf(String id) {
        return outbox.find(id).map(e -> e.state()).orElse(null);
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

    @Test
    void aFromLineIsBuiltAgainWhenTheOnBehalfAddressOrTheNamePatternChanges() throws Exception {
        AtomicReference<String> pattern = new AtomicReference<>("{name}");
        start(() -> settings(List.of("relay"), pattern.get()));
        ScriptedTransport relay = new ScriptedTransport("relay@example.com", "Relay");
        relay.limits = TransportLimits.SINGLE_CONNECTION;
        store("entry-0001", new Person("Jane Roe", "jane@example.com"));
        store("entry-0002", new Person(null, "jane@example.com"));
        store("entry-0003", new Person(null, "john@example.com"));
        registry.bind("relay", "test", 0, 1, relay);
        dispatcher.wake();
        Poll.until("three sent", Duration.ofSeconds(10), () -> stateOf("entry-0003") == DeliveryState.SENT);
        pattern.set("{name} via print");
        store("entry-0004", new Person(null, "john@example.com"));
        Poll.until("the fourth sent", Duration.ofSeconds(10), () -> stateOf("entry-0004") == DeliveryState.SENT);

        List<String> froms = relay.delivered.stream().map(d -> d.text().substring(0, d.text().indexOf("\r\n")))
                .toList();
        assertEquals(List.of("From: Jane Roe <relay@example.com>", "From: \"jane@example.com\" <relay@example.com>",
                "From: \"john@example.com\" <relay@example.com>",
                "From: \"john@example.com via print\" <relay@example.com>"), froms);
    }

    @Test
    void aDispatchAfterTheKeepWindowForgetsTheSentEntries() throws Exception {
        start(() -> settings(List.of("relay"), "{name}"));
        registry.bind("relay", "test", 0, 1, new ScriptedTransport("relay@example.com", "Relay"));
        store("entry-0001", null);
        dispatcher.wake();
        Poll.until("sent", Duration.ofSeconds(10), () -> stateOf("entry-0001") == DeliveryState.SENT);

        clock.advance(Outbox.KEEP_SENT.plusMinutes(1));
        store("entry-0002", null); // wakes the dispatcher
        Poll.until("the second sent", Duration.ofSeconds(10), () -> stateOf("entry-0002") == DeliveryState.SENT);
        Poll.until("the first forgotten", Duration.ofSeconds(10), () -> outbox.find("entry-0001").isEmpty());
    }

    @Test
    void anIdleDispatcherLooksAgainOnlyWhenWokenOrWhenTheNextEntryIsDue() throws Exception {
        AtomicInteger looks = new AtomicInteger();
        start(() -> {
            looks.incrementAndGet();
            return settings(List.of("relay"), "{name}");
        });
        StoredEntry later = new StoredEntry("entry-0001", "<entry-0001@test>", null, "s", List.of("a@example.com"),
                null, null, clock.instant());
        later.nextAttemptAt = clock.instant().plus(Duration.ofHours(1));
        SpillBuffer body = outbox.newBody(later.id);
        body.write("Subject: s\r\n\r\nbody\r\n".getBytes(StandardCharsets.US_ASCII));
        outbox.submit(later, body);
        dispatcher.wake();
        Poll.until("a look at the outbox", Duration.ofSeconds(10), () -> looks.get() > 0);
        Thread.sleep(300); // waiting, not polling, for the entry due in an hour
        int seen = looks.get();
        assertTrue(seen <= 10, seen + " looks while the only entry is due in an hour (a start, a submit, a wake-up)");

        assertTrue(outbox.discard("entry-0001"));
        dispatcher.wake();
        Poll.until("a look after the wake-up", Duration.ofSeconds(10), () -> looks.get() > seen);
        Thread.sleep(300); // waiting, not polling, with nothing in the outbox
        assertTrue(looks.get() <= seen + 10, looks.get() - seen + " looks with nothing to do (a wake-up)");
    }

    @Test
    void stopInterruptsTheDispatcherInTheMiddleOfALookAndReturnsOnlyOnceItHasEnded() throws Exception {
        AtomicBoolean hold = new AtomicBoolean();
        CountDownLatch inside = new CountDownLatch(1);
        CountDownLatch letGo = new CountDownLatch(1);
        AtomicBoolean interrupted = new AtomicBoolean();
        AtomicReference<Thread> stopper = new AtomicReference<>();
        AtomicReference<Thread.State> stopperMeanwhile = new AtomicReference<>();
        start(() -> {
            if (Thread.currentThread().getName().equals(LOOP) && hold.get() && inside.getCount() > 0) {
                inside.countDown(); // a look that blocks, like a store waiting for its lock or its database
                try {
                    letGo.await();
                } catch (InterruptedException e) {
                    interrupted.set(true);
                }
                Thread s = stopper.get();
                Poll.until("stop waiting or returned", Duration.ofSeconds(30), () -> s.getState()
                        == Thread.State.TIMED_WAITING || s.getState() == Thread.State.TERMINATED);
                stopperMeanwhile.set(s.getState());
            }
            return settings(List.of("relay"), "{name}");
        });
        try {
            hold.set(true);
            dispatcher.wake();
            assertTrue(inside.await(30, TimeUnit.SECONDS), "the dispatcher is looking");
            Thread s = new Thread(dispatcher::stop, "stopper");
            stopper.set(s);
            s.start();
            s.join(60_000);
            assertTrue(interrupted.get(), "stop interrupted the dispatcher's thread");
            assertEquals(Thread.State.TIMED_WAITING, stopperMeanwhile.get(),
                    "stop was still waiting while the dispatcher ended its look");
        } finally {
            letGo.countDown();
        }
    }

    @Test
    void aTransportThatLeavesWhileAtItsRateLetsTheNextOneDeliverAtOnce() throws Exception {
        start(() -> settings(List.of("first", "second"), "{name}"));
        ScriptedTransport first = new ScriptedTransport("first@example.com", "First");
        first.limits = new TransportLimits(4, 1, 0, 0);
        ScriptedTransport second = new ScriptedTransport("second@example.com", "Second");
        registry.bind("first", "test", 0, 1, first);
        store("entry-0001", null);
        dispatcher.wake();
        Poll.until("the first sent", Duration.ofSeconds(10), () -> stateOf("entry-0001") == DeliveryState.SENT);
        store("entry-0002", null); // the first transport may send again in a minute (the clock stands still)
        registry.bind("second", "test", 0, 2, second);

        dispatcher.drain(registry.unbind(first), Duration.ofSeconds(5));
        Poll.until("the second entry sent by the second transport", Duration.ofSeconds(10),
                () -> second.delivered.size() == 1);
        assertEquals("entry-0002", second.delivered.get(0).id());
    }

    @Test
    void aJournalOutcomeIsRecordedBeforeTheConnectionTakesTheNextMessage() throws Exception {
        start(() -> settings(List.of("relay"), "{name}"));
        List<String> unrecorded = Collections.synchronizedList(new ArrayList<>());
        ScriptedTransport relay = new ScriptedTransport("relay@example.com", "Relay") {
            @Override
            public DeliveryResult deliver(OutgoingMessage message) {
                synchronized (delivered) {
                    delivered.stream().map(Delivered::id).filter(id -> stateOf(id) != DeliveryState.SENT)
                            .forEach(id -> unrecorded.add(id + " before " + message.notificationId()));
                }
                return super.deliver(message);
            }
        };
        relay.limits = TransportLimits.SINGLE_CONNECTION;
        int n = 30;
        for (int i = 1; i <= n; i++) {
            store(String.format("entry-%04d", i), null);
        }
        registry.bind("relay", "test", 0, 1, relay);
        dispatcher.wake();
        Poll.until("all sent", Duration.ofSeconds(20), () -> stateOf(String.format("entry-%04d", n))
                == DeliveryState.SENT && relay.delivered.size() == n);
        assertEquals(List.of(), unrecorded);
    }

    @Test
    void stopWaitsForTheSendInProgressAndStartsNoOther() throws Exception {
        start(() -> settings(List.of("relay"), "{name}"));
        CountDownLatch sending = new CountDownLatch(1);
        CountDownLatch finishSend = new CountDownLatch(1);
        ScriptedTransport relay = new ScriptedTransport("relay@example.com", "Relay") {
            @Override
            public DeliveryResult deliver(OutgoingMessage message) {
                sending.countDown();
                try {
                    finishSend.await(30, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return super.deliver(message);
            }
        };
        relay.limits = TransportLimits.SINGLE_CONNECTION;
        store("entry-0001", null);
        store("entry-0002", null);
        registry.bind("relay", "test", 0, 1, relay);
        dispatcher.wake();
        try {
            assertTrue(sending.await(30, TimeUnit.SECONDS), "the first send started");
            Thread stopper = new Thread(dispatcher::stop, "stopper");
            stopper.start();
            Poll.until("stop waiting for the send", Duration.ofSeconds(30),
                    () -> stopper.getState() == Thread.State.TIMED_WAITING);
            finishSend.countDown();
            stopper.join(60_000);
            assertEquals(Thread.State.TERMINATED, stopper.getState());
        } finally {
            finishSend.countDown();
        }
        assertEquals(List.of("entry-0001"), relay.delivered.stream().map(ScriptedTransport.Delivered::id).toList());
        assertEquals(DeliveryState.SENT, stateOf("entry-0001"), "the send in progress was recorded");
        assertEquals(DeliveryState.QUEUED, stateOf("entry-0002"), "and nothing else was started");
    }

    /** A clock standing still that, once armed, holds the dispatcher's loop where it next looks at the time. */
    private static final class HoldingClock extends java.time.Clock {
        volatile boolean armed;
        final CountDownLatch holding = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);

        @Override
        public Instant instant() {
            if (armed && Thread.currentThread().getName().equals(LOOP) && StackWalker.getInstance()
                    .walk(frames -> frames.skip(1).findFirst()).orElseThrow().getMethodName().equals("dispatchDue")) {
                holding.countDown();
                try {
                    release.await(60, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            return OutboxStoreContract.START;
        }

        @Override
        public java.time.ZoneId getZone() {
            return java.time.ZoneOffset.UTC;
        }

        @Override
        public java.time.Clock withZone(java.time.ZoneId zone) {
            return this;
        }
    }

    @Test
    void aDeliveryThreadGoesOnWithTheNextMessagesWhileTheDispatcherIsBusy() throws Exception {
        HoldingClock holding = new HoldingClock();
        start(holding, () -> settings(List.of("relay"), "{name}"));
        ScriptedTransport relay = new ScriptedTransport("relay@example.com", "Relay") {
            @Override
            public DeliveryResult deliver(OutgoingMessage message) {
                if (!holding.armed) {
                    holding.armed = true;
                    try {
                        assertTrue(holding.holding.await(30, TimeUnit.SECONDS), "the dispatcher is held");
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
                return super.deliver(message);
            }
        };
        relay.limits = TransportLimits.SINGLE_CONNECTION;
        for (int i = 1; i <= 3; i++) {
            store(String.format("entry-%04d", i), null);
        }
        registry.bind("relay", "test", 0, 1, relay);
        dispatcher.wake();
        try {
            Poll.until("all three sent while the dispatcher is held", Duration.ofSeconds(20),
                    () -> relay.delivered.size() == 3);
            assertEquals(List.of("entry-0001", "entry-0002", "entry-0003"),
                    relay.delivered.stream().map(ScriptedTransport.Delivered::id).toList());
        } finally {
            holding.release.countDown();
        }
    }
}
