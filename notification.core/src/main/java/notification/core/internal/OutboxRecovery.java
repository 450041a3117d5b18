package notification.core.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import notification.api.DeliveryState;

/**
 * Rebuilds the outbox from its journal after a start or a crash: the last record of each entry wins, damaged or
 * incomplete entries are quarantined (kept visible), and message files nobody refers to are removed.
 */
final class OutboxRecovery implements JournalReader.Visitor {
    private final Path messages;
    private final Clock clock;
    private final OutboxFiles files;
    private final Map<String, StoredEntry> entries = new LinkedHashMap<>();

    OutboxRecovery(Path messages, Clock clock, OutboxFiles files) {
        this.messages = messages;
        this.clock = clock;
        this.files = files;
    }

    @Override
    public void record(Path file, long position, EntryCodec.Decoded r) {
        if (r.type() == EntryCodec.DISCARD) {
            entries.remove(r.id());
            return;
        }
        StoredEntry e = r.entry();
        StoredEntry previous = entries.get(r.id());
        switch (r.bodyKind()) {
            case EntryCodec.BODY_UNCHANGED -> e.body = previous == null ? null : previous.body;
            case EntryCodec.BODY_INLINE -> e.body = new BodyLocation(file,
                    position + EntryCodec.HEADER + r.bodyOffset(), r.bodyLength(), false);
            case EntryCodec.BODY_FILE -> e.body = new BodyLocation(messages.resolve(r.bodyFile()), 0, e.size, true);
            default -> e.body = null;
        }
        entries.put(r.id(), e);
    }

    @Override
    public void damaged(long position, String id, String problem) {
        String key = id != null ? id : "damaged-" + position;
        StoredEntry e = entries.get(key);
        if (e == null) {
            e = new StoredEntry(key, "", null, null, List.of(), null, null, clock.instant());
            entries.put(key, e);
        }
        e.state = DeliveryState.QUARANTINED;
        e.lastError = "the stored notification is damaged (" + problem + "); discard it or retry it";
    }

    /**
     * Finishes recovery.
     *
     * @return the entries in submission order
     * @throws IOException if the message folder cannot be listed
     */
    List<StoredEntry> finish() throws IOException {
        long maxSequence = entries.values().stream().mapToLong(e -> e.sequence).max().orElse(0);
        Set<Path> referenced = new HashSet<>();
        for (StoredEntry e : entries.values()) {
            if (e.sequence == 0) {
                e.sequence = ++maxSequence;
            }
            if (e.state != DeliveryState.SENT && !readable(e.body)) {
                if (e.state != DeliveryState.QUARANTINED) {
                    e.lastError = "the stored message is missing or incomplete; discard it";
                }
                e.state = DeliveryState.QUARANTINED;
            }
            if (e.state == DeliveryState.SENT) {
                e.body = null; // a sent message is not needed again; its file may outlive the crash that followed
            } else if (e.body != null && e.body.separateFile()) {
                referenced.add(e.body.file());
            }
        }
        try (Stream<Path> listed = Files.list(messages)) {
            for (Path p : (Iterable<Path>) listed::iterator) {
                if (!referenced.contains(p)) {
                    files.delete(p);
                } else {
                    files.restrict(p);
                }
            }
        }
        List<StoredEntry> list = new ArrayList<>(entries.values());
        list.sort(Comparator.comparingLong(e -> e.sequence));
        return list;
    }

    private static boolean readable(BodyLocation body) {
        if (body == null) {
            return false;
        }
        try {
            return !body.separateFile() || Files.size(body.file()) == body.length();
        } catch (IOException e) {
            return false;
        }
    }
}
