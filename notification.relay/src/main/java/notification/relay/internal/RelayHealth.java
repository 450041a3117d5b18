package notification.relay.internal;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import notification.api.transport.TransportHealth;
import notification.api.transport.TransportHealth.State;
import notification.smtp.SmtpSecurity;

/** Remembers the last success and the last failure of one relay and turns them into a health report. */
final class RelayHealth {
    private final Clock clock;
    private final AtomicReference<Snapshot> snapshot = new AtomicReference<>(new Snapshot(null, null, null, false));

    private volatile Texts texts;
    private volatile Report last;

    private record Snapshot(Instant lastSuccess, Instant lastFailure, String lastError, boolean failing) {
    }

    /** The texts of the health of one configuration, built once rather than on every report. */
    private record Texts(RelaySettings settings, String ready, List<String> warnings) {
    }

    /** The last report, returned again while neither the history nor the configuration changed. */
    private record Report(Snapshot snapshot, RelaySettings settings, TransportHealth health) {
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
        Report r = last;
        if (r != null && r.snapshot == s && r.settings == settings) {
            return r.health;
        }
        Texts t = textsFor(settings);
        TransportHealth health = s.failing
                ? new TransportHealth(State.FAILING, "Relay '" + name + "' cannot deliver through "
                        + settings.server() + ": " + s.lastError, s.lastSuccess, s.lastFailure, s.lastError,
                        t.warnings)
                : new TransportHealth(State.OK, t.ready, s.lastSuccess, s.lastFailure, s.lastError, t.warnings);
        last = new Report(s, settings, health);
        return health;
    }

    private Texts textsFor(RelaySettings settings) {
        Texts t = texts;
        if (t == null || t.settings != settings) {
            List<String> warnings = settings.security == SmtpSecurity.NONE && settings.authenticates()
                    ? List.of("The password is sent without encryption: set 'security' to starttls or tls.")
                    : List.of();
            t = new Texts(settings, "Ready: " + settings, warnings);
            texts = t;
        }
        return t;
    }
}
