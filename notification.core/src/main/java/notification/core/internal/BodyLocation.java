package notification.core.internal;

import java.nio.file.Path;

/**
 * Where a stored message lives: a range of the outbox journal, or a whole file of its own for large messages.
 *
 * @param file the journal or the message file
 * @param offset where the message starts
 * @param length how many bytes it has
 * @param separateFile whether {@code file} holds this message alone
 */
public record BodyLocation(Path file, long offset, long length, boolean separateFile) {
}
