package notification.core.internal;

import java.util.List;

/**
 * One delivery attempt handed out by the {@link Outbox}: what to send and the token that the result must carry.
 *
 * @param entry the entry being sent
 * @param token identifies this attempt; a result for an older attempt is ignored
 * @param recipients the recipients still to deliver
 * @param attempt the attempt number, starting at 1
 * @param body where the stored message is
 */
record Dispatch(StoredEntry entry, int token, List<String> recipients, int attempt, BodyLocation body) {

    String id() {
        return entry.id;
    }
}
