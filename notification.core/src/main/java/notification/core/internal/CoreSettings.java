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
 */
public record CoreSettings(List<String> transports, Duration retryMinimum, Duration retryMaximum,
        Duration maximumLifetime, String onBehalfNamePattern, int maxSubjectLength) {

    /** The settings used when {@code notification.core} is not configured. */
    public static final CoreSettings DEFAULTS = new CoreSettings(List.of("pickup"), Duration.ofSeconds(300),
            Duration.ofSeconds(4000), Duration.ofSeconds(432000), "{name}", 998);

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
        return new CoreSettings(List.copyOf(names), Duration.ofSeconds(c.retryMinimum()),
                Duration.ofSeconds(c.retryMaximum()), Duration.ofSeconds(c.maximumLifetime()), pattern,
                c.maxSubjectLength());
    }

    private static void require(boolean ok, String problem) {
        if (!ok) {
            throw new IllegalArgumentException(CoreConfiguration.PID + ": " + problem);
        }
    }
}
