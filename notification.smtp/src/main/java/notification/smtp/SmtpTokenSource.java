package notification.smtp;

import org.osgi.annotation.versioning.ConsumerType;

/** Hands the engine OAuth2 access tokens for AUTH XOAUTH2: one per new connection, never per message. */
@ConsumerType
public interface SmtpTokenSource {

    /**
     * Returns an access token for the mailbox.
     *
     * @param forceRefresh {@code true} after the server refused the last token: ask the identity provider for a new
     *        one even if the one at hand has not expired
     * @return the bearer token
     * @throws SmtpTokenUnavailableException if no token can be had; the engine then connects to nothing
     */
    String accessToken(boolean forceRefresh) throws SmtpTokenUnavailableException;

    /**
     * Tells whether a fresh token may help after the server refused AUTH with a reply. The engine asks for a fresh
     * token (and reconnects) at most once per connection attempt.
     *
     * @param reply the server's reply to AUTH, for example "535 5.7.3 Authentication unsuccessful"
     * @return by default, whether the reply is a 535
     */
    default boolean refreshHelps(String reply) {
        return reply != null && reply.strip().startsWith("535");
    }
}
