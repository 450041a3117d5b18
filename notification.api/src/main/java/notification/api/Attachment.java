package notification.api;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;

/**
 * A file attached to a notification, such as a scanned PDF. The content is read once, when the notification is
 * submitted and stored in the outbox; a file given here may be deleted after
 * {@link NotificationService#submit(Notification)} returns.
 */
public final class Attachment {
    private final String fileName;
    private final String mediaType;
    private final byte[] bytes;
    private final Path file;

    private Attachment(String fileName, String mediaType, byte[] bytes, Path file) {
        this.fileName = Objects.requireNonNull(fileName, "fileName");
        this.mediaType = Objects.requireNonNull(mediaType, "mediaType");
        this.bytes = bytes;
        this.file = file;
    }

    /**
     * Creates an attachment held in memory.
     *
     * @param fileName the file name the recipient sees, for example "scan-0042.pdf"
     * @param mediaType the media type, for example "application/pdf"
     * @param content the content; copied
     * @return the attachment
     */
    public static Attachment ofBytes(String fileName, String mediaType, byte[] content) {
        return new Attachment(fileName, mediaType, Objects.requireNonNull(content, "content").clone(), null);
    }

    /**
     * Creates an attachment streamed from a file, for large content such as scans of tens of megabytes.
     *
     * @param fileName the file name the recipient sees
     * @param mediaType the media type
     * @param file the file to read when the notification is submitted
     * @return the attachment
     */
    public static Attachment ofFile(String fileName, String mediaType, Path file) {
        return new Attachment(fileName, mediaType, null, Objects.requireNonNull(file, "file"));
    }

    /**
     * Returns the file name the recipient sees.
     *
     * @return the file name
     */
    public String fileName() {
        return fileName;
    }

    /**
     * Returns the media type.
     *
     * @return the media type, for example "application/pdf"
     */
    public String mediaType() {
        return mediaType;
    }

    /**
     * Returns the size of the content in bytes.
     *
     * @return the size in bytes
     * @throws UncheckedIOException if the file cannot be read
     */
    public long size() {
        if (bytes != null) {
            return bytes.length;
        }
        try {
            return Files.size(file);
        } catch (IOException e) {
            throw new UncheckedIOException("attachment " + fileName + ": cannot read " + file, e);
        }
    }

    /**
     * Opens the content for reading. The caller closes the stream.
     *
     * @return a new stream over the content
     * @throws IOException if the file cannot be opened
     */
    public InputStream open() throws IOException {
        return bytes != null ? new ByteArrayInputStream(bytes) : Files.newInputStream(file);
    }

    @Override
    public String toString() {
        return "Attachment[" + fileName + ", " + mediaType + "]";
    }
}
