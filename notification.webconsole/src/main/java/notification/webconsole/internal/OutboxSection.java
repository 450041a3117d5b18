package notification.webconsole.internal;

import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import notification.api.DeliveryState;
import notification.api.NotificationService;
import notification.api.OutboxEntry;

/** Renders the notifications still waiting or failed, with their last error and Retry / Discard buttons. */
final class OutboxSection {
    /** The states the outbox table shows: everything not yet sent. */
    static final Set<DeliveryState> SHOWN = EnumSet.of(DeliveryState.QUEUED, DeliveryState.SENDING,
            DeliveryState.DEFERRED, DeliveryState.FAILED, DeliveryState.EXPIRED, DeliveryState.QUARANTINED);
    private static final int MAX_ROWS = 100;
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

    private final String pluginRoot;
    private final String csrf;

    OutboxSection(String pluginRoot, String csrf) {
        this.pluginRoot = pluginRoot;
        this.csrf = csrf;
    }

    /**
     * Renders the table.
     *
     * @param service the notification service
     * @return HTML
     */
    String render(NotificationService service) {
        List<OutboxEntry> entries = service.list(SHOWN, MAX_ROWS);
        if (entries.isEmpty()) {
            return "<p id=\"outbox-empty\">Nothing is waiting or failed.</p>";
        }
        StringBuilder html = new StringBuilder("<table id=\"outbox-table\" class=\"nt-table nicetable\"><thead><tr>"
                + "<th>Submitted</th><th>To</th><th>Subject</th><th>State</th><th>Attempts</th><th>Next attempt</th>"
                + "<th>Last error</th><th></th></tr></thead><tbody>");
        ZoneId zone = ZoneId.systemDefault();
        for (OutboxEntry e : entries) {
            html.append("<tr data-id=\"").append(Html.text(e.id())).append("\"><td>")
                    .append(Html.text(TIME.format(e.createdAt().atZone(zone)))).append("</td><td>")
                    .append(Html.text(ShownAddresses.list(e.recipients()))).append("</td><td>")
                    .append(Html.text(e.subject())).append("</td><td class=\"nt-entry-state\">")
                    .append(Html.text(e.state().name())).append("</td><td>").append(e.attempts()).append("</td><td>")
                    .append(e.nextAttemptAt() == null ? "" : Html.text(TIME.format(e.nextAttemptAt().atZone(zone))))
                    .append("</td><td class=\"nt-entry-error\">").append(Html.text(e.lastError())).append("</td><td>");
            if (e.state() != DeliveryState.SENDING) {
                button(html, "retry", "Retry", e.id());
                button(html, "discard", "Discard", e.id());
            }
            html.append("</td></tr>");
        }
        return html.append("</tbody></table>").toString();
    }

    private void button(StringBuilder html, String action, String label, String id) {
        html.append("<form method=\"post\" class=\"nt-inline\" action=\"").append(Html.text(pluginRoot))
                .append("/outbox\"><input type=\"hidden\" name=\"").append(BrowserSessions.CSRF_FIELD)
                .append("\" value=\"").append(Html.text(csrf)).append("\"><input type=\"hidden\" name=\"id\" value=\"")
                .append(Html.text(id)).append("\"><button type=\"submit\" name=\"action\" value=\"").append(action)
                .append("\" class=\"ui-button ui-state-default ui-corner-all nt-").append(action).append('"')
                .append("discard".equals(action) ? " data-confirm=\"Discard this notification? It will not be sent.\""
                        : "").append('>').append(label).append("</button></form>");
    }
}
