package notification.core.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import notification.api.DeliveryState;
import notification.api.OutboxEntry;
import notification.api.transport.DeliveryResult;
import notification.api.transport.DeliveryResult.RecipientResult;
import notification.api.transport.DeliveryResult.Status;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * What every outbox store promises ({@link OutboxStore}), written only against the interface: each state change, with
 * a small (inline) and a large message, survives a clean stop and a crash with its exact state, schedule and bytes.
 * A store's test extends this class and says how to open, close and crash it.
 */
public abstract class OutboxStoreContract {
    /** How a store stops before it is opened again. */
    protected enum Ending { CLOSE, CRASH }

    /** The size of a message. */
    protected enum Size { SMALL, LARGE }

    protected static final Instant START = Instant.parse("2026-12-01T08:00:00Z");
    protected static final RetrySchedule SCHEDULE = new RetrySchedule(Duration.ofMinutes(5), Duration.ofHours(1),
            Duration.ofDays(2));

    /** A clock the test moves by hand. */
    protected static final class TestClock extends Clock {
        private volatile Instant now = START;

        @Override
        public Instant instant() {
            return now;
        }

        void advance(Duration d) {
            now = now.plus(d);
        }

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }
    }

    protected final TestClock clock = new TestClock();
    private OutboxStore store;

    /**
     * Opens the store under test: empty the first time, then on what the previous instance left.
     *
     * @param clock the clock it must schedule with
     * @return the store
     */
    protected abstract OutboxStore open(Clock clock) throws Exception;

    /**
     * Crashes a store: it stops at once, and only what it had made durable stays (for a file store: a power cut).
     *
     * @param store the store, not used afterwards
     */
    protected abstract void crash(OutboxStore store) throws Exception;

    /** How large a message must be to be stored the store's way for large messages. */
    protected int largeMessageBytes() {
        return Outbox.INLINE_LIMIT + 4096;
    }

    /**
     * Checks that nothing of a discarded entry's message is left in the store's storage (beyond what the interface
     * shows); a store checks its files or tables here.
     *
     * @param id the entry's id
     */
    protected void assertMessageGone(String id) throws Exception {
    }

    @AfterEach
    void closeStore() {
        if (store != null) {
            store.close();
        }
    }

    /** The store now in use. */
    protected OutboxStore store() throws Exception {
        if (store == null) {
            store = open(clock);
        }
        return store;
    }

    /** Stops the store the given way and opens it again. */
    protected OutboxStore reopen(Ending ending) throws Exception {
        OutboxStore old = store();
        store = null;
        if (ending == Ending.CLOSE) {
            old.close();
        } else {
            crash(old);
        }
        return store();
    }

    protected byte[] message(String id, Size size) {
        StringBuilder b = new StringBuilder("Message-ID: <" + id + "@test>\r\nSubject: " + id + "\r\n\r\n");
        int target = size == Size.SMALL ? 600 : largeMessageBytes();
        for (int line = 0; b.length() < target; line++) {
            b.append(id).append(" line ").append(line).append(" of the scanned document\r\n");
        }
        return b.toString().getBytes(StandardCharsets.US_ASCII);
    }

    protected StoredEntry submit(String id, Size size, String... recipients) throws Exception {
        StoredEntry e = new StoredEntry(id, "<" + id + "@test>", "ref-" + id, "subject " + id, List.of(recipients),
                null, null, clock.instant());
        SpillBuffer body = store().newBody(id);
        body.write(message(id, size));
        store().submit(e, body);
        return e;
    }

    /** Claims an entry that must be due now. */
    protected Dispatch claim(String id) throws Exception {
        return claimById(id);
    }

    protected DeliveryOutcome finish(Dispatch d, DeliveryResult r) throws Exception {
        DeliveryOutcome o = DeliveryOutcome.of(d.entry(), r, SCHEDULE, clock.instant());
        assertTrue(store().finish(d, o, "relay"));
        return o;
    }

    /** Makes the outcomes recorded so far durable, as the contract allows (a later submit returns). */
    protected void settle() throws Exception {
        submit("entry-zzzz-marker", Size.SMALL, "marker@example.com");
    }

    protected String read(Dispatch d) throws Exception {
        try (InputStream in = store().open(d)) {
            return new String(in.readAllBytes(), StandardCharsets.US_ASCII);
        }
    }

    protected OutboxEntry entry(String id) throws Exception {
        return store().find(id).orElseThrow(() -> new AssertionError(id + " is missing"));
    }

    /** The ids of the entries due at the clock's time, in order, without claiming them. */
    protected List<String> dueIds() throws Exception {
        List<String> ids = new ArrayList<>();
        List<Dispatch> claimed = new ArrayList<>();
        for (OutboxStore.Due due = store().peekDue(); due != null && !due.at().isAfter(clock.instant());
                due = store().peekDue()) {
            Dispatch d = store().claim(due);
            ids.add(d.id());
            claimed.add(d);
        }
        claimed.forEach(d -> {
            try {
                store().handBack(d);
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        });
        return ids;
    }

    /** Claims an entry and checks its message is whole and unchanged, then hands it back. */
    protected void assertSendable(String id, Size size) throws Exception {
        Dispatch d = claimById(id);
        assertEquals(new String(message(id, size), StandardCharsets.US_ASCII), read(d));
        assertEquals("<" + id + "@test>", d.entry().messageId);
        store().handBack(d);
    }

    private Dispatch claimById(String id) throws Exception {
        List<Dispatch> others = new ArrayList<>();
        try {
            for (OutboxStore.Due due = store().peekDue(); due != null; due = store().peekDue()) {
                assertFalse(due.at().isAfter(clock.instant()), id + " is due");
                Dispatch d = store().claim(due);
                if (d.id().equals(id)) {
                    return d;
                }
                others.add(d);
            }
            throw new AssertionError(id + " is not due");
        } finally {
            for (Dispatch o : others) {
                store().handBack(o);
            }
        }
    }

    static List<Arguments> endingsAndSizes() {
        List<Arguments> list = new ArrayList<>();
        for (Ending e : Ending.values()) {
            for (Size s : Size.values()) {
                list.add(Arguments.of(e, s));
            }
        }
        return list;
    }

    @ParameterizedTest
    @MethodSource("endingsAndSizes")
    void aSubmittedEntryComesBackDueWithItsMessageAndMessageId(Ending ending, Size size) throws Exception {
        submit("entry-0001", size, "a@example.com", "b@example.com");
        reopen(ending);

        OutboxEntry e = entry("entry-0001");
        assertEquals(DeliveryState.QUEUED, e.state());
        assertEquals("<entry-0001@test>", e.messageId());
        assertEquals("ref-entry-0001", e.reference());
        assertEquals("subject entry-0001", e.subject());
        assertEquals(List.of("a@example.com", "b@example.com"), e.recipients());
        assertEquals(List.of("a@example.com", "b@example.com"), e.pendingRecipients());
        assertEquals(0, e.attempts());
        assertEquals(START, e.createdAt());
        assertEquals(START, e.nextAttemptAt());
        assertEquals(message("entry-0001", size).length, e.size());
        Dispatch d = claim("entry-0001");
        assertEquals(1, d.attempt());
        assertEquals(List.of("a@example.com", "b@example.com"), d.recipients());
        assertArrayEquals(message("entry-0001", size), read(d).getBytes(StandardCharsets.US_ASCII));
    }

    @ParameterizedTest
    @MethodSource("endingsAndSizes")
    void aSentEntryComesBackSentAndIsNotSentAgain(Ending ending, Size size) throws Exception {
        submit("entry-0001", size, "a@example.com");
        finish(claim("entry-0001"), DeliveryResult.sent("250 2.0.0 queued"));
        settle();
        reopen(ending);

        OutboxEntry e = entry("entry-0001");
        assertEquals(DeliveryState.SENT, e.state());
        assertEquals(1, e.attempts());
        assertEquals("relay", e.transport());
        assertEquals(List.of(), e.pendingRecipients());
        assertNull(e.nextAttemptAt());
        assertNull(e.lastError());
        assertEquals(List.of("entry-zzzz-marker"), dueIds());
        assertFalse(store().retry("entry-0001"), "a sent entry is not sent again");
    }

    @ParameterizedTest
    @MethodSource("endingsAndSizes")
    void aDeferredEntryComesBackWithItsNextAttemptAndReply(Ending ending, Size size) throws Exception {
        submit("entry-0001", size, "a@example.com");
        finish(claim("entry-0001"), DeliveryResult.transientFailure("451 4.3.0 try later"));
        settle();
        reopen(ending);

        OutboxEntry e = entry("entry-0001");
        assertEquals(DeliveryState.DEFERRED, e.state());
        assertEquals(1, e.attempts());
        assertEquals("451 4.3.0 try later", e.lastError());
        assertEquals(START.plus(Duration.ofMinutes(5)), e.nextAttemptAt());
        assertEquals(List.of("a@example.com"), e.pendingRecipients());
        assertEquals(List.of("entry-zzzz-marker"), dueIds(), "not due before its next attempt");
        OutboxStore.Due due = store().peekDue();
        assertEquals("entry-zzzz-marker", due.entry().id);

        clock.advance(Duration.ofMinutes(5));
        assertEquals(List.of("entry-zzzz-marker", "entry-0001"), dueIds(), "in the order they fell due");
        Dispatch d = claim("entry-0001");
        assertEquals(2, d.attempt());
        assertEquals(new String(message("entry-0001", size), StandardCharsets.US_ASCII), read(d));
        DeliveryOutcome second = finish(d, DeliveryResult.transientFailure("451 again"));
        assertEquals(clock.instant().plus(Duration.ofMinutes(10)), second.nextAttemptAt(), "the delay doubles");
    }

    @ParameterizedTest
    @MethodSource("endingsAndSizes")
    void aFailedEntryKeepsTheServersReplyAndCanBeRetried(Ending ending, Size size) throws Exception {
        submit("entry-0001", size, "a@example.com");
        finish(claim("entry-0001"), DeliveryResult.permanentFailure("550 5.1.1 no such user"));
        settle();
        reopen(ending);

        OutboxEntry e = entry("entry-0001");
        assertEquals(DeliveryState.FAILED, e.state());
        assertTrue(e.lastError().contains("550 5.1.1 no such user"), e.lastError());
        assertNull(e.nextAttemptAt());
        assertEquals(List.of("entry-zzzz-marker"), dueIds());
        assertTrue(store().retry("entry-0001"));
        assertSendable("entry-0001", size);
    }

    @ParameterizedTest
    @EnumSource(Ending.class)
    void aPartialDeliveryKeepsOnlyThePendingRecipients(Ending ending) throws Exception {
        submit("entry-0001", Size.SMALL, "a@example.com", "b@example.com", "c@example.com");
        finish(claim("entry-0001"), DeliveryResult.perRecipient(List.of(
                new RecipientResult("a@example.com", Status.SENT, "250 ok"),
                new RecipientResult("b@example.com", Status.TRANSIENT, "452 4.2.2 mailbox full"),
                new RecipientResult("c@example.com", Status.PERMANENT, "550 5.1.1 unknown")), "250 partly"));
        settle();
        reopen(ending);

        OutboxEntry e = entry("entry-0001");
        assertEquals(DeliveryState.DEFERRED, e.state());
        assertEquals(List.of("b@example.com"), e.pendingRecipients());
        assertTrue(e.lastError().contains("c@example.com: 550 5.1.1 unknown"), e.lastError());
        clock.advance(Duration.ofMinutes(5));
        Dispatch d = claim("entry-0001");
        assertEquals(List.of("b@example.com"), d.recipients());
        DeliveryOutcome o = finish(d, DeliveryResult.sent("250 ok"));
        assertEquals(DeliveryState.FAILED, o.state(), "one recipient was refused for good");
        assertEquals(List.of("c@example.com"), o.failed());
        settle();
        reopen(ending);
        assertEquals(DeliveryState.FAILED, entry("entry-0001").state());

        assertTrue(store().retry("entry-0001"));
        reopen(ending);
        assertEquals(List.of("c@example.com"), entry("entry-0001").pendingRecipients(), "only the refused one");
        Dispatch again = claim("entry-0001");
        assertEquals(List.of("c@example.com"), again.recipients());
    }

    @ParameterizedTest
    @MethodSource("endingsAndSizes")
    void aRetriedEntryComesBackDueNowWithoutASettle(Ending ending, Size size) throws Exception {
        submit("entry-0001", size, "a@example.com");
        finish(claim("entry-0001"), DeliveryResult.transientFailure("451 later"));
        settle();
        clock.advance(Duration.ofMinutes(1));
        assertTrue(store().retry("entry-0001"));
        reopen(ending);

        OutboxEntry e = entry("entry-0001");
        assertEquals(DeliveryState.QUEUED, e.state());
        assertEquals(START.plus(Duration.ofMinutes(1)), e.nextAttemptAt());
        assertEquals(1, e.attempts(), "attempts so far are kept");
        assertEquals(List.of("entry-zzzz-marker", "entry-0001"), dueIds());
        assertSendable("entry-0001", size);
    }

    @ParameterizedTest
    @MethodSource("endingsAndSizes")
    void aDiscardedEntryAndItsMessageNeverComeBack(Ending ending, Size size) throws Exception {
        submit("entry-0001", size, "a@example.com");
        submit("entry-0002", size, "b@example.com");
        assertTrue(store().discard("entry-0001"));
        reopen(ending);

        assertTrue(store().find("entry-0001").isEmpty());
        assertEquals(List.of("entry-0002"), dueIds());
        assertEquals(1L, total(store().counts()));
        assertFalse(store().discard("entry-0001"));
        assertFalse(store().retry("entry-0001"));
        assertMessageGone("entry-0001");
        reopen(ending);
        assertTrue(store().find("entry-0001").isEmpty());
        assertSendable("entry-0002", size);
    }

    @ParameterizedTest
    @MethodSource("endingsAndSizes")
    void aQuarantinedEntryStaysAsideUntilRetried(Ending ending, Size size) throws Exception {
        submit("entry-0001", size, "a@example.com");
        store().quarantine(claim("entry-0001"), "the stored message cannot be read: test");
        reopen(ending);

        OutboxEntry e = entry("entry-0001");
        assertEquals(DeliveryState.QUARANTINED, e.state());
        assertEquals("the stored message cannot be read: test", e.lastError());
        assertNull(e.nextAttemptAt());
        assertEquals(List.of(), dueIds());
        assertTrue(store().retry("entry-0001"));
        assertSendable("entry-0001", size);
    }

    @ParameterizedTest
    @EnumSource(Ending.class)
    void anEntryPastItsLifetimeExpiresWithItsLastReply(Ending ending) throws Exception {
        submit("entry-0001", Size.SMALL, "a@example.com");
        clock.advance(SCHEDULE.lifetime());
        DeliveryOutcome o = finish(claim("entry-0001"), DeliveryResult.transientFailure("421 4.7.0 busy"));
        assertEquals(DeliveryState.EXPIRED, o.state());
        settle();
        reopen(ending);

        OutboxEntry e = entry("entry-0001");
        assertEquals(DeliveryState.EXPIRED, e.state());
        assertTrue(e.lastError().contains("421 4.7.0 busy"), e.lastError());
        assertNull(e.nextAttemptAt());
        assertEquals(List.of("entry-zzzz-marker"), dueIds());
        assertTrue(store().retry("entry-0001"));
        assertSendable("entry-0001", Size.SMALL);
    }

    @ParameterizedTest
    @MethodSource("endingsAndSizes")
    void anEntryBeingSentWhenTheStoreStopsComesBackDueUnchanged(Ending ending, Size size) throws Exception {
        submit("entry-0001", size, "a@example.com");
        Dispatch d = claim("entry-0001");
        assertEquals(DeliveryState.SENDING, entry("entry-0001").state());
        assertFalse(store().discard("entry-0001"), "not while it is being sent");
        assertFalse(store().retry("entry-0001"), "not while it is being sent");
        reopen(ending);

        OutboxEntry e = entry("entry-0001");
        assertEquals(DeliveryState.QUEUED, e.state());
        assertEquals(0, e.attempts());
        Dispatch again = claim("entry-0001");
        assertEquals(d.attempt(), again.attempt());
        assertEquals(new String(message("entry-0001", size), StandardCharsets.US_ASCII), read(again));
    }

    @ParameterizedTest
    @EnumSource(Size.class)
    void anOutcomeLostToACrashMeansTheSameMessageIsSentAgain(Size size) throws Exception {
        submit("entry-0001", size, "a@example.com");
        finish(claim("entry-0001"), DeliveryResult.sent("250 ok"));
        reopen(Ending.CRASH);

        OutboxEntry e = entry("entry-0001");
        if (e.state() != DeliveryState.SENT) {
            assertEquals(DeliveryState.QUEUED, e.state(), "lost outcomes leave the entry due");
            assertSendable("entry-0001", size);
        }
    }

    @Test
    void aHandedBackEntryIsDueAgainUnchangedAndItsOldAttemptIsIgnored() throws Exception {
        submit("entry-0001", Size.SMALL, "a@example.com");
        Dispatch d = claim("entry-0001");
        store().handBack(d);
        assertEquals(DeliveryState.QUEUED, entry("entry-0001").state());
        assertEquals(0, entry("entry-0001").attempts());
        DeliveryOutcome late = DeliveryOutcome.of(d.entry(), DeliveryResult.sent("250"), SCHEDULE, clock.instant());
        assertFalse(store().finish(d, late, "relay"), "the abandoned attempt's outcome is ignored");
        Dispatch again = claim("entry-0001");
        assertNull(store().claim(new OutboxStore.Due(again.entry(), clock.instant(), 1)), "claimed only once");
        finish(again, DeliveryResult.sent("250"));
        assertEquals(DeliveryState.SENT, entry("entry-0001").state());
    }

    @ParameterizedTest
    @EnumSource(Ending.class)
    void listsAndCountsShowEveryStateAfterARestart(Ending ending) throws Exception {
        submit("entry-0001", Size.SMALL, "a@example.com");
        submit("entry-0002", Size.LARGE, "b@example.com");
        submit("entry-0003", Size.SMALL, "c@example.com");
        submit("entry-0004", Size.SMALL, "d@example.com");
        finish(claim("entry-0001"), DeliveryResult.sent("250"));
        finish(claim("entry-0002"), DeliveryResult.transientFailure("451"));
        finish(claim("entry-0003"), DeliveryResult.permanentFailure("550"));
        settle();
        reopen(ending);

        Map<DeliveryState, Long> counts = store().counts();
        assertEquals(1L, counts.get(DeliveryState.SENT));
        assertEquals(1L, counts.get(DeliveryState.DEFERRED));
        assertEquals(1L, counts.get(DeliveryState.FAILED));
        assertEquals(2L, counts.get(DeliveryState.QUEUED));
        assertEquals(List.of("entry-zzzz-marker", "entry-0004", "entry-0003", "entry-0002", "entry-0001"),
                store().list(Set.of(), 10).stream().map(OutboxEntry::id).toList(), "newest first");
        assertEquals(List.of("entry-0003"),
                store().list(Set.of(DeliveryState.FAILED), 10).stream().map(OutboxEntry::id).toList());
        assertEquals(2, store().list(Set.of(), 2).size());
        assertSendable("entry-0004", Size.SMALL);
    }

    @Test
    void manyEntriesSurviveACrashInSubmissionOrder() throws Exception {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            String id = String.format("entry-%04d", i);
            submit(id, i % 10 == 3 ? Size.LARGE : Size.SMALL, "x" + i + "@example.com");
            ids.add(id);
        }
        reopen(Ending.CRASH);
        assertEquals(ids, dueIds());
        for (int i = 0; i < 40; i++) {
            assertSendable(ids.get(i), i % 10 == 3 ? Size.LARGE : Size.SMALL);
        }
    }

    private static long total(Map<DeliveryState, Long> counts) {
        return counts.values().stream().mapToLong(Long::longValue).sum();
    }
}
