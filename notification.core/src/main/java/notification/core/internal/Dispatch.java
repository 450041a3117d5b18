package notification.core.internal;

import java.nio.ByteBuffer;
import java.util.List;

/**
 * One delivery attempt handed out by the {@link Outbox}: what to send and the token that the result must carry.
 *
 * @param entry the entry being sent
 * @param token identifies this attempt; a result for an older attempt is ignored
 * @param recipients the recipients still to deliver
 * @param attempt the attempt number, starting at 1
 * @param body where the stored message is
 * @param held the stored message still in memory (a view of its journal record), or null: read it from {@code body}
 */
record Dispatch(StoredEntry entry, int token, List<String> recipients, int attempt, BodyLocation body,
        ByteBuffer held) {

    String id() {
        return entry.id;
    }

    /** Each attempt is itself only: attempts are kept in hash sets, and hashing a record's components costs. */
    @Override
    public boolean equals(Object o) {
        return this == o;
    }

    @Override
    public int hashCode() {
        return System.identityHashCode(this);
    }
}
