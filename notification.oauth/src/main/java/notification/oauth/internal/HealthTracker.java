package notification.oauth.internal;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import notification.api.authorization.AuthorizationRecord;
import notification.api.transport.TransportHealth;
import notification.api.transport.TransportHealth.State;

/**
 * The transport's health as last observed, in words an administrator can act on; never holds a secret. After Exchange
 * or Graph refused the transport's set-up, it holds messages back for a while (60 s, doubling up to 15 min).
 */
final class HealthTracker {

    /** The first hold after a refusal of the transport's set-up. */
    static final Duration FIRST_HOLD = Duration.ofSeconds(60);
    /** The longest hold. */
    static final Duration LONGEST_HOLD = Duration.ofMinutes(15);

    private final String mailbox;
    private final Clock clock;
    private State state = State.OK;
    private String message = "Ready";
    private Instant lastSuccess;
    private Instant lastFailure;
    private String lastError;
    private final List<String> warnings = new ArrayList<>();
    private Duration nextHold = FIRST_HOLD;
    private Instant heldUntil;
    private String heldBecause;

    HealthTracker(String mailbox, Clock clock) {
        this.mailbox = mailbox;
        this.clock = clock;
    }

    synchronized TransportHealth health() {
        return new TransportHealth(state, message, lastSuccess, lastFailure, lastError, warnings);
    }

    synchronized State state() {
        return state;
    }

    synchronized void notConfigured(List<String> problems) {
        state = State.NOT_CONFIGURED;
        message = "Not configured: " + String.join("; ", problems) + ".";
    }

    synchronized void ready(String text) {
        clearHold();
        state = State.OK;
        message = text;
    }

    synchronized void authorized(AuthorizationRecord record) {
        clearHold();
        state = State.OK;
        message = "Authorized as " + record.account() + " at " + record.authorizedAt() + ".";
    }

    synchronized void authorizationRequired(String reason) {
        state = State.AUTHORIZATION_REQUIRED;
        String fix = reason.contains("Authorize") ? "" : " Click Authorize and sign in as " + mailbox + ".";
        message = "Authorization required: " + reason + fix;
        lastFailure = clock.instant();
        lastError = message;
    }

    synchronized void failing(String error) {
        state = State.FAILING;
        message = "Failing: " + error;
        lastFailure = clock.instant();
        lastError = error;
    }

    /** Records a failure that says nothing about the transport itself (for example one refused recipient). */
    synchronized void failed(String error) {
        lastFailure = clock.instant();
        lastError = error;
    }

    synchronized void delivered() {
        clearHold();
        lastSuccess = clock.instant();
        if (state == State.FAILING) {
            state = State.OK;
            message = "Delivering again.";
        }
    }

    synchronized void warn(String warning) {
        if (!warnings.contains(warning)) {
            warnings.add(warning);
        }
    }

    /**
     * Records that Exchange or Graph refused the transport's set-up (SMTP AUTH disabled, token or permission refused):
     * health FAILING with the sentence, and messages held back without connecting for 60 s, doubling on each further
     * refusal up to 15 minutes. A refusal seen while already holding (a parallel connection) does not lengthen it.
     *
     * @param sentence what the administrator must fix
     */
    synchronized void refused(String sentence) {
        failing(sentence);
        Instant now = clock.instant();
        if (heldUntil != null && now.isBefore(heldUntil)) {
            return;
        }
        heldUntil = now.plus(nextHold);
        heldBecause = sentence;
        Duration doubled = nextHold.multipliedBy(2);
        nextHold = doubled.compareTo(LONGEST_HOLD) > 0 ? LONGEST_HOLD : doubled;
    }

    /** @return the refusal sentence while messages are held back after a refusal, else empty */
    synchronized Optional<String> held() {
        if (heldUntil == null || !clock.instant().isBefore(heldUntil)) {
            return Optional.empty();
        }
        return Optional.of(heldBecause);
    }

    /** @return until when messages are held back, or {@code null} */
    synchronized Instant heldUntil() {
        return heldUntil;
    }

    /** Ends the hold at once (connection test, new authorization, delivery) and starts the next one at 60 s. */
    synchronized void clearHold() {
        heldUntil = null;
        heldBecause = null;
        nextHold = FIRST_HOLD;
    }
}
