package notification.webconsole.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import notification.api.OutboxNode;
import notification.api.OutboxStoreStatus;
import org.junit.jupiter.api.Test;

/** The shared outbox's section of the page: absent for the journal, nodes with leases, the paused deliveries. */
class NodesSectionTest {
    private final NodesSection section = new NodesSection(ZoneOffset.UTC);

    @Test
    void theJournalShowsNoSection() {
        assertEquals("", section.render(OutboxStoreStatus.journal()));
    }

    @Test
    void eachNodeShowsWhetherItIsActiveAndWhatItHoldsUnderLease() {
        OutboxNode self = new OutboxNode("printsrv1:9191", true, true, Instant.parse("2026-01-02T03:00:00Z"),
                Instant.parse("2026-01-02T03:04:05Z"), 3, 0, Instant.parse("2026-01-02T03:05:05Z"));
        OutboxNode gone = new OutboxNode("printsrv2:9191", false, false, Instant.parse("2026-01-02T02:00:00Z"),
                Instant.parse("2026-01-02T02:59:00Z"), 0, 2, null);
        String html = section.render(new OutboxStoreStatus(OutboxStoreStatus.POSTGRESQL,
                "jdbc:postgresql://db.example:5432/notifications", "printsrv1:9191", true, null, List.of(self, gone)));

        assertTrue(html.contains("Active: 1 of 2."), html);
        assertTrue(html.contains("<td>printsrv1:9191 (this server)</td><td class=\"nt-node-state\">active</td>"
                + "<td>2026-01-02 03:00:00</td><td>2026-01-02 03:04:05</td><td class=\"nt-node-leases\">3</td>"
                + "<td>2026-01-02 03:05:05</td>"), html);
        assertTrue(html.contains("<td>printsrv2:9191</td><td class=\"nt-node-state\">not seen lately</td>"), html);
        assertTrue(html.contains("2 (sent again by any node)"), html);
        assertFalse(html.contains("store-problem"), html);
    }

    @Test
    void anUnreachableDatabaseSaysDeliveriesArePausedAndWhy() {
        String html = section.render(new OutboxStoreStatus(OutboxStoreStatus.POSTGRESQL,
                "jdbc:postgresql://db.example:5432/notifications", "printsrv1:9191", false,
                "PostgreSQL at db.example cannot be reached; deliveries pause until it is back", List.of()));

        assertTrue(html.contains("id=\"store-problem\""), html);
        assertTrue(html.contains("<b>Deliveries paused:</b> PostgreSQL at db.example cannot be reached; deliveries"
                + " pause until it is back. New notifications are refused until then."), html);
        assertFalse(html.contains("nodes-table"), html);
    }

    @Test
    void namesFromTheDatabaseAreEncoded() {
        OutboxNode hostile = new OutboxNode("<script>alert(1)</script>${x}", false, true, null, null, 0, 0, null);
        String html = section.render(new OutboxStoreStatus(OutboxStoreStatus.POSTGRESQL, "jdbc:postgresql://db/n",
                "\"><img src=x>", true, null, List.of(hostile)));

        assertFalse(html.contains("<script>"), html);
        assertFalse(html.contains("<img"), html);
        assertFalse(html.contains("${x}"), html);
        assertTrue(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;&#36;{x}"), html);
    }
}
