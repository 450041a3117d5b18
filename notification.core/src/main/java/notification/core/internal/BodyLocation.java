package notification.core.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Where a stored message lives: a range of the outbox journal, or a whole file of its own for large messages.
 *
 * @param file the journal or the message file
 * @param offset where the message starts
 * @param length how many bytes it has
 * @param separateFile whether {@code file} holds this message alone
 */
public record BodyLocation(Path file, long offset, long length, boolean separateFile) {

    /**
     * Opens the message for reading.
     *
     * @return a stream over exactly the message's bytes
     * @throws IOException if the file is missing or shorter than recorded
     */
    InputStream open() throws IOException {
        FileChannel ch = FileChannel.open(file, StandardOpenOption.READ);
        if (ch.size() < offset + length) {
            ch.close();
            throw new IOException("the stored message in " + file.getFileName() + " is truncated");
        }
        ch.position(offset);
        return new BoundedInputStream(Channels.newInputStream(ch), length);
    }
}
