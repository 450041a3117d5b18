package notification.oauth.internal;

import java.util.Map;
import java.util.Optional;
import notification.api.authorization.AuthorizationException;
import notification.api.authorization.AuthorizationRecord;
import notification.api.authorization.AuthorizationStart;
import notification.api.authorization.InteractiveAuthorization;

/**
 * The sign-in service as published: a transport's own, followed by the automatic connection check once a sign-in
 * succeeded, so "Authorize, sign in" ends with a proven transport (or the reason it is not).
 */
final class CheckAfterSignIn implements InteractiveAuthorization {

    private final MicrosoftMailTransport transport;
    private final InteractiveAuthorization signIn;

    CheckAfterSignIn(MicrosoftMailTransport transport) {
        this.transport = transport;
        this.signIn = transport.authorization();
    }

    @Override
    public String transportName() {
        return signIn.transportName();
    }

    @Override
    public String expectedAccount() {
        return signIn.expectedAccount();
    }

    @Override
    public String redirectUri() {
        return signIn.redirectUri();
    }

    @Override
    public AuthorizationStart begin(String browserBinding) throws AuthorizationException {
        return signIn.begin(browserBinding);
    }

    @Override
    public boolean recognizes(String state) {
        return signIn.recognizes(state);
    }

    @Override
    public AuthorizationRecord complete(Map<String, String> callbackParameters, String browserBinding)
            throws AuthorizationException {
        AuthorizationRecord record = signIn.complete(callbackParameters, browserBinding);
        transport.checkInBackground();
        return record;
    }

    @Override
    public Optional<AuthorizationRecord> lastAuthorization() {
        return signIn.lastAuthorization();
    }
}
