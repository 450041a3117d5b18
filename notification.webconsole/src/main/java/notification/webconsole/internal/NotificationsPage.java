package notification.webconsole.internal;

import java.net.URI;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import notification.api.DeliveryState;
import notification.api.NotificationService;
import notification.api.NotificationStoreException;
import notification.api.OutboxStoreStatus;
import notification.api.TransportStatus;
import notification.api.transport.BudgetUse;

/** Renders the Notifications page body (the Web Console draws the frame around it). */
final class NotificationsPage {
    private static final String UNREACHABLE_OUTBOX = "<p id=\"outbox-unavailable\">The outbox cannot be listed while"
            + " its database cannot be reached. Nothing accepted is lost: deliveries continue when it is back.</p>";
    private final PageTemplate template = new PageTemplate("/templates/notifications.html");
    private final NotificationService service;
    private final TransportDirectory directory;
    private final TransportConfigurations configurations;
    private final TransportSchemas schemas;
    private final TypedSecrets typedSecrets;
    private final ConsoleCredentials credentials;

    NotificationsPage(NotificationService service, TransportDirectory directory, TransportConfigurations configurations,
            TransportSchemas schemas, TypedSecrets typedSecrets, ConsoleCredentials credentials) {
        this.service = service;
        this.directory = directory;
        this.configurations = configurations;
        this.schemas = schemas;
        this.typedSecrets = typedSecrets;
        this.credentials = credentials;
    }

    /**
     * Renders the page.
     *
     * @param pluginRoot the page's path, for example "/system/console/notifications"
     * @param ownOrigin the origin the browser used, for example "http://127.0.0.1:9191"
     * @param csrf the browser's CSRF token
     * @param browser the browser's binding (secrets it typed into a refused form)
     * @param edit the transport to edit, or {@code null} for the first one
     * @param flashes the one-time messages to show
     * @param budget each mailbox's use of its sending budget (empty without the budget service)
     * @return HTML
     */
    String render(String pluginRoot, String ownOrigin, String csrf, String browser, String edit, List<Flash> flashes,
            List<BudgetUse> budget) {
        List<TransportStatus> transports = service.transports();
        Map<String, String> draft = new HashMap<>();
        Map<String, String> problems = new HashMap<>();
        for (Flash f : flashes) {
            draft.putAll(f.draft());
            problems.putAll(f.problems());
        }
        String editName = edit != null ? edit : transports.stream().findFirst().map(TransportStatus::name).orElse("");
        Optional<TransportConfigurations.Stored> edited = configurations.byName(editName);

        Map<String, List<ServerOption>> kinds = new LinkedHashMap<>();
        for (ServerOption o : ServerOption.KNOWN) {
            if (o.factoryPid() != null) {
                kinds.computeIfAbsent(o.factoryPid(), k -> new ArrayList<>()).add(o);
            }
        }
        List<ServerOption> choices = new ArrayList<>(ServerOption.KNOWN);
        Optional<ServerOption> editedOption = edited.flatMap(s -> ServerOption.showing(s.factoryPid(), s.properties())
                .or(() -> schemas.forFactory(s.factoryPid()).map(ServerOption::other)));
        editedOption.filter(o -> !kinds.containsKey(o.factoryPid())).ifPresent(o -> {
            kinds.put(o.factoryPid(), List.of(o));
            choices.add(choices.size() - 1, o);
        });
        String chosen = draft.getOrDefault("server", editedOption.map(ServerOption::value)
                .orElse(ServerOption.PICKUP.value()));

        SettingsForm form = new SettingsForm(draft, problems, proposedRedirectUri(ownOrigin));
        StringBuilder fieldsets = new StringBuilder();
        kinds.forEach((factoryPid, options) -> {
            TransportConfigurations.Stored stored = edited.filter(s -> factoryPid.equals(s.factoryPid()))
                    .orElseGet(() -> configurations.ofFactory(factoryPid).stream().findFirst().orElse(null));
            Optional<TransportSchema> schema = schemas.forFactory(factoryPid);
            if (schema.isPresent()) {
                String pid = stored == null ? configurations.newPid(factoryPid) : stored.pid();
                fieldsets.append(form.fieldset(schema.get(), options, stored,
                        key -> typedSecrets.typed(browser, pid, key).isPresent()));
            } else {
                fieldsets.append("<fieldset class=\"nt-fields\" data-options=\"").append(Html.text(String.join(" ",
                        options.stream().map(ServerOption::value).toList()))).append("\"><p>This transport is not "
                        + "installed or not running: no settings are declared for ").append(Html.text(factoryPid))
                        .append(".</p></fieldset>");
            }
        });

        Map<String, String> raw = new HashMap<>();
        raw.put("banner", credentials.usesDefaultPassword()
                ? "<div id=\"default-credentials\" class=\"nt-flash nt-flash-warn ui-state-highlight\" role=\"alert\">"
                        + "<b>Warning:</b> the web console still accepts Felix's default credentials admin/admin. "
                        + Html.text(ConsoleCredentials.HOW_TO_CHANGE) + "</div>"
                : "");
        StringBuilder flashHtml = new StringBuilder();
        for (Flash f : flashes) {
            flashHtml.append("<div class=\"nt-flash nt-flash-").append(f.level())
                    .append(f.level().equals("error") ? " ui-state-error" : " ui-state-highlight")
                    .append("\" role=\"status\">").append(Html.text(f.text())).append("</div>");
        }
        raw.put("flashes", flashHtml.toString());
        OutboxStoreStatus store = service.outboxStore();
        Map<DeliveryState, Long> counts = countsIfReachable(service, store);
        raw.put("status", new StatusSection(directory, configurations, pluginRoot, csrf, ownOrigin)
                .render(transports, counts));
        raw.put("nodes", new NodesSection(ZoneId.systemDefault()).render(store));
        raw.put("budget", BudgetSection.render(budget));
        raw.put("outbox", counts == null ? UNREACHABLE_OUTBOX : outbox(pluginRoot, csrf));
        StringBuilder options = new StringBuilder();
        for (ServerOption o : choices) {
            options.append("<option value=\"").append(Html.text(o.value())).append('"')
                    .append(o.value().equals(chosen) ? " selected" : "").append('>').append(Html.text(o.label()))
                    .append("</option>");
        }
        raw.put("serverOptions", options.toString());
        raw.put("fieldsets", fieldsets.toString());
        return template.fill(Map.of("pluginRoot", pluginRoot, "csrf", csrf), raw);
    }

    private String outbox(String pluginRoot, String csrf) {
        try {
            return new OutboxSection(pluginRoot, csrf).render(service);
        } catch (NotificationStoreException e) {
            return UNREACHABLE_OUTBOX;
        }
    }

    /**
     * Counts the outbox's entries, unless its database is known to be unreachable (the counts would wait for it).
     *
     * @param service the notification service
     * @param store the store's status, read just before
     * @return the counts, or {@code null} when the database cannot be reached
     */
    static Map<DeliveryState, Long> countsIfReachable(NotificationService service, OutboxStoreStatus store) {
        if (!store.reachable()) {
            return null;
        }
        try {
            return service.counts();
        } catch (NotificationStoreException e) {
            return null;
        }
    }

    /**
     * Proposes the redirect URI for a new Microsoft transport: localhost on the port the browser used whatever
     * address it used (Microsoft accepts http only for localhost), or this address when it is already https.
     *
     * @param ownOrigin the origin the browser used
     * @return the redirect URI
     */
    static String proposedRedirectUri(String ownOrigin) {
        URI origin = URI.create(ownOrigin);
        if ("https".equalsIgnoreCase(origin.getScheme())) {
            return ownOrigin + OAuthCallbackServlet.PATH;
        }
        return "http://localhost" + (origin.getPort() < 0 ? "" : ":" + origin.getPort()) + OAuthCallbackServlet.PATH;
    }
}
