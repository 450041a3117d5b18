package notification.webconsole.internal;

import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import notification.api.DeliveryState;
import notification.api.TransportStatus;
import notification.api.authorization.AuthorizationRecord;
import notification.api.authorization.InteractiveAuthorization;
import notification.api.transport.TransportHealth;

/** Renders the status area: the state in words, what to do next, who authorized, warnings and outbox counts. */
final class StatusSection {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss z");

    private final TransportDirectory directory;
    private final TransportConfigurations configurations;
    private final String pluginRoot;
    private final String csrf;
    private final String ownOrigin;
    private final ZoneId zone = ZoneId.systemDefault();

    StatusSection(TransportDirectory directory, TransportConfigurations configurations, String pluginRoot, String csrf,
            String ownOrigin) {
        this.directory = directory;
        this.configurations = configurations;
        this.pluginRoot = pluginRoot;
        this.csrf = csrf;
        this.ownOrigin = ownOrigin;
    }

    /**
     * Renders the status of the first-choice transport and the outbox counts.
     *
     * @param transports the configured transports in order
     * @param counts the outbox counts, or {@code null} when the outbox's database cannot be reached
     * @return HTML
     */
    String render(List<TransportStatus> transports, Map<DeliveryState, Long> counts) {
        StringBuilder html = new StringBuilder();
        if (transports.isEmpty()) {
            html.append("<p id=\"status-line\" class=\"nt-state nt-state-NOT_CONFIGURED\"><strong>"
                    + "Status: Not configured</strong></p><p id=\"status-message\">No transport is configured. "
                    + "Choose an SMTP server below and click Apply.</p>");
        } else {
            TransportStatus first = transports.get(0);
            renderTransport(first, html);
            transports.stream().filter(TransportStatus::active).filter(t -> t != first).findFirst().ifPresent(t ->
                    html.append("<p id=\"failover\" class=\"nt-flash nt-flash-warn ui-state-highlight\">Meanwhile "
                            + "notifications go through the failover transport <b>").append(Html.text(t.name()))
                            .append("</b> (").append(Html.text(t.type())).append(").</p>"));
            renderOrder(transports, html);
        }
        html.append("<p id=\"outbox-counts\">Outbox: ").append(counts == null
                ? "not counted while its database cannot be reached" : Html.text(countsInWords(counts))).append("</p>");
        return html.toString();
    }

    /**
     * Returns the status line for a state, for example "Status: OK".
     *
     * @param state the state
     * @return the words
     */
    static String statusWords(TransportHealth.State state) {
        return switch (state) {
            case OK -> "Status: OK";
            case AUTHORIZATION_REQUIRED -> "Status: Authorization required";
            case FAILING -> "Status: Failing";
            case NOT_CONFIGURED -> "Status: Not configured";
        };
    }

    private void renderTransport(TransportStatus t, StringBuilder html) {
        TransportHealth health = t.health();
        boolean pickup = "pickup".equals(t.type());
        boolean untested = !pickup && health.state() == TransportHealth.State.OK && !proven(t);
        html.append("<p id=\"status-line\" class=\"nt-state nt-state-").append(untested ? "UNTESTED"
                : health.state().name()).append("\" data-name=\"").append(Html.text(t.name()))
                .append("\" data-state=\"").append(health.state().name()).append("\" data-verified=\"")
                .append(health.verified()).append("\"><strong>").append(untested ? "Status: Not yet tested"
                : statusWords(health.state())).append("</strong></p>");
        if (pickup) {
            html.append("<p id=\"status-pickup\">No mail leaves this machine: notifications are written as .eml "
                    + "files into the pickup folder. Choose an SMTP server below to send real mail.</p>");
        } else if (untested) {
            html.append("<p id=\"status-untested\">The settings look complete, but no delivery or connection test "
                    + "has succeeded yet. Click Test connection or send a test message.</p>");
        }
        Optional<InteractiveAuthorization> authorization = directory.authorizationFor(t.name());
        Optional<AuthorizationRecord> signedIn = authorization.flatMap(InteractiveAuthorization::lastAuthorization);
        boolean repeatsSignIn = signedIn.isPresent() && health.message() != null
                && health.message().startsWith("Authorized as " + signedIn.get().account());
        if (!pickup && !repeatsSignIn && health.message() != null && !health.message().isBlank()) {
            html.append("<p id=\"status-message\">").append(Html.text(health.message())).append("</p>");
        }
        html.append("<dl class=\"nt-facts\"><dt>Transport</dt><dd id=\"status-transport\">")
                .append(Html.text(t.name()));
        if (t.type() != null) {
            html.append(" (").append(Html.text(t.type())).append(")");
        }
        html.append("</dd>");
        signedIn.ifPresent(r -> fact(html,
                "Authorized", "status-authorized", "by " + r.account() + " on " + time(r.authorizedAt())));
        fact(html, "Last delivery", "status-last-success", health.lastSuccess() == null ? null
                : time(health.lastSuccess()));
        if (health.lastError() != null && !health.lastError().isBlank() && !health.lastError().equals(health.message())
                && (health.state() != TransportHealth.State.OK || !proven(t))) {
            fact(html, "Last error", "status-last-error", health.lastError()
                    + (health.lastFailure() == null ? "" : " (" + time(health.lastFailure()) + ")"));
        }
        html.append("</dl>");
        if (!health.warnings().isEmpty()) {
            html.append("<ul id=\"status-warnings\" class=\"nt-warnings\">");
            health.warnings().forEach(w -> html.append("<li>").append(Html.text(w)).append("</li>"));
            html.append("</ul>");
        }
        html.append("<div class=\"nt-actions\">");
        authorization.ifPresent(a -> renderAuthorize(t, a, health.state(), html));
        if (t.bound()) {
            html.append("<form method=\"post\" action=\"").append(Html.text(pluginRoot))
                    .append("/test-connection\">").append(csrfField())
                    .append("<input type=\"hidden\" name=\"transport\" value=\"").append(Html.text(t.name()))
                    .append("\"><button type=\"submit\" id=\"test-connection\" class=\"ui-button ui-state-default "
                            + "ui-corner-all\">Test connection</button></form>");
        }
        html.append("</div>");
    }

    private void renderAuthorize(TransportStatus t, InteractiveAuthorization a, TransportHealth.State state,
            StringBuilder html) {
        String redirectUri = a.redirectUri();
        String redirectOrigin = redirectUri == null ? "" : SameOrigin.originOf(redirectUri);
        html.append("<form method=\"post\" action=\"").append(Html.text(pluginRoot)).append("/authorize\">")
                .append(csrfField()).append("<input type=\"hidden\" name=\"transport\" value=\"")
                .append(Html.text(t.name())).append("\"><button type=\"submit\" id=\"authorize\" class=\"ui-button "
                        + "ui-state-default ui-corner-all").append(state == TransportHealth.State.AUTHORIZATION_REQUIRED
                        ? " ui-priority-primary nt-primary" : "").append("\">Authorize</button></form>");
        html.append("<p class=\"nt-hint\" id=\"authorize-hint\">Authorize opens ")
                .append("google".equals(t.type()) ? "Google's" : "Microsoft's").append(" sign-in: sign in as <b>")
                .append(Html.text(a.expectedAccount())).append("</b>. It returns to ")
                .append(Html.text(redirectUri)).append(", which must be registered exactly so in the ")
                .append("google".equals(t.type()) ? "OAuth client's Authorized redirect URIs (type Web application)"
                        : "app registration (platform Web)").append(".</p>");
        if (!redirectOrigin.isEmpty() && !redirectOrigin.equals(ownOrigin)) {
            String there = redirectOrigin + pluginRoot;
            html.append("<p class=\"nt-flash nt-flash-warn\" id=\"authorize-origin\">This page is open at ")
                    .append(Html.text(ownOrigin)).append(" but the sign-in returns to ")
                    .append(Html.text(redirectOrigin))
                    .append(". Open <a href=\"").append(Html.text(there)).append("\">").append(Html.text(there))
                    .append("</a> and click Authorize there.</p>");
        }
    }

    private void renderOrder(List<TransportStatus> transports, StringBuilder html) {
        html.append("<table id=\"transports\" class=\"nt-table nicetable\"><thead><tr><th>Order</th><th>Transport</th>"
                + "<th>Type</th><th>State</th><th>Message</th><th></th></tr></thead><tbody>");
        for (TransportStatus t : transports) {
            TransportHealth h = t.health();
            String state = "pickup".equals(t.type()) ? "OK (no mail leaves this machine)"
                    : h.state() == TransportHealth.State.OK && !proven(t) ? "Not yet tested"
                    : statusWords(h.state()).substring("Status: ".length());
            html.append("<tr data-transport=\"").append(Html.text(t.name())).append("\"><td>")
                    .append(t.position() == 0 ? "1 (first choice)" : (t.position() + 1) + " (failover)")
                    .append(t.active() ? ", delivering" : "").append("</td><td>").append(Html.text(t.name()))
                    .append("</td><td>").append(Html.text(t.type())).append("</td><td>").append(Html.text(state))
                    .append("</td><td>").append(t.position() == 0 ? "(above)" : Html.text(h.message()))
                    .append("</td><td>");
            if (configurations.byName(t.name()).isPresent()) {
                html.append("<a class=\"nt-edit\" href=\"").append(Html.text(pluginRoot)).append("?edit=")
                        .append(Html.queryParam(t.name())).append("#nt-settings\">Edit</a> ");
            }
            if (t.position() > 0) {
                orderButton(html, t.name(), "up", "Move up", null);
            }
            if (t.position() < transports.size() - 1) {
                orderButton(html, t.name(), "down", "Move down", null);
            }
            if (transports.size() > 1) {
                orderButton(html, t.name(), "remove", "Remove", "Remove " + t.name() + " from the delivery order? "
                        + "Its settings are kept.");
            }
            html.append("</td></tr>");
        }
        html.append("</tbody></table>");
    }

    private void orderButton(StringBuilder html, String name, String action, String label, String confirm) {
        html.append("<form method=\"post\" class=\"nt-inline\" action=\"").append(Html.text(pluginRoot))
                .append("/transports\">").append(csrfField()).append("<input type=\"hidden\" name=\"name\" value=\"")
                .append(Html.text(name)).append("\"><button type=\"submit\" name=\"action\" value=\"").append(action)
                .append("\" class=\"ui-button ui-state-default ui-corner-all nt-").append(action).append("\"")
                .append(confirm == null ? "" : " data-confirm=\"" + Html.text(confirm) + "\"").append('>')
                .append(label).append("</button></form>");
    }

    /**
     * Tells whether a transport proved its settings since they were last applied (a delivery, a connection test or
     * the automatic check after activation or sign-in).
     *
     * @param t the transport
     * @return whether it is proven
     */
    private static boolean proven(TransportStatus t) {
        return t.health().verified();
    }

    private String csrfField() {
        return "<input type=\"hidden\" name=\"" + BrowserSessions.CSRF_FIELD + "\" value=\"" + Html.text(csrf) + "\">";
    }

    private static void fact(StringBuilder html, String label, String id, String value) {
        if (value != null) {
            html.append("<dt>").append(Html.text(label)).append("</dt><dd id=\"").append(id).append("\">")
                    .append(Html.text(value)).append("</dd>");
        }
    }

    private String time(Instant instant) {
        return TIME.format(instant.atZone(zone));
    }

    static String countsInWords(Map<DeliveryState, Long> counts) {
        StringBuilder words = new StringBuilder();
        for (DeliveryState s : DeliveryState.values()) {
            long n = counts.getOrDefault(s, 0L);
            if (n > 0 || s == DeliveryState.QUEUED || s == DeliveryState.DEFERRED || s == DeliveryState.FAILED) {
                words.append(words.length() == 0 ? "" : ", ").append(n).append(' ')
                        .append(s.name().toLowerCase(java.util.Locale.ROOT));
            }
        }
        return words.toString();
    }
}
