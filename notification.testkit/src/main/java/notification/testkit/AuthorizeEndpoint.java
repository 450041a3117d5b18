package notification.testkit;

import static notification.testkit.HttpExchanges.encode;
import static notification.testkit.HttpExchanges.html;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The fake's {@code /oauth2/v2.0/authorize}: GET shows a sign-in page with the account field pre-filled from
 * {@code login_hint}; POSTing the page's form signs in and sends code and state (or an injected error) to the
 * redirect URI, by {@code form_post} (an auto-submitting form) or by a query redirect.
 */
final class AuthorizeEndpoint {

    private final FakeMicrosoftIdentityPlatform platform;
    private final Map<String, FakeMicrosoftIdentityPlatform.AuthorizeRequest> pending = new ConcurrentHashMap<>();

    AuthorizeEndpoint(FakeMicrosoftIdentityPlatform platform) {
        this.platform = platform;
    }

    void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            if ("GET".equals(exchange.getRequestMethod())) {
                showSignInPage(exchange, HttpExchanges.parseForm(exchange.getRequestURI().getRawQuery()));
            } else if ("POST".equals(exchange.getRequestMethod())) {
                signIn(exchange, HttpExchanges.body(exchange));
            } else {
                HttpExchanges.reply(exchange, 405, "text/plain", "method not allowed");
            }
        }
    }

    private void showSignInPage(HttpExchange exchange, Map<String, String> query) throws IOException {
        FakeMicrosoftIdentityPlatform.AuthorizeRequest request = new FakeMicrosoftIdentityPlatform.AuthorizeRequest(
                query.getOrDefault("client_id", ""), query.getOrDefault("redirect_uri", ""),
                query.getOrDefault("scope", ""), query.getOrDefault("state", ""), query.getOrDefault("nonce", ""),
                query.getOrDefault("code_challenge", ""), query.getOrDefault("code_challenge_method", ""),
                query.getOrDefault("login_hint", ""), query.getOrDefault("response_mode", ""));
        platform.recordAuthorize(request);
        if (!platform.clientId().equals(request.clientId())) {
            errorPage(exchange, "AADSTS700016: Application with identifier '" + request.clientId()
                    + "' was not found in the directory '" + platform.tenantId() + "'.");
            return;
        }
        if (!"code".equals(query.get("response_type")) || request.redirectUri().isEmpty()) {
            errorPage(exchange, "AADSTS900144: The request body must contain the parameters response_type=code "
                    + "and redirect_uri.");
            return;
        }
        String requestId = Randoms.token();
        pending.put(requestId, request);
        HttpExchanges.reply(exchange, 200, "text/html; charset=utf-8", "<!DOCTYPE html>\n<html><head>"
                + "<title>Sign in to your account</title></head><body>\n<h1>Sign in (fake Microsoft identity "
                + "platform)</h1>\n<p>Application <code>" + html(request.clientId()) + "</code> asks for: <code>"
                + html(request.scope()) + "</code></p>\n<form id=\"sign-in-form\" method=\"post\">\n"
                + "<input type=\"hidden\" name=\"request\" value=\"" + html(requestId) + "\">\n"
                + "<label for=\"username\">Account</label> <input id=\"username\" name=\"username\" value=\""
                + html(request.loginHint()) + "\">\n<button id=\"sign-in\" type=\"submit\">Sign in</button>\n"
                + "</form>\n</body></html>\n");
    }

    private void signIn(HttpExchange exchange, Map<String, String> form) throws IOException {
        FakeMicrosoftIdentityPlatform.AuthorizeRequest request = pending.remove(form.getOrDefault("request", ""));
        if (request == null) {
            errorPage(exchange, "AADSTS90014: The sign-in request is unknown or was already used.");
            return;
        }
        Optional<FakeMicrosoftIdentityPlatform.Account> account = platform.account(form.get("username"));
        if (account.isEmpty()) {
            errorPage(exchange, "AADSTS50034: The user account " + form.get("username")
                    + " does not exist in the " + platform.tenantId() + " directory.");
            return;
        }
        Map<String, String> result = new LinkedHashMap<>();
        Optional<Map.Entry<String, String>> injected = platform.takeAuthorizeError();
        if (injected.isPresent()) {
            result.put("error", injected.get().getKey());
            result.put("error_description", injected.get().getValue());
        } else {
            result.put("code", platform.issueCode(request, account.get()));
        }
        result.put("state", request.state());
        if ("form_post".equals(request.responseMode())) {
            StringBuilder page = new StringBuilder("<!DOCTYPE html>\n<html><head><title>Working...</title></head>"
                    + "<body>\n<form id=\"form_post\" method=\"post\" action=\"" + html(request.redirectUri())
                    + "\">\n");
            result.forEach((k, v) -> page.append("<input type=\"hidden\" name=\"").append(html(k))
                    .append("\" value=\"").append(html(v)).append("\">\n"));
            page.append("<noscript><button type=\"submit\">Continue</button></noscript></form>\n<script>"
                    + "document.getElementById('form_post').submit();</script>\n</body></html>\n");
            HttpExchanges.reply(exchange, 200, "text/html; charset=utf-8", page.toString());
        } else {
            StringBuilder location = new StringBuilder(request.redirectUri());
            char separator = request.redirectUri().contains("?") ? '&' : '?';
            for (Map.Entry<String, String> e : result.entrySet()) {
                location.append(separator).append(encode(e.getKey())).append('=').append(encode(e.getValue()));
                separator = '&';
            }
            HttpExchanges.redirect(exchange, location.toString());
        }
    }

    private static void errorPage(HttpExchange exchange, String message) throws IOException {
        HttpExchanges.reply(exchange, 400, "text/html; charset=utf-8", "<!DOCTYPE html>\n<html><head><title>"
                + "Sign in error</title></head><body><h1>Sorry, but we're having trouble signing you in.</h1><p id="
                + "\"error\">" + html(message) + "</p></body></html>\n");
    }
}
