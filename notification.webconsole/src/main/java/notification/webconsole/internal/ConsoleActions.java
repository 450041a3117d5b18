package notification.webconsole.internal;

import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import notification.api.NotificationService;
import notification.api.TransportStatus;
import notification.api.authorization.AuthorizationException;
import notification.api.authorization.AuthorizationStart;
import notification.api.authorization.InteractiveAuthorization;
import notification.api.transport.TransportHealth;
import org.osgi.framework.BundleContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Carries out the page's POST actions (already checked for CSRF) and says what happened. */
final class ConsoleActions {
    private static final Logger LOG = LoggerFactory.getLogger(ConsoleActions.class);

    /**
     * What an action leads to: a message for the page, or a browser redirect elsewhere.
     *
     * @param flash the message to show on the page, or {@code null}
     * @param redirect where to send the browser instead of back to the page, or {@code null}
     */
    record Outcome(Flash flash, String redirect) {
        static Outcome show(Flash flash) {
            return new Outcome(flash, null);
        }
    }

    private final NotificationService service;
    private final TransportDirectory directory;
    private final SettingsActions settings;

    ConsoleActions(NotificationService service, TransportDirectory directory, TransportConfigurations configurations,
            TransportSchemas schemas, TypedSecrets typedSecrets, BundleContext context) {
        this.service = service;
        this.directory = directory;
        this.settings = new SettingsActions(service, directory, configurations, schemas, typedSecrets, context);
    }

    /**
     * Saves the chosen option's fields into its transport's configuration; see {@link SettingsActions#apply}.
     *
     * @param request the form post
     * @param browser the browser's binding
     * @return the outcome
     */
    Outcome apply(HttpServletRequest request, String browser) {
        return settings.apply(request, browser);
    }

    /**
     * Moves a transport in the delivery order or removes it from the order; see {@link SettingsActions#transports}.
     *
     * @param request the form post
     * @return the outcome
     */
    Outcome transports(HttpServletRequest request) {
        return settings.transports(request);
    }

    /**
     * Starts the sign-in of an OAuth transport.
     *
     * @param request the form post
     * @param browserBinding the browser's binding
     * @param ownOrigin the origin the browser used
     * @return a redirect to the identity provider, or a message
     */
    Outcome authorize(HttpServletRequest request, String browserBinding, String ownOrigin) {
        String name = Optional.ofNullable(request.getParameter("transport")).orElse(firstTransportName());
        Optional<InteractiveAuthorization> authorization = directory.authorizationFor(name);
        if (authorization.isEmpty()) {
            return Outcome.show(Flash.error("Transport \"" + name + "\" does not need or offer a sign-in right now. "
                    + "Check that its settings were applied."));
        }
        String redirectOrigin = SameOrigin.originOf(authorization.get().redirectUri());
        if (!redirectOrigin.equals(ownOrigin)) {
            return Outcome.show(Flash.error("The sign-in returns to " + authorization.get().redirectUri()
                    + ", but this page is open at " + ownOrigin + ". Open the page at " + redirectOrigin
                    + " (or change the Redirect URI) and click Authorize there."));
        }
        try {
            AuthorizationStart start = authorization.get().begin(browserBinding);
            LOG.info("Console user {} started the sign-in of transport {}", request.getRemoteUser(), name);
            return new Outcome(null, start.authorizationUrl().toString());
        } catch (AuthorizationException e) {
            return Outcome.show(Flash.error("Authorization could not start: " + e.getMessage()));
        }
    }

    /**
     * Checks the connection of a transport without sending anything.
     *
     * @param request the form post
     * @return the outcome
     */
    Outcome testConnection(HttpServletRequest request) {
        String name = Optional.ofNullable(request.getParameter("transport")).orElse(firstTransportName());
        Optional<TransportDirectory.Transport> transport = directory.transport(name);
        if (transport.isEmpty()) {
            return Outcome.show(Flash.error("Transport \"" + name + "\" is not running."));
        }
        TransportHealth health = transport.get().service().testConnection();
        String detail = health.message() == null ? "" : ": " + health.message();
        if (health.state() == TransportHealth.State.OK) {
            return Outcome.show(Flash.ok("Connection test of " + name + " passed" + detail));
        }
        String error = health.lastError() == null || health.lastError().equals(health.message()) ? ""
                : " (" + health.lastError() + ")";
        return Outcome.show(Flash.error("Connection test of " + name + " failed, "
                + StatusSection.statusWords(health.state()) + detail + error));
    }

    /**
     * Retries or discards an outbox entry.
     *
     * @param request the form post
     * @return the outcome
     */
    Outcome outbox(HttpServletRequest request) {
        String id = request.getParameter("id");
        String action = request.getParameter("action");
        if (id == null || id.isBlank()) {
            return Outcome.show(Flash.error("Outbox: no notification id given."));
        }
        if ("retry".equals(action) || "discard".equals(action)) {
            LOG.info("Console user {}: {} notification {}", request.getRemoteUser(), action, printable(id));
        }
        if ("retry".equals(action)) {
            return Outcome.show(service.retry(id) ? Flash.ok("Notification " + id + " will be sent again now.")
                    : Flash.error("Notification " + id + " cannot be retried (unknown or already sent)."));
        }
        if ("discard".equals(action)) {
            return Outcome.show(service.discard(id) ? Flash.ok("Notification " + id + " discarded.")
                    : Flash.error("Notification " + id + " cannot be discarded (unknown, or being sent right now)."));
        }
        return Outcome.show(Flash.error("Outbox: unknown action."));
    }

    /**
     * Sends a test message.
     *
     * @param request the form post
     * @return the outcome
     */
    Outcome test(HttpServletRequest request) {
        return Outcome.show(new TestMessage(service).send(request.getParameter("to"), request.getRemoteUser()));
    }

    /**
     * Makes a value safe for a one-line log entry: control characters (a forged line break) become "_".
     *
     * @param value the value
     * @return the value without control characters
     */
    static String printable(String value) {
        return value == null ? null : value.replaceAll("\\p{Cntrl}", "_");
    }

    private String firstTransportName() {
        return service.transports().stream().findFirst().map(TransportStatus::name).orElse("");
    }

    static Map<String, String> form(HttpServletRequest request) {
        Map<String, String> form = new HashMap<>();
        request.getParameterMap().forEach((k, v) -> {
            if (v != null && v.length > 0) {
                form.put(k, v[0]);
            }
        });
        return form;
    }
}
