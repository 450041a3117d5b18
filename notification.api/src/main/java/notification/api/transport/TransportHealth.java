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
 * @param verified whether the transport has proved, since its configuration was last applied, that it can reach its
 *        mail system: a message was delivered, a connection test passed, or the automatic connection check after
 *        activation or sign-in passed (for SMTP: connect, TLS, AUTH, nothing sent; for an API: a token and a
 *        harmless call). Until then an {@link State#OK OK} state only means "nothing is known to be wrong", and an
 *        administrator should read it as "not yet tested". An unverified transport still delivers.
 * @since 1.1
 */
public record TransportHealth(
        State state, String message, Instant lastSuccess, Instant lastFailure, String lastError, List<String> warnings,
        boolean verified) {

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
     * @param verified whether the transport has proved it can reach its mail system
     */
    public TransportHealth {
        Objects.requireNonNull(state, "state");
        warnings = warnings == null ? List.of() : List.copyOf(warnings);
    }

    /**
     * Creates a health report from a transport that does not say whether it proved itself: it counts as verified
     * once it has delivered a message ({@code lastSuccess} is set).
     *
     * @param state the state
     * @param message the message
     * @param lastSuccess the last success, or {@code null}
     * @param lastFailure the last failure, or {@code null}
     * @param lastError the last error, or {@code null}
     * @param warnings the warnings, or {@code null} for none
     */
    public TransportHealth(State state, String message, Instant lastSuccess, Instant lastFailure, String lastError,
            List<String> warnings) {
        this(state, message, lastSuccess, lastFailure, lastError, warnings, lastSuccess != null);
    }

    /**
     * A healthy transport with no history, not yet verified.
     *
     * @param message the message, for example "Ready"
     * @return the health
     */
    public static TransportHealth ok(String message) {
        return new TransportHealth(State.OK, message, null, null, null, null, false);
    }

    /**
     * A report with a state and a message only.
     *
     * @param state the state
     * @param message the message
     * @return the health
     */
    public static TransportHealth of(State state, String message) {
        return new TransportHealth(state, message, null, null, null, null, false);
    }

    /**
     * Tells whether the transport can deliver now.
     *
     * @return {@code true} when the state is OK or FAILING (a failing transport is still tried)
     */
    public boolean canDeliver() {
        return state == State.OK || state == State.FAILING;
    }

    /**
     * Tells whether the transport is OK and has proved it.
     *
     * @return {@code true} when the state is OK and the transport is {@linkplain #verified() verified}
     * @since 1.1
     */
    public boolean provenOk() {
        return state == State.OK && verified;
    }

}
