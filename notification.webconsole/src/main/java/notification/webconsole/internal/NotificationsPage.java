package notification.webconsole.internal;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import notification.api.NotificationService;
import notification.api.TransportStatus;

/** Renders the Notifications page body (the Web Console draws the frame around it). */
final class NotificationsPage {
    private final PageTemplate template = new PageTemplate("/templates/notifications.html");
    private final NotificationService service;
    private final TransportDirectory directory;
    private final TransportSettings settings;
    private final ConsoleCredentials credentials;

    NotificationsPage(NotificationService service, TransportDirectory directory, TransportSettings settings,
            ConsoleCredentials credentials) {
        this.service = service;
        this.directory = directory;
        this.settings = settings;
        this.credentials = credentials;
    }

    /**
     * Renders the page.
     *
     * @param pluginRoot the page's path, for example "/system/console/notifications"
     * @param ownOrigin the origin the browser used, for example "http://127.0.0.1:9191"
     * @param csrf the browser's CSRF token
     * @param flashes the one-time messages to show
     * @return HTML
     */
    String render(String pluginRoot, String ownOrigin, String csrf, List<Flash> flashes) {
        List<TransportStatus> transports = service.transports();
        Map<String, String> form = new HashMap<>(settings.storedValues());
        form.putIfAbsent("oauth.cloud", "global");
        form.putIfAbsent("oauth.authMode", "delegated");
        form.putIfAbsent("oauth.redirectUri", ownOrigin + OAuthCallbackServlet.PATH);
        form.putIfAbsent("relay.security", "starttls");
        form.putIfAbsent("relay.port", "587");
        String chosen = chosenOption(transports, form).value();
        for (Flash f : flashes) {
            form.putAll(f.draft());
            chosen = f.draft().getOrDefault("server", chosen);
        }
        Map<String, String> raw = new HashMap<>();
        raw.put("banner", credentials.usesDefaultPassword()
                ? "<div id=\"default-credentials\" class=\"nt-flash nt-flash-warn\" role=\"alert\"><b>Warning:</b> "
                        + "the web console still accepts Felix's default credentials admin/admin. "
                        + Html.text(ConsoleCredentials.HOW_TO_CHANGE) + "</div>"
                : "");
        StringBuilder flashHtml = new StringBuilder();
        for (Flash f : flashes) {
            flashHtml.append("<div class=\"nt-flash nt-flash-").append(f.level()).append("\" role=\"status\">")
                    .append(Html.text(f.text())).append("</div>");
        }
        raw.put("flashes", flashHtml.toString());
        raw.put("status", new StatusSection(directory, pluginRoot, csrf, ownOrigin)
                .render(transports, service.counts()));
        raw.put("outbox", new OutboxSection(pluginRoot, csrf).render(service));
        StringBuilder options = new StringBuilder();
        for (ServerOption o : ServerOption.values()) {
            options.append("<option value=\"").append(o.value()).append('"')
                    .append(o.value().equals(chosen) ? " selected" : "").append('>').append(Html.text(o.label()))
                    .append("</option>");
        }
        raw.put("serverOptions", options.toString());
        boolean advanced = "custom".equals(form.get("oauth.cloud")) || !"delegated".equals(form.get("oauth.authMode"))
                || form.get("oauth.trustStore") != null;
        return template.fill(Map.of("pluginRoot", pluginRoot, "csrf", csrf), raw, form, settings::hasStoredSecret,
                flag -> advanced);
    }

    /**
     * Tells which server option the first configured transport corresponds to.
     *
     * @param transports the configured transports
     * @param form the stored form values
     * @return the option
     */
    static ServerOption chosenOption(List<TransportStatus> transports, Map<String, String> form) {
        if (transports.isEmpty()) {
            return ServerOption.PICKUP;
        }
        TransportStatus first = transports.get(0);
        String type = first.type() == null ? "" : first.type();
        if (type.equals("relay") || first.name().equals(TransportSettings.RELAY_TRANSPORT)) {
            return ServerOption.RELAY;
        }
        if (type.startsWith("microsoft") || first.name().equals(TransportSettings.OAUTH_TRANSPORT)) {
            if (type.equals("microsoft-graph") || (first.name().equals(TransportSettings.OAUTH_TRANSPORT)
                    && "graph".equals(form.get("oauth.protocol")))) {
                return ServerOption.GRAPH;
            }
            return form.getOrDefault("oauth.cloud", "").startsWith("usgov") ? ServerOption.OUTLOOK_USGOV
                    : ServerOption.OUTLOOK;
        }
        return ServerOption.PICKUP;
    }
}
