package notification.oauth.internal;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import notification.api.authorization.AuthorizationRecord;
import notification.api.transport.TransportHealth;
import notification.api.transport.TransportHealth.State;

/** The transport's health as last observed, in words an administrator can act on; never holds a secret. */
final class HealthTracker {

    private final String mailbox;
    private final Clock clock;
    private State state = State.OK;
    private String message = "Ready";
    private Instant lastSuccess;
    private Instant lastFailure;
    private String lastError;
    private final List<String> warnings = new ArrayList<>();

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
        state = State.OK;
        message = text;
    }

    synchronized void authorized(AuthorizationRecord record) {
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
}
