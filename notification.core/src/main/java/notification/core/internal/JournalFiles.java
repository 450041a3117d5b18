package notification.core.internal;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Names and finds the outbox journal's files: {@code journal-<generation>.log}, the highest generation being the live
 * one (a compaction writes the next generation as {@code .tmp} and renames it only once complete).
 */
final class JournalFiles {
    private static final String PREFIX = "journal-";
    private static final String SUFFIX = ".log";

    private JournalFiles() {
    }

    static String name(long generation) {
        return String.format("%s%012d%s", PREFIX, generation, SUFFIX);
    }

    static Path next(Path dir, long generation) {
        return dir.resolve(name(generation + 1) + ".tmp");
    }

    /**
     * Finds the live journal's generation, removing unfinished compactions and journals it superseded.
     *
     * @param dir the outbox directory
     * @param fs deletes the files no longer needed
     * @return the live generation (1 when there is no journal yet)
     * @throws IOException if the directory cannot be listed or cleaned
     */
    static long liveGeneration(Path dir, OutboxFiles fs) throws IOException {
        List<Path> journals = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path p : (Iterable<Path>) files::iterator) {
                String name = p.getFileName().toString();
                if (name.startsWith(PREFIX) && name.endsWith(".tmp")) {
                    fs.delete(p);
                } else if (name.startsWith(PREFIX) && name.endsWith(SUFFIX)) {
                    journals.add(p);
                }
            }
        }
        journals.sort(null);
        for (int i = 0; i < journals.size() - 1; i++) {
            fs.delete(journals.get(i));
        }
        if (journals.isEmpty()) {
            return 1;
        }
        String name = journals.get(journals.size() - 1).getFileName().toString();
        return Long.parseLong(name.substring(PREFIX.length(), name.length() - SUFFIX.length()));
    }

    /**
     * Makes a directory's entries durable (new, renamed or deleted files).
     *
     * @param dir the directory
     * @throws IOException if it cannot be synced (ignored on Windows, where directories cannot be opened)
     */
    static void forceDirectory(Path dir) throws IOException {
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true);
        } catch (IOException e) {
            if (!System.getProperty("os.name", "").startsWith("Windows")) {
                throw e;
            }
        }
    }
}
