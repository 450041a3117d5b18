package notification.webconsole.internal;

import jakarta.servlet.Servlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Clock;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import notification.api.authorization.AuthorizationException;
import notification.api.authorization.AuthorizationRecord;
import notification.api.authorization.InteractiveAuthorization;
import org.osgi.framework.BundleContext;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where Microsoft's sign-in returns the administrator's browser ({@value #PATH}, outside the console, protected by the
 * single-use state bound to the browser instead of the console login). Accepts form_post and query responses.
 * Unknown states are answered from a hash look-up, each client address has a small budget of requests, and
 * refusals are logged at most once a minute in summary.
 */
@Component(service = Servlet.class, property = {
        "osgi.http.whiteboard.servlet.pattern=" + OAuthCallbackServlet.PATH,
        "osgi.http.whiteboard.servlet.name=notification OAuth callback"})
public final class OAuthCallbackServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(OAuthCallbackServlet.class);
    /** The callback's path on the console's port. */
    static final String PATH = "/azure-oauth2-callback";
    /** Marks the second, same-site POST made by the resume page. */
    private static final String RESUMED = "resumed";
    private static final int TOO_MANY_REQUESTS = 429;
    private static final String RESUME_SCRIPT = "document.getElementById('resume').submit();";
    /** Requests an address may make at once, and how many come back each minute (a sign-in makes two). */
    private static final int BUDGET_CAPACITY = 20;
    private static final int BUDGET_PER_MINUTE = 20;
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss z");

    private final transient TransportDirectory directory;
    private final transient BrowserSessions sessions;
    private final transient ConsoleCredentials credentials;
    private final transient ClientBudget budget = new ClientBudget(BUDGET_CAPACITY, BUDGET_PER_MINUTE,
            Clock.systemUTC());
    private final transient RefusalSummary refusals = new RefusalSummary(LOG::warn, "OAuth callback",
            Clock.systemUTC());

    /**
     * Creates the callback.
     *
     * @param directory finds the authorization that issued a state
     * @param sessions recognises the browser
     * @param configurationAdmin to find the console's root path
     * @param context the bundle context
     */
    @Activate
    public OAuthCallbackServlet(@Reference TransportDirectory directory, @Reference BrowserSessions sessions,
            @Reference ConfigurationAdmin configurationAdmin, BundleContext context) {
        this.directory = directory;
        this.sessions = sessions;
        this.credentials = new ConsoleCredentials(configurationAdmin, context);
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        handle(request, response);
    }

    @Override
    protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
        handle(request, response);
    }

    /** Logs the refusals counted since the last summary. */
    @Deactivate
    void deactivate() {
        refusals.flush();
    }

    private void handle(HttpServletRequest request, HttpServletResponse response) throws IOException {
        SecurityHeaders.applyToCallback(response, SecurityHeaders.hashSource(RESUME_SCRIPT));
        if (!budget.spend(request.getRemoteAddr())) {
            refusals.record("too many requests from one address", request.getRemoteAddr());
            response.setHeader("Retry-After", "60");
            page(response, TOO_MANY_REQUESTS, "Too many requests", "This address sent too many sign-in answers. "
                    + "Wait a minute, then go back to the Notifications page and click Authorize again.");
            return;
        }
        Map<String, String> params = new LinkedHashMap<>();
        request.getParameterMap().forEach((k, v) -> {
            if (v != null && v.length > 0 && !k.equals(RESUMED)) {
                params.put(k, v[0]);
            }
        });
        String state = params.get("state");
        Optional<InteractiveAuthorization> authorization = state == null || state.isBlank() ? Optional.empty()
                : directory.recognizing(state);
        if (authorization.isEmpty()) {
            refusals.record("unknown, used or expired state", request.getRemoteAddr());
            page(response, HttpServletResponse.SC_BAD_REQUEST, "Sign-in not accepted",
                    "This sign-in response is unknown, was already used, or has expired. Nothing was stored. "
                            + "Go back to the Notifications page and click Authorize again.");
            return;
        }
        Optional<String> cookie = sessions.cookie(request);
        if (cookie.isEmpty()) {
            if (request.getMethod().equals("POST") && request.getParameter(RESUMED) == null) {
                resume(response, params);
            } else {
                page(response, HttpServletResponse.SC_BAD_REQUEST, "Sign-in not accepted",
                        "This browser did not start the sign-in (it does not present the console's cookie for "
                                + SameOrigin.ownOrigin(request) + "). Nothing was stored. Open the Notifications page "
                                + "at the address of the redirect URI and click Authorize there.");
            }
            return;
        }
        Flash flash;
        try {
            AuthorizationRecord record = authorization.get().complete(params, sessions.browserBinding(cookie.get()));
            LOG.info("Transport {} authorized by {}", authorization.get().transportName(), record.account());
            flash = Flash.ok("Authorized: " + record.account() + " signed in on "
                    + TIME.format(record.authorizedAt().atZone(ZoneId.systemDefault())) + ".");
        } catch (AuthorizationException e) {
            if (e.reason() == AuthorizationException.Reason.INVALID_STATE) {
                refusals.record("state refused: " + e.getMessage(), request.getRemoteAddr());
                page(response, HttpServletResponse.SC_BAD_REQUEST, "Sign-in not accepted",
                        e.getMessage() + " Nothing was stored.");
                return;
            }
            LOG.warn("Authorization of transport {} failed: {}", authorization.get().transportName(),
                    ConsoleActions.printable(e.getMessage()));
            flash = Flash.error("Authorization failed: " + e.getMessage());
        }
        sessions.addFlash(cookie.get(), flash);
        response.setStatus(HttpServletResponse.SC_SEE_OTHER);
        response.setHeader("Location", credentials.consoleRoot() + "/" + NotificationsPlugin.LABEL);
    }

    /**
     * Answers the cross-site form_post, which arrives without the SameSite=Lax cookie, with a page that posts the
     * same parameters again from this origin, so the browser now sends its cookie.
     */
    private static void resume(HttpServletResponse response, Map<String, String> params) throws IOException {
        StringBuilder html = new StringBuilder("<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>Signing in"
                + "</title></head><body><form id=\"resume\" method=\"post\" action=\"" + PATH + "\">");
        params.forEach((k, v) -> html.append("<input type=\"hidden\" name=\"").append(Html.text(k))
                .append("\" value=\"").append(Html.text(v)).append("\">"));
        html.append("<input type=\"hidden\" name=\"").append(RESUMED).append("\" value=\"1\">")
                .append("<p>Completing the sign-in... <button type=\"submit\">Continue</button></p></form><script>")
                .append(RESUME_SCRIPT).append("</script></body></html>");
        response.setStatus(HttpServletResponse.SC_OK);
        response.setContentType("text/html");
        response.setCharacterEncoding("UTF-8");
        response.getWriter().write(html.toString());
    }

    private void page(HttpServletResponse response, int status, String title, String message) throws IOException {
        String back = credentials.consoleRoot() + "/" + NotificationsPlugin.LABEL;
        response.setStatus(status);
        response.setContentType("text/html");
        response.setCharacterEncoding("UTF-8");
        response.getWriter().write("<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>" + Html.text(title)
                + "</title></head><body><h1>" + Html.text(title) + "</h1><p id=\"callback-error\">"
                + Html.text(message) + "</p><p><a href=\"" + Html.text(back) + "\">Back to the Notifications page</a>"
                + "</p></body></html>");
    }
}
