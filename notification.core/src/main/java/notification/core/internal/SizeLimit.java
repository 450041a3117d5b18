package notification.core.internal;

import java.util.Locale;

/**
 * The message size limit of the transport that would deliver a notification now.
 *
 * @param transport the transport's name
 * @param bytes the limit in bytes
 */
public record SizeLimit(String transport, long bytes) {

    /**
     * Formats a size in megabytes (1 MB = 1,048,576 bytes) with one decimal.
     *
     * @param bytes the size
     * @return for example "25.0"
     */
    public static String megabytes(long bytes) {
        return String.format(Locale.ROOT, "%.1f", bytes / 1048576.0);
    }
}
