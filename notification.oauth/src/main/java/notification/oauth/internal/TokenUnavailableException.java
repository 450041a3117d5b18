package notification.oauth.internal;

/** No access token could be obtained; says whether only the administrator can fix it, and how. */
final class TokenUnavailableException extends Exception {
    private static final long serialVersionUID = 1L;

    private final boolean needsAdministrator;

    TokenUnavailableException(boolean needsAdministrator, String sentence) {
        super(sentence);
        this.needsAdministrator = needsAdministrator;
    }

    /** @return whether a new sign-in or a configuration change is needed (retrying alone cannot help) */
    boolean needsAdministrator() {
        return needsAdministrator;
    }
}
