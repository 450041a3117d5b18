package notification.webconsole.internal;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Secrets typed into a form that was refused, kept on the server for that browser and that configuration only, so
 * the administrator does not type them again; never rendered back, forgotten after a while or once saved.
 */
final class TypedSecrets {
    private static final Duration LIFETIME = Duration.ofMinutes(15);
    private static final int MAX_FORMS = 200;

    private record Kept(Instant at, Map<String, String> secrets) {
    }

    private final Clock clock;
    private final Map<String, Kept> kept = new LinkedHashMap<>();

    TypedSecrets(Clock clock) {
        this.clock = clock;
    }

    /**
     * Keeps the secrets typed into a refused form.
     *
     * @param browser the browser's binding
     * @param pid the configuration the form edits
     * @param secrets field key to typed value; empty values are ignored
     */
    synchronized void keep(String browser, String pid, Map<String, String> secrets) {
        Map<String, String> typed = new HashMap<>(Optional.ofNullable(fresh(key(browser, pid)))
                .map(Kept::secrets).orElse(Map.of()));
        secrets.forEach((k, v) -> {
            if (v != null && !v.isEmpty()) {
                typed.put(k, v);
            }
        });
        kept.remove(key(browser, pid));
        if (!typed.isEmpty()) {
            kept.put(key(browser, pid), new Kept(clock.instant(), Map.copyOf(typed)));
        }
        while (kept.size() > MAX_FORMS) {
            kept.remove(kept.keySet().iterator().next());
        }
    }

    /**
     * Returns a secret typed earlier into this browser's form for this configuration.
     *
     * @param browser the browser's binding
     * @param pid the configuration
     * @param key the field key
     * @return the typed value
     */
    synchronized Optional<String> typed(String browser, String pid, String key) {
        Kept k = fresh(key(browser, pid));
        return k == null ? Optional.empty() : Optional.ofNullable(k.secrets().get(key));
    }

    /**
     * Forgets what this browser typed for a configuration (after it was saved).
     *
     * @param browser the browser's binding
     * @param pid the configuration
     */
    synchronized void forget(String browser, String pid) {
        kept.remove(key(browser, pid));
    }

    private Kept fresh(String key) {
        Kept k = kept.get(key);
        if (k != null && k.at().plus(LIFETIME).isBefore(clock.instant())) {
            kept.remove(key);
            return null;
        }
        return k;
    }

    private static String key(String browser, String pid) {
        return browser + " " + pid;
    }
}
