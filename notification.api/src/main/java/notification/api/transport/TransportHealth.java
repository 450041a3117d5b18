package notification.api.transport;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * A transport's health, in words an administrator can act on. Never contains a secret.
 *
 * @param state the state
 * @param message what is true and what to do next, for example "Authorization required: click Authorize and sign
 *        in as scanner@example.com"
 * @param lastSuccess when a message was last delivered, or {@code null}
 * @param lastFailure when the last failure happened, or {@code null}
 * @param lastError the last failure in words (server reply and the fix), or {@code null}
 * @param warnings things that will go wrong unless acted upon (for example an expiring client secret); never
 *        {@code null}
 */
public record TransportHealth(
        State state, String message, Instant lastSuccess, Instant lastFailure, String lastError, List<String> warnings) {

    /** The states a transport can be in. */
    public enum State {
        /** Ready to deliver. */
        OK,
        /** An administrator must authorize (sign in) before it can deliver. */
        AUTHORIZATION_REQUIRED,
        /** Its last attempts failed; it may recover by itself. */
        FAILING,
        /** Not configured, or not present. */
        NOT_CONFIGURED
    }

    /**
     * Creates a health report.
     *
     * @param state the state
     * @param message the message
     * @param lastSuccess the last success, or {@code null}
     * @param lastFailure the last failure, or {@code null}
     * @param lastError the last error, or {@code null}
     * @param warnings the warnings, or {@code null} for none
     */
    public TransportHealth {
        Objects.requireNonNull(state, "state");
        warnings = warnings == null ? List.of() : List.copyOf(warnings);
    }

    /**
     * A healthy transport with no history.
     *
     * @param message the message, for example "Ready"
     * @return the health
     */
    public static TransportHealth ok(String message) {
        return new TransportHealth(State.OK, message, null, null, null, null);
    }

    /**
     * A report with a state and a message only.
     *
     * @param state the state
     * @param message the message
     * @return the health
     */
    public static TransportHealth of(State state, String message) {
        return new TransportHealth(state, message, null, null, null, null);
    }

    /**
     * Tells whether the transport can deliver now.
     *
     * @return {@code true} when the state is OK or FAILING (a failing transport is still tried)
     */
    public boolean canDeliver() {
        return state == State.OK || state == State.FAILING;
    }
}
