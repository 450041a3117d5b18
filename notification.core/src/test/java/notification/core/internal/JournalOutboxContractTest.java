package notification.core.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import notification.api.DeliveryState;
import notification.api.OutboxEntry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

/** The journal outbox keeps the store contract; a crash is a power cut that keeps only what was forced. */
class JournalOutboxContractTest extends OutboxStoreContract {
    @TempDir
    Path dir;
    private final PowerCutFiles disk = new PowerCutFiles();

    @Override
    protected OutboxStore open(Clock clock) throws Exception {
        return new Outbox(dir.resolve("outbox"), clock, 64L << 20, disk.session());
    }

    @Override
    protected void crash(OutboxStore store) throws Exception {
        disk.powerCut();
        store.close(); // its writer thread finds no power: nothing more reaches the disk
    }

    @Override
    protected void assertMessageGone(String id) throws Exception {
        try (Stream<Path> files = Files.list(dir.resolve("outbox/messages"))) {
            List<String> left = files.map(p -> p.getFileName().toString()).filter(n -> n.startsWith(id)).toList();
            assertEquals(List.of(), left, "message files of " + id);
        }
    }

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void aLargeMessageCutShortOrGoneOnDiskIsQuarantinedAtRestartNotSentTruncated(boolean gone) throws Exception {
        submit("entry-0001", Size.LARGE, "a@example.com");
        store().close();
        Path file;
        try (Stream<Path> files = Files.list(dir.resolve("outbox/messages"))) {
            file = files.filter(p -> p.getFileName().toString().startsWith("entry-0001")).findFirst().orElseThrow();
        }
        if (gone) {
            Files.delete(file);
        } else {
            byte[] all = Files.readAllBytes(file);
            Files.write(file, java.util.Arrays.copyOf(all, all.length / 2));
        }
        OutboxEntry e = reopen(Ending.CLOSE).find("entry-0001").orElseThrow();
        assertEquals(DeliveryState.QUARANTINED, e.state());
        assertTrue(e.lastError().contains("missing or incomplete"), e.lastError());
        assertEquals(List.of(), dueIds(), "nothing truncated is sent");
    }

    /** An entry as the shared store kept it: deferred after two attempts, one recipient refused, one still pending. */
    private StoredEntry deferredElsewhere(String id) {
        StoredEntry e = new StoredEntry(id, "<" + id + "@test>", "ref-" + id, "subject " + id,
                List.of("a@example.com", "b@example.com"), "Jane Doe", "jane@example.com",
                START.minus(Duration.ofHours(1)));
        e.state = DeliveryState.DEFERRED;
        e.attempts = 2;
        e.pending = List.of("b@example.com");
        e.failed = new java.util.ArrayList<>(List.of("a@example.com"));
        e.nextAttemptAt = START.plus(Duration.ofMinutes(10));
        e.updatedAt = START.minus(Duration.ofMinutes(5));
        e.lastError = "452 4.2.2 mailbox full; refused: a@example.com: 550 5.1.1 unknown";
        e.transport = "relay";
        return e;
    }

    @ParameterizedTest
    @EnumSource(Size.class)
    void anAdoptedEntryKeepsItsStateScheduleAndMessageThroughAPowerCut(Size size) throws Exception {
        SpillBuffer body = store().newBody("entry-0007");
        body.write(message("entry-0007", size));
        assertTrue(store().adopt(deferredElsewhere("entry-0007"), body));
        OutboxEntry e = reopen(Ending.CRASH).find("entry-0007").orElseThrow();

        assertEquals(DeliveryState.DEFERRED, e.state());
        assertEquals("<entry-0007@test>", e.messageId());
        assertEquals(2, e.attempts());
        assertEquals(List.of("b@example.com"), e.pendingRecipients());
        assertEquals(START.plus(Duration.ofMinutes(10)), e.nextAttemptAt());
        assertEquals(START.minus(Duration.ofHours(1)), e.createdAt());
        assertEquals("relay", e.transport());
        assertTrue(e.lastError().startsWith("452 4.2.2"), e.lastError());
        assertEquals(List.of(), dueIds(), "not due before its next attempt");
        clock.advance(Duration.ofMinutes(10));
        Dispatch d = claim("entry-0007");
        assertEquals(3, d.attempt());
        assertEquals(List.of("b@example.com"), d.recipients());
        assertEquals("jane@example.com", d.entry().onBehalfAddress);
        assertEquals(new String(message("entry-0007", size), java.nio.charset.StandardCharsets.US_ASCII), read(d));
        store().handBack(d);
        assertTrue(store().retry("entry-0007"));
        assertEquals(List.of("b@example.com", "a@example.com"), entry("entry-0007").pendingRecipients(),
                "the refused recipient is retried too, as anywhere else");
    }

    @Test
    void adoptingAnIdTheJournalHoldsChangesNothingAndLeavesNoFileBehind() throws Exception {
        submit("entry-0001", Size.SMALL, "a@example.com");
        SpillBuffer body = store().newBody("entry-0001");
        body.write(message("entry-0001", Size.LARGE));
        assertFalse(store().adopt(deferredElsewhere("entry-0001"), body));
        try (Stream<Path> files = Files.list(dir.resolve("outbox/messages"))) {
            assertEquals(List.of(), files.toList(), "the refused message's spill file is removed at once");
        }

        OutboxEntry e = reopen(Ending.CLOSE).find("entry-0001").orElseThrow();
        assertEquals(DeliveryState.QUEUED, e.state());
        assertEquals(List.of("a@example.com"), e.recipients());
        assertSendable("entry-0001", Size.SMALL);
        assertMessageGone("entry-0001");
    }
}
