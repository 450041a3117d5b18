package notification.core.internal;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import notification.api.transport.BudgetKey;
import notification.api.transport.BudgetUse;

/** The limits this node last asked a sending budget with, per key, so a status page can show use beside limit. */
final class KnownLimits {
    private record Limits(int connections, int perMinute, int perDay) {
    }

    private final Map<BudgetKey, Limits> limits = new ConcurrentHashMap<>();

    void connections(BudgetKey key, int limit) {
        limits.merge(key, new Limits(limit, 0, 0), (old, n) -> new Limits(limit, old.perMinute(), old.perDay()));
    }

    void start(BudgetKey key, int perMinute, int perDay) {
        limits.merge(key, new Limits(0, perMinute, perDay), (old, n) -> new Limits(old.connections(), perMinute,
                perDay));
    }

    /** The keys this node has asked for. */
    Set<BudgetKey> keys() {
        return Set.copyOf(limits.keySet());
    }

    /** A use with the counts given and the limits known for its key. */
    BudgetUse use(BudgetKey key, int connections, int starts, long recipients, boolean shared, String problem) {
        Limits l = limits.getOrDefault(key, new Limits(0, 0, 0));
        return new BudgetUse(key, connections, l.connections(), starts, l.perMinute(), recipients, l.perDay(), shared,
                problem);
    }
}
