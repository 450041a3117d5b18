package notification.webconsole.internal;

import java.util.List;
import notification.api.transport.BudgetUse;

/**
 * Renders the sending budget's section: for each mailbox and protocol in use, connections held, messages started in
 * the last minute and recipients in the last day, each beside the limit this server asked with, and whether the counts
 * are shared by the nodes (PostgreSQL) or this server's own. Read-only; absent while nothing is in use.
 */
final class BudgetSection {

    private BudgetSection() {
    }

    /**
     * Renders the section.
     *
     * @param uses the budget's uses, as {@code SendingBudget.uses()} reports them
     * @return HTML, empty when nothing is in use
     */
    static String render(List<BudgetUse> uses) {
        if (uses.isEmpty()) {
            return "";
        }
        StringBuilder html = new StringBuilder("<section id=\"nt-budget\" class=\"nt-section\"><h2>Sending budget</h2>")
                .append("<p class=\"nt-hint\">What each mailbox uses of its provider's limits");
        html.append(uses.get(0).shared() ? ", counted for all print servers sharing the outbox's database."
                : ", counted on this server only.").append("</p>");
        html.append("<table id=\"budget-table\" class=\"nt-table nicetable\"><thead><tr><th>Mailbox</th>"
                + "<th>Protocol</th><th>Connections</th><th>Messages last minute</th><th>Recipients last day</th>"
                + "<th>Counted</th></tr></thead><tbody>");
        for (BudgetUse u : uses) {
            html.append("<tr data-mailbox=\"").append(Html.text(u.key().mailbox())).append("\" data-protocol=\"")
                    .append(Html.text(u.key().protocol())).append("\"><td>").append(Html.text(u.key().mailbox()))
                    .append("</td><td>").append(Html.text(u.key().protocol())).append("</td>");
            if (u.problem() != null) {
                html.append("<td colspan=\"3\" class=\"nt-budget-problem ui-state-error\">Cannot be counted: ")
                        .append(Html.text(u.problem())).append(". Mail for this mailbox waits until it can.</td>");
            } else {
                html.append("<td class=\"nt-budget-connections\">").append(ofLimit(u.connections(),
                        u.connectionLimit())).append("</td><td class=\"nt-budget-starts\">")
                        .append(ofLimit(u.startsLastMinute(), u.messagesPerMinute()))
                        .append("</td><td class=\"nt-budget-recipients\">")
                        .append(ofLimit(u.recipientsLastDay(), u.recipientsPerDay())).append("</td>");
            }
            html.append("<td>").append(u.shared() ? "all nodes (PostgreSQL)" : "this server only")
                    .append("</td></tr>");
        }
        return html.append("</tbody></table><p class=\"nt-hint\">A limit is shown once this server has sent as the"
                + " mailbox; recipients per day count over all protocols of the mailbox.</p></section>").toString();
    }

    private static String ofLimit(long used, int limit) {
        return limit > 0 ? used + " of " + limit : String.valueOf(used);
    }
}
