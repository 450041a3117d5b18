package notification.api.authorization;

/**
 * An authorization could not be started or completed. The message says what went wrong and what to do, in words an
 * administrator can act on, and never contains a secret.
 */
public class AuthorizationException extends Exception {
    private static final long serialVersionUID = 1L;

    /** Why the authorization failed. */
    public enum Reason {
        /** The state is unknown, already used, expired or from another browser. */
        INVALID_STATE,
        /** Someone other than the expected mailbox signed in. */
        WRONG_ACCOUNT,
        /** The identity provider returned an error. */
        PROVIDER_ERROR,
        /** The transport's configuration is incomplete. */
        NOT_CONFIGURED
    }

    private final Reason reason;

    /**
     * Creates the exception.
     *
     * @param reason why
     * @param message what went wrong and what to do
     */
    public AuthorizationException(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    /**
     * Returns why the authorization failed.
     *
     * @return the reason
     */
    public Reason reason() {
        return reason;
    }
}
