package notification.core.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Everything the outbox writes (journals, message files, folders) is readable by its owner only. */
class OutboxFileModesTest {
    @TempDir
    Path dir;

    private static void submit(Outbox outbox, String id, int size) throws Exception {
        StoredEntry e = new StoredEntry(id, "<" + id + "@test>", null, id, List.of("a@example.com"), null, null,
                Clock.systemUTC().instant());
        SpillBuffer body = outbox.newBody(id);
        body.write("x".repeat(size).getBytes(StandardCharsets.US_ASCII));
        outbox.submit(e, body);
    }

    /** The mode of every file and folder below (and including) a folder, by relative name. */
    private static Map<String, String> modes(Path root) throws Exception {
        Map<String, String> modes = new TreeMap<>();
        try (Stream<Path> all = Files.walk(root)) {
            for (Path p : (Iterable<Path>) all::iterator) {
                modes.put(root.relativize(p).toString().replaceAll("entry-\\d+", "entry") + (Files.isDirectory(p)
                        ? "/" : ""), PosixFilePermissions.toString(Files.getPosixFilePermissions(p)));
            }
        }
        return modes;
    }

    @Test
    void theJournalMessageFilesAndFoldersAreOwnerOnly() throws Exception {
        Path outboxDir = dir.resolve("var/outbox");
        try (Outbox outbox = new Outbox(outboxDir, Clock.systemUTC(), 64L << 20)) {
            submit(outbox, "entry-0001", 100);
            submit(outbox, "entry-0002", Outbox.INLINE_LIMIT + 100);
        }
        assertEquals(Map.of("/", "rwx------", "messages/", "rwx------", "messages/entry.eml", "rw-------",
                "journal-000000000001.log", "rw-------"), modes(outboxDir));
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("var"))),
                "a data folder the outbox creates is owner-only too");
    }

    @Test
    void filesAndFoldersOfAnOlderInstallationAreMadeOwnerOnlyAtOpen() throws Exception {
        Path outboxDir = dir.resolve("outbox");
        try (Outbox outbox = new Outbox(outboxDir, Clock.systemUTC(), 64L << 20)) {
            submit(outbox, "entry-0001", 100);
            submit(outbox, "entry-0002", Outbox.INLINE_LIMIT + 100);
        }
        try (Stream<Path> all = Files.walk(outboxDir)) {
            for (Path p : (Iterable<Path>) all::iterator) {
                Files.setPosixFilePermissions(p, PosixFilePermissions.fromString(
                        Files.isDirectory(p) ? "rwxr-xr-x" : "rw-r--r--"));
            }
        }

        try (Outbox reopened = new Outbox(outboxDir, Clock.systemUTC(), 64L << 20)) {
            assertEquals(2, reopened.list(java.util.Set.of(), 10).size());
            Map<String, String> modes = modes(outboxDir);
            assertEquals(4, modes.size(), modes.toString());
            modes.forEach((name, mode) -> assertTrue(mode.equals(name.endsWith("/") ? "rwx------" : "rw-------"),
                    name + " is " + mode));
        }
    }
}
