package notification.api.authorization;

import java.net.URI;
import java.time.Instant;

/**
 * The start of an interactive authorization.
 *
 * @param authorizationUrl where to send the administrator's browser
 * @param state the single-use state in that URL
 * @param expiresAt when the state stops being accepted
 */
public record AuthorizationStart(URI authorizationUrl, String state, Instant expiresAt) {
}
