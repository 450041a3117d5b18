package notification.smtp;

import java.util.Objects;

/** How the engine authenticates: not at all, with a username and password (PLAIN, LOGIN), or with AUTH XOAUTH2. */
public final class SmtpAuthentication {
    private static final SmtpAuthentication NONE = new SmtpAuthentication(Method.NONE, "", null, null);

    /** The SASL method. */
    public enum Method {
        /** No AUTH. */
        NONE,
        /** AUTH PLAIN, or LOGIN when the server offers only that. */
        PASSWORD,
        /** AUTH XOAUTH2 with an access token from a {@link SmtpTokenSource}. */
        XOAUTH2
    }

    private final Method method;
    private final String username;
    private final String password;
    private final SmtpTokenSource tokens;

    private SmtpAuthentication(Method method, String username, String password, SmtpTokenSource tokens) {
        this.method = method;
        this.username = username;
        this.password = password;
        this.tokens = tokens;
    }

    /**
     * No authentication (an internal relay).
     *
     * @return the authentication
     */
    public static SmtpAuthentication none() {
        return NONE;
    }

    /**
     * A username and password.
     *
     * @param username the username
     * @param password the password; never shown
     * @return the authentication
     */
    public static SmtpAuthentication password(String username, String password) {
        return new SmtpAuthentication(Method.PASSWORD, Objects.requireNonNull(username),
                Objects.requireNonNull(password), null);
    }

    /**
     * AUTH XOAUTH2 for a mailbox with tokens from a source.
     *
     * @param username the mailbox the tokens were issued for
     * @param tokens hands out access tokens
     * @return the authentication
     */
    public static SmtpAuthentication xoauth2(String username, SmtpTokenSource tokens) {
        return new SmtpAuthentication(Method.XOAUTH2, Objects.requireNonNull(username),
                null, Objects.requireNonNull(tokens));
    }

    /**
     * Returns the method.
     *
     * @return the method
     */
    public Method method() {
        return method;
    }

    /**
     * Returns the username.
     *
     * @return the username; empty without authentication
     */
    public String username() {
        return username;
    }

    String password() {
        return password;
    }

    SmtpTokenSource tokens() {
        return tokens;
    }

    @Override
    public String toString() {
        return switch (method) {
            case NONE -> "no authentication";
            case PASSWORD -> "user " + username;
            case XOAUTH2 -> "XOAUTH2 as " + username;
        };
    }
}
