package notification.relay.internal;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import notification.api.transport.TransportHealth;
import notification.api.transport.TransportHealth.State;

/**
 * Remembers the last success and the last failure of one relay, and whether it proved it works (a delivery or a
 * passed connection check since its configuration was applied), and turns them into a health report.
 */
final class RelayHealth {
    private final Clock clock;
    private final AtomicReference<Snapshot> snapshot = new AtomicReference<>(new Snapshot(null, null, null, false, false));

    private volatile Texts texts;
    private volatile Report last;

    private record Snapshot(Instant lastSuccess, Instant lastFailure, String lastError, boolean failing,
            boolean verified) {
    }

    /** The texts of the health of one configuration, built once rather than on every report. */
    private record Texts(RelaySettings settings, String ready, String untested, List<String> warnings) {
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
        snapshot.updateAndGet(s -> new Snapshot(now, s.lastFailure, s.lastError, false, true));
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
        snapshot.updateAndGet(s -> new Snapshot(s.lastSuccess, now, error, serverProblem, s.verified));
    }

    /** Forgets the failing state and the proof: a new configuration has not proved anything yet; the history stays. */
    void reconfigured() {
        snapshot.updateAndGet(s -> new Snapshot(s.lastSuccess, s.lastFailure, s.lastError, false, false));
    }

    /** Returns when a connection check starting now began, to pass to {@link #checked} or {@link #checkFailed}. */
    Instant checkStarts() {
        return clock.instant();
    }

    /**
     * Records a passed connection check (connect, TLS, AUTH, nothing sent): the relay is proven. A failure seen by a
     * delivery while the check ran stays.
     *
     * @param started when the check began
     */
    void checked(Instant started) {
        snapshot.updateAndGet(s -> s.failing && s.lastFailure != null && s.lastFailure.isAfter(started)
                ? new Snapshot(s.lastSuccess, s.lastFailure, s.lastError, true, true)
                : new Snapshot(s.lastSuccess, s.lastFailure, s.lastError, false, true));
    }

    /**
     * Records a failed connection check, unless a delivery succeeded while it ran (that proves more).
     *
     * @param error the reason in words
     * @param started when the check began
     */
    void checkFailed(String error, Instant started) {
        Instant now = clock.instant();
        snapshot.updateAndGet(s -> s.lastSuccess != null && s.lastSuccess.isAfter(started) ? s
                : new Snapshot(s.lastSuccess, now, error, true, s.verified));
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
                    s.lastSuccess, s.lastFailure, s.lastError, null, false);
        }
        Report r = last;
        if (r != null && r.snapshot == s && r.settings == settings) {
            return r.health;
        }
        Texts t = textsFor(settings);
        TransportHealth health = s.failing
                ? new TransportHealth(State.FAILING, "Relay '" + name + "' cannot deliver through "
                        + settings.server() + ": " + s.lastError, s.lastSuccess, s.lastFailure, s.lastError,
                        t.warnings, s.verified)
                : new TransportHealth(State.OK, s.verified ? t.ready : t.untested, s.lastSuccess, s.lastFailure,
                        s.lastError, t.warnings, s.verified);
        last = new Report(s, settings, health);
        return health;
    }

    private Texts textsFor(RelaySettings settings) {
        Texts t = texts;
        if (t == null || t.settings != settings) {
            List<String> warnings = settings.security == Security.NONE && settings.authenticates()
                    ? List.of("The password is sent without encryption: set 'security' to starttls or tls.")
                    : List.of();
            // unproven: only what is configured; "not yet tested" is said from TransportHealth.verified
            t = new Texts(settings, "Ready: " + settings, "Configured: " + settings, warnings);
            texts = t;
        }
        return t;
    }
}
