package notification.core.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import notification.api.DeliveryState;
import notification.api.transport.DeliveryResult;
import notification.api.transport.TransportHealth;
import notification.api.transport.TransportLimits;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which delivery may start now, through which transport, and when to look again when none may. */
class DeliveryPickerTest {
    @TempDir
    Path dir;
    private final OutboxStoreContract.TestClock clock = new OutboxStoreContract.TestClock();
    private final TransportRegistry registry = new TransportRegistry();
    private volatile List<String> order = List.of("first", "second");
    private Outbox outbox;
    private DeliveryPicker picker;

    @BeforeEach
    void open() throws Exception {
        outbox = new Outbox(dir.resolve("outbox"), clock, 64L << 20);
        picker = new DeliveryPicker(outbox, registry, this::settings);
    }

    private CoreSettings settings() {
        return new CoreSettings(order, Duration.ofMinutes(5), Duration.ofHours(1), Duration.ofDays(5), "{name}", 998);
    }

    @AfterEach
    void close() {
        outbox.close();
    }

    private void submit(String id, String... recipients) throws Exception {
        StoredEntry e = new StoredEntry(id, "<" + id + "@test>", null, id, List.of(recipients), null, null,
                clock.instant());
        SpillBuffer body = outbox.newBody(id);
        body.write(("Subject: " + id + "\r\n\r\nbody").getBytes(StandardCharsets.US_ASCII));
        outbox.submit(e, body);
    }

    private ScriptedTransport bind(String name, TransportLimits limits) {
        ScriptedTransport t = new ScriptedTransport(name + "@example.com", name);
        t.limits = limits;
        registry.bind(name, "test", 0, name.hashCode(), t);
        return t;
    }

    @Test
    void theEntryDueFirstGoesToTheFirstHealthyTransportInOrder() throws Exception {
        bind("first", new TransportLimits(4, 0, 0, 0)).health = TransportHealth.of(TransportHealth.State.AUTHORIZATION_REQUIRED,
                "down");
        bind("second", new TransportLimits(4, 0, 0, 0));
        submit("entry-0001", "a@example.com", "b@example.com");
        submit("entry-0002", "c@example.com");

        DeliveryPicker.Pick pick = picker.pick(clock.instant());
        assertEquals("entry-0001", pick.dispatch().id());
        assertEquals("second", pick.transport().name);
        assertEquals(List.of("a@example.com", "b@example.com"), pick.dispatch().recipients());
        assertNull(pick.wakeAt());
        assertEquals(DeliveryState.SENDING, outbox.find("entry-0001").get().state());
        assertEquals("entry-0002", picker.pickIfFree(clock.instant()).dispatch().id(), "nobody else is picking");
    }

    @Test
    void nothingWaitingMeansSleepUntilWoken() throws Exception {
        bind("first", new TransportLimits(4, 0, 0, 0));
        assertEquals(DeliveryPicker.Pick.NONE, picker.pick(clock.instant()));
    }

    @Test
    void anEntryNotYetDueIsLeftAndTheWakeUpIsAtItsTime() throws Exception {
        bind("first", new TransportLimits(4, 0, 0, 0));
        submit("entry-0001", "a@example.com");
        DeliveryPicker.Pick first = picker.pick(clock.instant());
        DeliveryOutcome later = DeliveryOutcome.of(first.dispatch().entry(),
                DeliveryResult.transientFailure("451 later"), OutboxStoreContract.SCHEDULE, clock.instant());
        outbox.finish(first.dispatch(), later, "first");
        registry.release(first.transport(), first.dispatch());

        DeliveryPicker.Pick pick = picker.pick(clock.instant().plusSeconds(299));
        assertNull(pick.dispatch());
        assertEquals(clock.instant().plus(Duration.ofMinutes(5)), pick.wakeAt());
        assertNotNull(picker.pick(clock.instant().plus(Duration.ofMinutes(5))).dispatch(), "due at exactly its time");
    }

    @Test
    void withNoTransportBoundTheEntryWaitsUntilOneComes() throws Exception {
        submit("entry-0001", "a@example.com");
        DeliveryPicker.Pick pick = picker.pick(clock.instant());
        assertNull(pick.dispatch());
        assertNull(pick.wakeAt(), "binding a transport wakes the dispatcher");
        assertEquals(DeliveryState.QUEUED, outbox.find("entry-0001").get().state());
    }

    @Test
    void withOnlyUnhealthyOrBusyTransportsHealthIsCheckedAgainShortly() throws Exception {
        ScriptedTransport t = bind("first", new TransportLimits(1, 0, 0, 0));
        t.health = TransportHealth.of(TransportHealth.State.AUTHORIZATION_REQUIRED, "down");
        submit("entry-0001", "a@example.com");
        submit("entry-0002", "b@example.com");
        Instant now = clock.instant();
        assertEquals(new DeliveryPicker.Pick(null, null, now.plus(DeliveryPicker.HEALTH_RECHECK)), picker.pick(now));

        t.health = TransportHealth.ok("up");
        assertEquals("entry-0001", picker.pick(now).dispatch().id());
        assertEquals(new DeliveryPicker.Pick(null, null, now.plus(DeliveryPicker.HEALTH_RECHECK)), picker.pick(now),
                "its only connection is in use");
        assertEquals(DeliveryState.QUEUED, outbox.find("entry-0002").get().state());
    }

    @Test
    void aTransportAtItsRateWaitsUntilTheNextMessageIsAllowed() throws Exception {
        bind("first", new TransportLimits(4, 1, 0, 0));
        submit("entry-0001", "a@example.com");
        submit("entry-0002", "b@example.com");
        Instant now = clock.instant();
        assertEquals("entry-0001", picker.pick(now).dispatch().id());

        DeliveryPicker.Pick pick = picker.pick(now);
        assertNull(pick.dispatch());
        assertNotNull(pick.wakeAt());
        assertEquals(now.plus(Duration.ofMinutes(1)), pick.wakeAt(), "one message a minute");
        assertEquals(DeliveryState.QUEUED, outbox.find("entry-0002").get().state(), "handed back unchanged");
    }

    @Test
    void aPickWhileAnotherThreadPicksGivesNothingAndOnceItIsDoneTheNextPickGoesOn() throws Exception {
        bind("first", new TransportLimits(4, 0, 0, 0));
        submit("entry-0001", "a@example.com");
        submit("entry-0002", "b@example.com");
        Thread test = Thread.currentThread();
        CountDownLatch inside = new CountDownLatch(1);
        CountDownLatch goOn = new CountDownLatch(1);
        DeliveryPicker picker = new DeliveryPicker(outbox, registry, () -> {
            if (Thread.currentThread() != test && inside.getCount() > 0) {
                inside.countDown(); // the other thread is in the middle of its pick until the test lets it go on
                try {
                    goOn.await(30, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            return settings();
        });
        ExecutorService other = Executors.newSingleThreadExecutor();
        try {
            Future<DeliveryPicker.Pick> first = other.submit(() -> picker.pick(clock.instant()));
            assertTrue(inside.await(30, TimeUnit.SECONDS), "the other thread is picking");
            assertEquals(DeliveryPicker.Pick.NONE, picker.pickIfFree(clock.instant()), "no waiting for it");
            goOn.countDown();
            assertEquals("entry-0001", first.get(30, TimeUnit.SECONDS).dispatch().id());

            DeliveryPicker.Pick next = picker.pickIfFree(clock.instant());
            assertNotNull(next.dispatch(), "the other thread let go of the pick when it was done");
            assertEquals("entry-0002", next.dispatch().id());
        } finally {
            goOn.countDown();
            other.shutdownNow();
        }
    }
}
