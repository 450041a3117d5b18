package notification.relay.internal;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import notification.api.transport.TransportHealth;
import notification.api.transport.TransportHealth.State;

/** Remembers the last success and the last failure of one relay and turns them into a health report. */
final class RelayHealth {
    private final Clock clock;
    private final AtomicReference<Snapshot> snapshot = new AtomicReference<>(new Snapshot(null, null, null, false));

    private record Snapshot(Instant lastSuccess, Instant lastFailure, String lastError, boolean failing) {
    }

    RelayHealth(Clock clock) {
        this.clock = clock;
    }

    /** Records that the server accepted a message or a connection test. */
    void succeeded() {
        Instant now = clock.instant();
        snapshot.updateAndGet(s -> new Snapshot(now, s.lastFailure, s.lastError, false));
    }

    /**
     * Records a failure.
     *
     * @param error the server's reply or the reason in words
     * @param serverProblem {@code true} when the server or the connection failed (the relay is then FAILING);
     *        {@code false} when only this message or recipient was refused
     */
    void failed(String error, boolean serverProblem) {
        Instant now = clock.instant();
        // a refusal of one message still proves the server answers: only server problems make the relay FAILING
        snapshot.updateAndGet(s -> new Snapshot(s.lastSuccess, now, error, serverProblem));
    }

    /** Forgets the failing state (a new configuration, a passed connection test); the history stays. */
    void recovered() {
        snapshot.updateAndGet(s -> new Snapshot(s.lastSuccess, s.lastFailure, s.lastError, false));
    }

    /**
     * Reports the health.
     *
     * @param name the relay's name
     * @param settings the settings, or {@code null} when the configuration is invalid
     * @param problem the configuration problem, when {@code settings} is {@code null}
     * @return the health
     */
    TransportHealth report(String name, RelaySettings settings, String problem) {
        Snapshot s = snapshot.get();
        if (settings == null) {
            return new TransportHealth(State.NOT_CONFIGURED, "Relay '" + name + "' is not configured: " + problem,
                    s.lastSuccess, s.lastFailure, s.lastError, null);
        }
        List<String> warnings = settings.security == Security.NONE && settings.authenticates()
                ? List.of("The password is sent without encryption: set 'security' to starttls or tls.")
                : List.of();
        if (s.failing) {
            return new TransportHealth(State.FAILING, "Relay '" + name + "' cannot deliver through "
                    + settings.server() + ": " + s.lastError, s.lastSuccess, s.lastFailure, s.lastError, warnings);
        }
        return new TransportHealth(State.OK, "Ready: " + settings, s.lastSuccess, s.lastFailure, s.lastError,
                warnings);
    }
}
