package notification.smtp;

/**
 * No access token could be had: the message is not attempted. The message is a sentence for the administrator and
 * never holds a secret.
 */
public final class SmtpTokenUnavailableException extends Exception {
    private static final long serialVersionUID = 1L;

    private final boolean authorizationRequired;

    /**
     * Creates the exception.
     *
     * @param authorizationRequired whether only a new sign-in or a configuration change can help
     * @param sentence what is wrong and how to fix it
     */
    public SmtpTokenUnavailableException(boolean authorizationRequired, String sentence) {
        super(sentence);
        this.authorizationRequired = authorizationRequired;
    }

    /**
     * Tells whether only the administrator can help.
     *
     * @return {@code true} when a new sign-in or a configuration change is needed; {@code false} when retrying later
     *         may work (the identity provider was unreachable)
     */
    public boolean authorizationRequired() {
        return authorizationRequired;
    }
}
