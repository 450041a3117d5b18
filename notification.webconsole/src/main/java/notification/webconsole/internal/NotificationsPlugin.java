package notification.webconsole.internal;

import jakarta.servlet.Servlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.List;
import notification.api.NotificationService;
import notification.api.OutboxStoreStatus;
import notification.api.TransportStatus;
import notification.api.authorization.InteractiveAuthorization;
import notification.api.transport.BudgetUse;
import notification.api.transport.SendingBudget;
import org.osgi.framework.BundleContext;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.metatype.MetaTypeService;

/**
 * The Notifications page of the Felix Web Console (/system/console/notifications): status, SMTP server settings,
 * Authorize, test message, the shared outbox's nodes, the sending budget and the outbox; plus notifications.json.
 * Every state change is a same-origin POST with the browser's CSRF token.
 */
@Component(service = Servlet.class, property = {
        "felix.webconsole.label=" + NotificationsPlugin.LABEL,
        "felix.webconsole.title=Notifications",
        "felix.webconsole.category=Print server",
        "felix.webconsole.css=/" + NotificationsPlugin.LABEL + "/res/notifications.css"})
public final class NotificationsPlugin extends HttpServlet {
    private static final long serialVersionUID = 1L;
    /** The page's label, the last segment of its address. */
    static final String LABEL = "notifications";

    private final transient NotificationService service;
    private final transient TransportDirectory directory;
    private final transient BrowserSessions sessions;
    private final transient ConsoleCredentials credentials;
    private final transient NotificationsPage page;
    private final transient ConsoleActions actions;
    private final transient SecurityHeaders headers;
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    private transient volatile SendingBudget budget;

    /**
     * Creates the page.
     *
     * @param service the notification service
     * @param configurationAdmin where transport settings are stored
     * @param directory the transports and authorizations present
     * @param sessions browser recognition, CSRF tokens and one-time messages
     * @param metaType where each transport declares its settings
     * @param context the bundle context
     */
    @Activate
    public NotificationsPlugin(@Reference NotificationService service, @Reference ConfigurationAdmin configurationAdmin,
            @Reference TransportDirectory directory, @Reference BrowserSessions sessions,
            @Reference MetaTypeService metaType, BundleContext context) {
        this.service = service;
        this.directory = directory;
        this.sessions = sessions;
        this.credentials = new ConsoleCredentials(configurationAdmin, context);
        TransportConfigurations configurations = new TransportConfigurations(configurationAdmin);
        TransportSchemas schemas = new TransportSchemas(context, metaType);
        TypedSecrets typedSecrets = new TypedSecrets(java.time.Clock.systemUTC());
        this.page = new NotificationsPage(service, directory, configurations, schemas, typedSecrets, credentials);
        this.actions = new ConsoleActions(service, directory, configurations, schemas, typedSecrets, context);
        this.headers = new SecurityHeaders(context);
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String appRoot = appRoot(request);
        headers.applyToConsole(response, appRoot, LABEL);
        String cookie = sessions.identify(request, response);
        if (subPath(request).equals(".json")) {
            List<TransportStatus> transports = service.transports();
            OutboxStoreStatus store = service.outboxStore();
            response.setContentType("application/json");
            response.setCharacterEncoding("UTF-8");
            response.getWriter().write(StatusJson.render(transports, NotificationsPage.countsIfReachable(service, store),
                    StatusJson.current(transports).flatMap(t -> directory.authorizationFor(t.name()))
                    .flatMap(InteractiveAuthorization::lastAuthorization), store, budgetUses()));
            return;
        }
        String html = page.render(appRoot + "/" + LABEL, SameOrigin.ownOrigin(request), sessions.csrfToken(cookie),
                sessions.browserBinding(cookie), request.getParameter("edit"), sessions.takeFlashes(cookie),
                budgetUses());
        response.getWriter().write(html);
    }

    @Override
    protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
        headers.applyToConsole(response, appRoot(request), LABEL);
        if (!SameOrigin.isSameOrigin(request)) {
            refuse(response, "Refused: this request came from another site ("
                    + request.getHeader("Origin") + "). Nothing was changed.");
            return;
        }
        if (!sessions.hasValidCsrfToken(request)) {
            refuse(response, "Refused: the form token is missing or out of date (the page may be older than the "
                    + "last restart). Reload the page and try again. Nothing was changed.");
            return;
        }
        String cookie = sessions.cookie(request).orElseThrow();
        ConsoleActions.Outcome outcome = switch (subPath(request)) {
            case "/apply" -> actions.apply(request, sessions.browserBinding(cookie));
            case "/transports" -> actions.transports(request);
            case "/authorize" -> actions.authorize(request, sessions.browserBinding(cookie),
                    SameOrigin.ownOrigin(request));
            case "/test" -> actions.test(request);
            case "/test-connection" -> actions.testConnection(request);
            case "/outbox" -> actions.outbox(request);
            default -> null;
        };
        if (outcome == null) {
            response.sendError(HttpServletResponse.SC_NOT_FOUND);
            return;
        }
        if (outcome.flash() != null) {
            sessions.addFlash(cookie, outcome.flash());
        }
        response.setStatus(HttpServletResponse.SC_SEE_OTHER);
        response.setHeader("Location", outcome.redirect() != null ? outcome.redirect()
                : appRoot(request) + "/" + LABEL);
    }

    /** Asks the sending budget once for this view; nothing when the notification service publishes none. */
    private List<BudgetUse> budgetUses() {
        SendingBudget b = budget;
        return b == null ? List.of() : b.uses();
    }

    private static void refuse(HttpServletResponse response, String message) throws IOException {
        response.setStatus(HttpServletResponse.SC_FORBIDDEN);
        response.setContentType("text/plain");
        response.setCharacterEncoding("UTF-8");
        response.getWriter().write(message);
    }

    private String appRoot(HttpServletRequest request) {
        Object root = request.getAttribute("felix.webconsole.appRoot");
        return root instanceof String s ? s : credentials.consoleRoot();
    }

    /** Returns what follows the label: "" for the page, ".json", "/apply", ... */
    private static String subPath(HttpServletRequest request) {
        String path = request.getPathInfo();
        if (path == null) {
            return "";
        }
        int at = path.indexOf("/" + LABEL);
        String rest = at < 0 ? path : path.substring(at + LABEL.length() + 1);
        return rest.endsWith("/") ? rest.substring(0, rest.length() - 1) : rest;
    }
}
