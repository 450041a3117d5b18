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
 * The transport's health as last observed, in words an administrator can act on; never holds a secret. It is "not yet
 * tested" ({@code verified} false) until a delivery or a connection check proved the configuration; the last
 * authorization error stays (also across restarts) until a sign-in succeeds. After Exchange
 * or Graph refused the transport's set-up, it holds messages back for a while (60 s, doubling up to 15 min); after
 * the daily sending quota was exceeded, for 24 h. Warns while less than 10 % of the day's recipient budget is left.
 */
final class HealthTracker {

    /** The first hold after a refusal of the transport's set-up. */
    static final Duration FIRST_HOLD = Duration.ofSeconds(60);
    /** The longest hold. */
    static final Duration LONGEST_HOLD = Duration.ofMinutes(15);
    /** The hold after the daily sending quota was exceeded, counted from the first refusal. */
    static final Duration QUOTA_HOLD = Duration.ofHours(24);

    /** The reason given while no one has signed in yet; not an error worth keeping. */
    static final String NOT_AUTHORIZED_YET = "Not authorized yet.";

    private final String mailbox;
    private final Clock clock;
    private final RecipientBudget budget;
    private final AuthorizationErrorFile errorFile;
    private final SecretExpiry secretExpiry;
    private String authorizationError;
    private boolean verified;
    private State state = State.OK;
    private String message = "Ready";
    private Instant lastSuccess;
    private Instant lastFailure;
    private String lastError;
    private final List<String> warnings = new ArrayList<>();
    private Duration nextHold = FIRST_HOLD;
    private Instant heldUntil;
    private String heldBecause;
    private boolean quotaHold;
    private boolean sharedSignIn;

    HealthTracker(String mailbox, Clock clock, RecipientBudget budget) {
        this(mailbox, clock, budget, null, new SecretExpiry(""));
    }

    /**
     * Creates the tracker.
     *
     * @param errorFile where the last authorization error is kept across restarts, or {@code null} for nowhere
     * @param secretExpiry the client secret's expiry, warned about from 30 days before
     */
    HealthTracker(String mailbox, Clock clock, RecipientBudget budget, AuthorizationErrorFile errorFile,
            SecretExpiry secretExpiry) {
        this.mailbox = mailbox;
        this.secretExpiry = secretExpiry;
        this.clock = clock;
        this.budget = budget;
        this.errorFile = errorFile;
        this.authorizationError = errorFile == null ? null : errorFile.load().orElse(null);
    }

    synchronized TransportHealth health() {
        List<String> all = new ArrayList<>(warnings);
        secretExpiry.warning(clock).ifPresent(all::add);
        budget.warning().ifPresent(all::add);
        return new TransportHealth(state, message, lastSuccess, lastFailure,
                authorizationError != null ? authorizationError : lastError, all, verified);
    }

    /** Records that a connection check passed: the configuration is proven. */
    synchronized void checked() {
        verified = true;
    }

    /**
     * Records a failed sign-in (the identity platform's error, a wrong account): kept as the last error, across
     * restarts, until a sign-in succeeds.
     *
     * @param sentence what went wrong and what to do
     */
    synchronized void signInFailed(String sentence) {
        lastFailure = clock.instant();
        keepAuthorizationError("Sign-in failed: " + sentence);
        if (state == State.AUTHORIZATION_REQUIRED) {
            message = "Authorization required: the last sign-in failed: " + sentence;
        }
    }

    private void keepAuthorizationError(String error) {
        authorizationError = error;
        if (errorFile != null) {
            errorFile.save(error);
        }
    }

    synchronized State state() {
        return state;
    }

    synchronized void notConfigured(List<String> problems) {
        state = State.NOT_CONFIGURED;
        verified = false;
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
        verified = false;
        authorizationError = null;
        if (errorFile != null) {
            errorFile.clear();
        }
        message = "Authorized as " + record.account() + " on "
                + java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'")
                        .withZone(java.time.ZoneOffset.UTC).format(record.authorizedAt()) + "."
                + (sharedSignIn ? " The sign-in is kept in the database and serves every node." : "");
    }

    /**
     * Says where the sign-in is kept: a shared one is named in the "authorized" message, and a place's notice (the
     * outbox is shared, the sign-in is not) becomes a warning.
     *
     * @param entries the place
     */
    synchronized void keptIn(TokenEntries entries) {
        sharedSignIn = entries.shared();
        entries.notice().ifPresent(this::warn);
    }

    synchronized void authorizationRequired(String reason) {
        state = State.AUTHORIZATION_REQUIRED;
        verified = false;
        if (reason.equals(NOT_AUTHORIZED_YET) && authorizationError != null) {
            // no sign-in yet, but the last one failed: say why, not just "not authorized"
            message = authorizationError.startsWith("Authorization required: ") ? authorizationError
                    : "Authorization required: " + withFix(authorizationError);
            return;
        }
        message = "Authorization required: " + withFix(reason);
        if (!reason.equals(NOT_AUTHORIZED_YET)) {
            lastFailure = clock.instant();
            lastError = message;
            keepAuthorizationError(message);
        }
    }

    private String withFix(String reason) {
        return reason.contains("Authorize") ? reason : reason + " Click Authorize and sign in as " + mailbox + ".";
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
        verified = true;
        if (quotaHold && heldUntil != null && lastSuccess.isBefore(heldUntil)) {
            // a message accepted on a parallel connection just before the quota ran out: the hold stands
            return;
        }
        clearHold();
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
        quotaHold = false;
        heldUntil = now.plus(nextHold);
        heldBecause = sentence;
        Duration doubled = nextHold.multipliedBy(2);
        nextHold = doubled.compareTo(LONGEST_HOLD) > 0 ? LONGEST_HOLD : doubled;
    }

    /**
     * Records that Exchange or Graph refused a message because the mailbox's daily sending quota is used up: health
     * FAILING with the reply, the day's budget and when sending is expected to work again, and messages held back
     * without connecting for 24 h from the first refusal. A refusal seen while already holding for the quota (a
     * parallel connection) does not lengthen the hold.
     *
     * @param reply the server's explained reply
     * @return the sentence for the held message
     */
    synchronized String quotaExceeded(String reply) {
        Instant now = clock.instant();
        if (quotaHold && heldUntil != null && now.isBefore(heldUntil)) {
            return heldBecause;
        }
        heldUntil = now.plus(QUOTA_HOLD);
        quotaHold = true;
        heldBecause = reply + ". Daily budget: " + budget.describe() + ". Mail is held, not failed, until "
                + heldUntil + " (24 h after the first refusal, when the quota is expected to have recovered); "
                + "Test connection or a configuration change tries again sooner.";
        failing(heldBecause);
        return heldBecause;
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
        quotaHold = false;
        heldBecause = null;
        nextHold = FIRST_HOLD;
    }
}
