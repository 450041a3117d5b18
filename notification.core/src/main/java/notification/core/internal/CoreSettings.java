package notification.core.internal;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The notification service's settings as plain values, read from {@link CoreConfiguration}.
 *
 * @param transports transport names in order of preference
 * @param retryMinimum delay after the first transient failure
 * @param retryMaximum the largest retry delay
 * @param maximumLifetime how long transient failures are retried
 * @param onBehalfNamePattern the From display-name pattern with {name} and {address}
 * @param maxSubjectLength the longest subject accepted
 * @param maxRecipients the most recipients (to, cc and bcc) per notification
 * @param maxHeaders the most extra headers per notification
 * @param maxMessageSize the largest message once encoded, in bytes
 * @param allowUtf8Addresses whether local parts beyond ASCII are accepted
 */
public record CoreSettings(List<String> transports, Duration retryMinimum, Duration retryMaximum,
        Duration maximumLifetime, String onBehalfNamePattern, int maxSubjectLength, int maxRecipients, int maxHeaders,
        long maxMessageSize, boolean allowUtf8Addresses) {

    /** The settings used when {@code notification.core} is not configured. */
    public static final CoreSettings DEFAULTS = new CoreSettings(List.of("pickup"), Duration.ofSeconds(300),
            Duration.ofSeconds(4000), Duration.ofSeconds(432000), "{name}", 998);

    /**
     * Creates settings with the default submit limits.
     *
     * @param transports transport names in order of preference
     * @param retryMinimum delay after the first transient failure
     * @param retryMaximum the largest retry delay
     * @param maximumLifetime how long transient failures are retried
     * @param onBehalfNamePattern the From display-name pattern
     * @param maxSubjectLength the longest subject accepted
     */
    public CoreSettings(List<String> transports, Duration retryMinimum, Duration retryMaximum,
            Duration maximumLifetime, String onBehalfNamePattern, int maxSubjectLength) {
        this(transports, retryMinimum, retryMaximum, maximumLifetime, onBehalfNamePattern, maxSubjectLength, 500, 50,
                50L << 20, false);
    }

    /**
     * Returns these settings with another subject limit.
     *
     * @param length the longest subject accepted
     * @return the settings
     */
    public CoreSettings withMaxSubjectLength(int length) {
        return new CoreSettings(transports, retryMinimum, retryMaximum, maximumLifetime, onBehalfNamePattern, length,
                maxRecipients, maxHeaders, maxMessageSize, allowUtf8Addresses);
    }

    /**
     * Returns these settings with other submit limits.
     *
     * @param recipients the most recipients per notification
     * @param headers the most extra headers
     * @param messageSize the largest message in bytes
     * @param utf8Addresses whether local parts beyond ASCII are accepted
     * @return the settings
     */
    public CoreSettings withLimits(int recipients, int headers, long messageSize, boolean utf8Addresses) {
        return new CoreSettings(transports, retryMinimum, retryMaximum, maximumLifetime, onBehalfNamePattern,
                maxSubjectLength, recipients, headers, messageSize, utf8Addresses);
    }

    /**
     * Reads and checks the configuration.
     *
     * @param c the configuration
     * @return the settings
     * @throws IllegalArgumentException naming the property that is out of range
     */
    public static CoreSettings from(CoreConfiguration c) {
        List<String> names = new ArrayList<>();
        for (String value : c.transports() == null ? new String[0] : c.transports()) {
            for (String name : value.split(",")) {
                if (!name.isBlank() && !names.contains(name.strip())) {
                    names.add(name.strip());
                }
            }
        }
        require(c.retryMinimum() >= 1, "retryMinimum must be at least 1 second");
        require(c.retryMaximum() >= c.retryMinimum(), "retryMaximum must not be below retryMinimum");
        require(c.maximumLifetime() >= 1, "maximumLifetime must be at least 1 second");
        require(c.maxSubjectLength() >= 1 && c.maxSubjectLength() <= 998, "maxSubjectLength must be 1..998");
        String pattern = c.onBehalfNamePattern() == null ? "{name}" : c.onBehalfNamePattern();
        require(pattern.chars().noneMatch(ch -> ch == '\r' || ch == '\n' || ch == 0),
                "onBehalfNamePattern must not contain CR, LF or NUL");
        require(c.maxRecipients() >= 1, "maxRecipients must be at least 1");
        require(c.maxHeaders() >= 0, "maxHeaders must not be negative");
        require(c.maxMessageSize() >= 1, "maxMessageSize must be at least 1 byte");
        return new CoreSettings(List.copyOf(names), Duration.ofSeconds(c.retryMinimum()),
                Duration.ofSeconds(c.retryMaximum()), Duration.ofSeconds(c.maximumLifetime()), pattern,
                c.maxSubjectLength(), c.maxRecipients(), c.maxHeaders(), c.maxMessageSize(), c.allowUtf8Addresses());
    }

    private static void require(boolean ok, String problem) {
        if (!ok) {
            throw new IllegalArgumentException(CoreConfiguration.PID + ": " + problem);
        }
    }
}
