package notification.core.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which journal is live when the outbox opens, and what is cleared away: superseded journals, unfinished rewrites. */
class JournalFilesTest {
    @TempDir
    Path dir;

    private List<String> names() throws Exception {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void theNewestJournalIsLiveAndOlderOnesAndUnfinishedRewritesGo() throws Exception {
        Files.write(dir.resolve(JournalFiles.name(6)), new byte[] {1});
        Files.write(dir.resolve(JournalFiles.name(7)), new byte[] {2});
        Files.write(JournalFiles.next(dir, 7), new byte[] {3}); // a compaction cut short
        Files.write(dir.resolve("entry-0001.tmp"), new byte[] {4}); // not the journal's

        assertEquals(7, JournalFiles.liveGeneration(dir, new LocalOutboxFiles()));
        assertEquals(List.of("entry-0001.tmp", "journal-000000000007.log"), names());
    }

    @Test
    void anEmptyFolderStartsAtTheFirstGeneration() throws Exception {
        assertEquals(1, JournalFiles.liveGeneration(dir, new LocalOutboxFiles()));
        assertEquals(List.of(), names());
    }
}
