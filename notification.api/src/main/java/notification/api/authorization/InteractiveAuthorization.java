package notification.api.authorization;

import java.util.Map;
import java.util.Optional;
import org.osgi.annotation.versioning.ProviderType;

/**
 * The sign-in step of a transport that sends as a mailbox through delegated OAuth2: begin an authorization (the URL
 * the administrator's browser goes to), complete it from the callback's parameters, and report who authorized.
 *
 * <p>Registered with the {@link notification.api.transport.MailTransport#NAME} property of the transport it
 * authorizes.
 */
@ProviderType
public interface InteractiveAuthorization {

    /**
     * Returns the name of the transport this authorizes.
     *
     * @return the transport name
     */
    String transportName();

    /**
     * Returns the mailbox the administrator must sign in as.
     *
     * @return the sending mailbox address
     */
    String expectedAccount();

    /**
     * Returns the redirect URI registered for the application, where the identity provider sends the browser back.
     *
     * @return the redirect URI
     */
    String redirectUri();

    /**
     * Starts an authorization: creates a single-use state bound to the browser, a PKCE verifier and a nonce, and
     * returns the URL to send the browser to.
     *
     * @param browserBinding a value only the administrator's browser can present again at the callback (for example
     *        a hash of its console session cookie)
     * @return the URL and the state
     * @throws AuthorizationException if the transport is not configured well enough to start
     */
    AuthorizationStart begin(String browserBinding) throws AuthorizationException;

    /**
     * Tells whether a callback's state was issued by this transport and is still pending.
     *
     * @param state the state parameter of the callback
     * @return {@code true} if {@link #complete(Map, String)} should handle it
     */
    boolean recognizes(String state);

    /**
     * Completes an authorization from the callback's parameters: checks the state (single use, same browser, not
     * expired), redeems the code and checks that the account that signed in is the expected mailbox.
     *
     * @param callbackParameters the callback's query or form parameters (state, code, error, error_description)
     * @param browserBinding the same value as given to {@link #begin(String)}
     * @return who authorized and when
     * @throws AuthorizationException with an administrator-readable message when anything is wrong; nothing is stored
     */
    AuthorizationRecord complete(Map<String, String> callbackParameters, String browserBinding)
            throws AuthorizationException;

    /**
     * Returns the last successful authorization.
     *
     * @return who authorized and when, or empty if never
     */
    Optional<AuthorizationRecord> lastAuthorization();
}
