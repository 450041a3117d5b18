package notification.oauth.internal;

import java.util.ArrayList;
import java.util.List;

/**
 * What a sign-in is started for: the app registration, the tenant's authority and the sending mailbox. A sign-in
 * begun for one target is not completed for another.
 *
 * @param clientId the application (client) ID
 * @param authority the authority URL (cloud and tenant)
 * @param username the sending mailbox
 */
record SignInTarget(String clientId, String authority, String username) {

    /**
     * The target of a transport's current configuration.
     *
     * @param settings the settings
     * @return the target
     */
    static SignInTarget of(MicrosoftSettings settings) {
        return new SignInTarget(settings.clientId, settings.cloud == null ? "" : settings.cloud.authority(),
                settings.username);
    }

    /**
     * Names what differs from the current target.
     *
     * @param now the target of the configuration in force
     * @return for example "client ID 1111... (now 2222...)", empty when nothing differs
     */
    List<String> differencesFrom(SignInTarget now) {
        List<String> found = new ArrayList<>();
        if (!clientId.equals(now.clientId)) {
            found.add("client ID " + clientId + " (now " + now.clientId + ")");
        }
        if (!authority.equals(now.authority)) {
            found.add("tenant/authority " + authority + " (now " + now.authority + ")");
        }
        if (!username.equalsIgnoreCase(now.username)) {
            found.add("mailbox " + username + " (now " + now.username + ")");
        }
        return found;
    }
}
