package notification.webconsole.internal;

import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import notification.api.OutboxNode;
import notification.api.OutboxStoreStatus;

/**
 * Renders the shared outbox's section: the database, whether it can be reached, and the print servers (nodes) sharing
 * it with the notifications each is sending under a lease. Read-only; absent while the outbox is this server's
 * journal.
 */
final class NodesSection {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

    private final ZoneId zone;

    NodesSection(ZoneId zone) {
        this.zone = zone;
    }

    /**
     * Renders the section.
     *
     * @param store the outbox store's status
     * @return HTML, empty for the journal
     */
    String render(OutboxStoreStatus store) {
        if (!store.shared()) {
            return "";
        }
        StringBuilder html = new StringBuilder("<section id=\"nt-nodes\" class=\"nt-section\"><h2>Shared outbox</h2>")
                .append("<p id=\"store-summary\" data-reachable=\"").append(store.reachable()).append("\">")
                .append("The outbox is in PostgreSQL at ").append(Html.text(store.database()))
                .append(", shared by several print servers; this one is <b>").append(Html.text(store.node()))
                .append("</b>.");
        if (store.reachable()) {
            long active = store.nodes().stream().filter(OutboxNode::active).count();
            html.append(" Active: ").append(active).append(" of ").append(store.nodes().size()).append('.');
        }
        html.append("</p>");
        if (!store.reachable()) {
            html.append("<p id=\"store-problem\" class=\"nt-flash nt-flash-error ui-state-error\" role=\"alert\">")
                    .append("<b>Deliveries paused:</b> ").append(Html.text(store.problem()))
                    .append(". New notifications are refused until then.</p>");
            return html.append("</section>").toString();
        }
        html.append("<table id=\"nodes-table\" class=\"nt-table nicetable\"><thead><tr><th>Node</th><th>State</th>"
                + "<th>Started</th><th>Last seen</th><th>Sending</th><th>Leases until</th><th>Leases run out</th>"
                + "</tr></thead><tbody>");
        for (OutboxNode n : store.nodes()) {
            html.append("<tr data-node=\"").append(Html.text(n.name())).append("\" data-active=\"").append(n.active())
                    .append("\"><td>").append(Html.text(n.name())).append(n.thisNode() ? " (this server)" : "")
                    .append("</td><td class=\"nt-node-state\">").append(n.active() ? "active" : "not seen lately")
                    .append("</td><td>").append(time(n.startedAt())).append("</td><td>").append(time(n.lastSeen()))
                    .append("</td><td class=\"nt-node-leases\">").append(n.leases()).append("</td><td>")
                    .append(time(n.leasedUntil())).append("</td><td class=\"nt-node-expired\">")
                    .append(n.expiredLeases() == 0 ? "0" : n.expiredLeases() + " (sent again by any node)")
                    .append("</td></tr>");
        }
        return html.append("</tbody></table><p class=\"nt-hint\">A node sends a notification under a lease it renews"
                + " while it sends; when a node stops, the others send its notifications once its leases run out,"
                + " with the same Message-ID. Times are the database's.</p></section>").toString();
    }

    private String time(Instant t) {
        return t == null ? "" : Html.text(TIME.format(t.atZone(zone)));
    }
}
