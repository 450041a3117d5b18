package notification.core.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.stream.Stream;
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
}
