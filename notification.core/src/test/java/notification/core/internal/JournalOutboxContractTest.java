package notification.core.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.stream.Stream;
import notification.api.DeliveryState;
import notification.api.OutboxEntry;
import org.junit.jupiter.params.ParameterizedTest;
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
}
