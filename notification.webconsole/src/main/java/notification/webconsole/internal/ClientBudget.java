package notification.webconsole.internal;

import java.time.Clock;
import java.util.HashMap;
import java.util.Map;

/**
 * How many requests each client address may still make: a bucket of {@code capacity} requests per address, refilled
 * at {@code perMinute} a minute. A browser completing a sign-in makes two; a flood runs dry at once.
 */
final class ClientBudget {
    private static final int MAX_ADDRESSES = 4096;

    private final int capacity;
    private final double perMilli;
    private final Clock clock;
    private final Map<String, double[]> buckets = new HashMap<>();

    /**
     * Creates the budget.
     *
     * @param capacity the requests an address may make at once
     * @param perMinute how many come back each minute
     * @param clock the clock
     */
    ClientBudget(int capacity, int perMinute, Clock clock) {
        this.capacity = capacity;
        this.perMilli = perMinute / 60_000.0;
        this.clock = clock;
    }

    /**
     * Spends one request of an address's budget.
     *
     * @param address the client address
     * @return {@code false} when the address has none left
     */
    synchronized boolean spend(String address) {
        long now = clock.millis();
        if (buckets.size() >= MAX_ADDRESSES) {
            buckets.values().removeIf(b -> level(b, now) >= capacity);
        }
        double[] bucket = buckets.computeIfAbsent(address, a -> new double[] {capacity, now});
        bucket[0] = level(bucket, now);
        bucket[1] = now;
        if (bucket[0] < 1) {
            return false;
        }
        bucket[0] -= 1;
        return true;
    }

    private double level(double[] bucket, long now) {
        return Math.min(capacity, bucket[0] + (now - bucket[1]) * perMilli);
    }
}
