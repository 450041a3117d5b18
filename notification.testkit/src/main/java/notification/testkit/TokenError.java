package notification.testkit;

/**
 * An error the fake token endpoint answers with, shaped like Microsoft Entra ID's: an OAuth2 {@code error}, an
 * {@code error_description} starting with the AADSTS code, and the numeric code in {@code error_codes}.
 *
 * @param status the HTTP status
 * @param error the OAuth2 error, for example "invalid_grant"
 * @param code the AADSTS number, for example 700082
 * @param description the description after "AADSTSnnn: "
 */
public record TokenError(int status, String error, int code, String description) {

    /**
     * The client secret is wrong (typically the Secret ID entered instead of its Value).
     *
     * @return the error
     */
    public static TokenError invalidClientSecret() {
        return new TokenError(401, "invalid_client", 7000215, "Invalid client secret provided. Ensure the secret "
                + "being sent in the request is the client secret value, not the client secret ID.");
    }

    /**
     * The client secret has expired.
     *
     * @return the error
     */
    public static TokenError clientSecretExpired() {
        return new TokenError(401, "invalid_client", 7000222, "The provided client secret keys are expired.");
    }

    /**
     * The refresh token lapsed after 90 days without use.
     *
     * @return the error
     */
    public static TokenError refreshTokenExpired() {
        return new TokenError(400, "invalid_grant", 700082,
                "The refresh token has expired due to inactivity. The token was inactive for 90.00:00:00.");
    }

    /**
     * The refresh token was revoked (password change, admin revocation).
     *
     * @return the error
     */
    public static TokenError refreshTokenRevoked() {
        return new TokenError(400, "invalid_grant", 50173,
                "The provided grant has expired due to it being revoked, a fresh auth token is needed.");
    }

    /**
     * The user or administrator has not consented to the permissions.
     *
     * @return the error
     */
    public static TokenError consentRequired() {
        return new TokenError(400, "invalid_grant", 65001,
                "The user or administrator has not consented to use the application.");
    }

    /**
     * Returns the description as Entra ID sends it, starting with the code.
     *
     * @return "AADSTSnnn: description"
     */
    public String fullDescription() {
        return "AADSTS" + code + ": " + description;
    }

    String toJson() {
        return "{\"error\":" + HttpExchanges.json(error) + ",\"error_description\":"
                + HttpExchanges.json(fullDescription() + "\r\nTrace ID: 00000000-0000-0000-0000-000000000001"
                        + "\r\nCorrelation ID: 00000000-0000-0000-0000-000000000002")
                + ",\"error_codes\":[" + code + "],\"trace_id\":\"00000000-0000-0000-0000-000000000001\""
                + ",\"correlation_id\":\"00000000-0000-0000-0000-000000000002\"}";
    }
}
