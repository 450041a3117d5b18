package notification.oauth.internal;

import java.util.Map;
import notification.api.authorization.AuthorizationException;
import notification.api.authorization.AuthorizationException.Reason;
import notification.api.authorization.AuthorizationRecord;

/**
 * The provider-neutral part of completing an administrator's sign-in: the callback is taken back to the sign-in begun
 * in this browser, the provider's error or the code is read from it, what the sign-in gave is stored under the lock
 * that refreshes take, and a sign-in refused by the provider or for the wrong account stays in the health until one
 * succeeds (also after a restart).
 */
final class SignInCompletion {

    /** Describes the provider's {@code error} and {@code error_description} as a sentence with the fix. */
    interface ErrorText {
        String of(String error, String description);
    }

    /** What a provider does with the code: redeems and checks it, stores the result, returns the record. */
    interface Redeemer {
        AuthorizationRecord redeem(PendingAuthorizations.Pending begun, String code) throws AuthorizationException;
    }

    private final PendingAuthorizations pending;
    private final HealthTracker health;
    private final TokenEntries entries;

    SignInCompletion(PendingAuthorizations pending, HealthTracker health, TokenEntries entries) {
        this.pending = pending;
        this.health = health;
        this.entries = entries;
    }

    /**
     * Completes a sign-in from its callback.
     *
     * @param parameters the callback's query parameters
     * @param browserBinding the browser's binding, which must be the one that began the sign-in
     * @param target what the sign-in must have been begun for
     * @param errorText how the provider's errors read
     * @param redeemer what the provider does with the code
     * @return the record of the sign-in
     * @throws AuthorizationException with the reason and a sentence saying what to do
     */
    AuthorizationRecord complete(Map<String, String> parameters, String browserBinding, SignInTarget target,
            ErrorText errorText, Redeemer redeemer) throws AuthorizationException {
        try {
            PendingAuthorizations.Pending begun = pending.take(parameters.get("state"), browserBinding, target);
            String error = parameters.get("error");
            if (error != null && !error.isBlank()) {
                throw new AuthorizationException(Reason.PROVIDER_ERROR,
                        errorText.of(error, parameters.get("error_description")));
            }
            String code = parameters.get("code");
            if (code == null || code.isBlank()) {
                throw new AuthorizationException(Reason.PROVIDER_ERROR, "The sign-in answer carried neither a code "
                        + "nor an error. Start again with Authorize.");
            }
            return redeemer.redeem(begun, code);
        } catch (AuthorizationException e) {
            if (e.reason() == Reason.PROVIDER_ERROR || e.reason() == Reason.WRONG_ACCOUNT) {
                health.signInFailed(e.getMessage());
            }
            throw e;
        }
    }

    /**
     * Stores what a sign-in gave, not between another node's reading and storing a refreshed token.
     *
     * @param storing the writes
     * @throws AuthorizationException PROVIDER_ERROR if the place cannot be locked or written
     */
    void store(TokenEntries.Work<Void, TokenUnavailableException> storing) throws AuthorizationException {
        try {
            entries.exclusive(storing);
        } catch (TokenUnavailableException e) {
            throw new AuthorizationException(Reason.PROVIDER_ERROR, "The sign-in succeeded but cannot be stored: "
                    + e.getMessage());
        }
    }
}
