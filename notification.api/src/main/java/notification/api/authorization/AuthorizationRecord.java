package notification.api.authorization;

import java.time.Instant;

/**
 * Who authorized a transport, and when.
 *
 * @param account the account that signed in, for example "scanner@example.com"
 * @param authorizedAt when
 */
public record AuthorizationRecord(String account, Instant authorizedAt) {
}
