package notification.oauth.internal;

import com.microsoft.aad.msal4j.AuthorizationCodeParameters;
import com.microsoft.aad.msal4j.AuthorizationRequestUrlParameters;
import com.microsoft.aad.msal4j.ClientCredentialFactory;
import com.microsoft.aad.msal4j.ClientCredentialParameters;
import com.microsoft.aad.msal4j.ConfidentialClientApplication;
import com.microsoft.aad.msal4j.IAccount;
import com.microsoft.aad.msal4j.IAuthenticationResult;
import com.microsoft.aad.msal4j.ITokenCacheAccessAspect;
import com.microsoft.aad.msal4j.MsalClientException;
import com.microsoft.aad.msal4j.MsalInteractionRequiredException;
import com.microsoft.aad.msal4j.MsalServiceException;
import com.microsoft.aad.msal4j.Prompt;
import com.microsoft.aad.msal4j.ResponseMode;
import com.microsoft.aad.msal4j.SilentParameters;
import java.net.MalformedURLException;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Talks to the Microsoft identity platform through MSAL4J: the authorize URL, code redemption (into a throw-away
 * cache, so a refused sign-in stores nothing), silent acquisition from the persisted cache (refresh tokens rotate and
 * are saved), and client credentials. MSAL4J's errors become {@link TokenUnavailableException}s with a diagnosis.
 */
final class MsalTokens {

    /**
     * A redeemed authorization code.
     *
     * @param result MSAL4J's result
     * @param serializedCache the throw-away cache holding the new tokens
     */
    record Redeemed(IAuthenticationResult result, String serializedCache) {
    }

    private final MicrosoftSettings settings;
    private final ConfidentialClientApplication application;
    private final Duration callTimeout;

    MsalTokens(MicrosoftSettings settings, ITokenCacheAccessAspect cache) {
        this.settings = settings;
        this.application = build(settings, cache);
        this.callTimeout = settings.connectTimeout.plus(settings.readTimeout).multipliedBy(2);
    }

    URI authorizationUrl(PendingAuthorizations.Pending pending) {
        AuthorizationRequestUrlParameters parameters = AuthorizationRequestUrlParameters
                .builder(settings.redirectUri, settings.scopes())
                .state(pending.state()).nonce(pending.nonce())
                .codeChallenge(pending.challenge()).codeChallengeMethod("S256")
                .loginHint(settings.username).prompt(Prompt.SELECT_ACCOUNT)
                .responseMode(ResponseMode.FORM_POST).build();
        try {
            return application.getAuthorizationRequestUrl(parameters).toURI();
        } catch (URISyntaxException e) {
            throw new IllegalStateException("MSAL4J built an invalid authorize URL", e);
        }
    }

    Redeemed redeem(String code, String verifier, String redirectUri) throws TokenUnavailableException {
        ConfidentialClientApplication throwAway = build(settings, null);
        AuthorizationCodeParameters parameters = AuthorizationCodeParameters
                .builder(code, URI.create(redirectUri)).scopes(settings.scopes()).codeVerifier(verifier)
                .build();
        IAuthenticationResult result = await(throwAway.acquireToken(parameters));
        return new Redeemed(result, throwAway.tokenCache().serialize());
    }

    /**
     * Gets an access token without user interaction: from the cache, or by refresh token (delegated), or by client
     * credentials (app-only).
     *
     * @param homeAccountId the authorized account (delegated), or {@code null}
     * @param forceRefresh whether to skip cached access tokens (the keep-alive, or after a rejected token)
     * @return the token
     * @throws TokenUnavailableException if none can be had, saying why
     */
    AccessToken acquire(String homeAccountId, boolean forceRefresh) throws TokenUnavailableException {
        IAuthenticationResult result;
        if (settings.appOnly) {
            result = await(application.acquireToken(ClientCredentialParameters.builder(settings.scopes())
                    .skipCache(forceRefresh).build()));
        } else {
            IAccount account = await(application.getAccounts()).stream()
                    .filter(a -> a.homeAccountId().equals(homeAccountId)).findFirst()
                    .orElseThrow(() -> new TokenUnavailableException(true, "No stored sign-in for "
                            + settings.username + ". Click Authorize and sign in as " + settings.username + "."));
            SilentParameters parameters = SilentParameters.builder(settings.scopes(), account)
                    .authorityUrl(settings.cloud.authority()).forceRefresh(forceRefresh).build();
            try {
                result = await(application.acquireTokenSilently(parameters));
            } catch (MalformedURLException e) {
                throw new TokenUnavailableException(true, "The authority URL " + settings.cloud.authority()
                        + " is not a URL.");
            }
        }
        return new AccessToken(result.accessToken(), result.expiresOnDate().toInstant());
    }

    private <T> T await(CompletableFuture<T> future) throws TokenUnavailableException {
        try {
            return future.get(callTimeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException | CompletionException e) {
            throw explain(e.getCause() == null ? e : e.getCause());
        } catch (TimeoutException e) {
            future.cancel(true);
            throw new TokenUnavailableException(false, "The Microsoft identity platform at " + host()
                    + " did not answer within " + callTimeout.toSeconds() + " seconds.");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TokenUnavailableException(false, "Interrupted while asking the identity platform.");
        } catch (RuntimeException e) {
            throw explain(e);
        }
    }

    private TokenUnavailableException explain(Throwable failure) {
        Throwable cause = failure;
        while ((cause instanceof CompletionException || cause instanceof ExecutionException)
                && cause.getCause() != null) {
            cause = cause.getCause();
        }
        if (cause instanceof TokenUnavailableException t) {
            return t;
        }
        if (cause instanceof java.io.UncheckedIOException u) { // the stored cache cannot be read (database down)
            return new TokenUnavailableException(false, u.getCause().getMessage());
        }
        if (cause instanceof MsalServiceException s) {
            String description = s.getMessage();
            boolean admin = s instanceof MsalInteractionRequiredException
                    || Diagnostics.needsAdministrator(s.errorCode(), description);
            return new TokenUnavailableException(admin, Diagnostics.identityError(s.errorCode(), description));
        }
        if (cause instanceof MsalClientException c) {
            return new TokenUnavailableException(false, "The Microsoft identity platform at " + host()
                    + " cannot be reached or answered unexpectedly (" + (c.errorCode() == null ? "" : c.errorCode()
                    + ": ") + Diagnostics.firstLine(c.getMessage()) + ").");
        }
        return new TokenUnavailableException(false, "Asking the Microsoft identity platform at " + host()
                + " failed: " + cause.getClass().getSimpleName() + ": " + Diagnostics.firstLine(cause.getMessage()));
    }

    private String host() {
        return URI.create(settings.cloud.authority()).getAuthority();
    }

    private static ConfidentialClientApplication build(MicrosoftSettings settings, ITokenCacheAccessAspect cache) {
        try {
            ConfidentialClientApplication.Builder builder = ConfidentialClientApplication
                    .builder(settings.clientId, ClientCredentialFactory.createFromSecret(settings.clientSecret))
                    .authority(settings.cloud.authority())
                    .instanceDiscovery(settings.cloud.microsoftHost())
                    .validateAuthority(settings.cloud.microsoftHost())
                    .connectTimeoutForDefaultHttpClient((int) settings.connectTimeout.toMillis())
                    .readTimeoutForDefaultHttpClient((int) settings.readTimeout.toMillis());
            if (settings.tls != null) {
                builder.sslSocketFactory(settings.tls.getSocketFactory());
            }
            if (cache != null) {
                builder.setTokenCacheAccessAspect(cache);
            }
            return builder.build();
        } catch (MalformedURLException e) {
            throw new IllegalArgumentException("authority '" + settings.cloud.authority() + "' is not a URL", e);
        }
    }
}
