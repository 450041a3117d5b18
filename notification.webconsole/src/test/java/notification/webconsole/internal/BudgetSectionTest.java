package notification.webconsole.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import notification.api.transport.BudgetKey;
import notification.api.transport.BudgetUse;
import org.junit.jupiter.api.Test;

/** The sending budget's section of the page: absent when unused, use beside limit, the problem, escaped names. */
class BudgetSectionTest {
    private static final BudgetKey SMTP = new BudgetKey("scanner@contoso.com", "smtp");

    @Test
    void nothingInUseShowsNoSection() {
        assertEquals("", BudgetSection.render(List.of()));
    }

    @Test
    void eachKeyShowsItsUseOfTheLimitAndWhereItIsCounted() {
        String html = BudgetSection.render(List.of(new BudgetUse(SMTP, 2, 3, 17, 30, 950, 10_000, false, null),
                new BudgetUse(new BudgetKey("scanner@contoso.com", "graph"), 0, 0, 4, 0, 950, 0, false, null)));

        assertTrue(html.contains("counted on this server only."), html);
        assertTrue(html.contains("<td>scanner@contoso.com</td><td>smtp</td><td class=\"nt-budget-connections\">2 of 3"
                + "</td><td class=\"nt-budget-starts\">17 of 30</td><td class=\"nt-budget-recipients\">950 of 10000"
                + "</td><td>this server only</td>"), html);
        assertTrue(html.contains("<td class=\"nt-budget-connections\">0</td><td class=\"nt-budget-starts\">4</td>"),
                "limits not known here are left out: " + html);
    }

    @Test
    void aSharedBudgetThatCannotBeReadSaysWhy() {
        String html = BudgetSection.render(List.of(new BudgetUse(SMTP, 0, 3, 0, 30, 0, 10_000, true,
                "PostgreSQL at db.example cannot be reached")));

        assertTrue(html.contains("for all print servers sharing the outbox's database."), html);
        assertTrue(html.contains("Cannot be counted: PostgreSQL at db.example cannot be reached."), html);
        assertTrue(html.contains("<td>all nodes (PostgreSQL)</td>"), html);
        assertFalse(html.contains("nt-budget-connections"), "no counts shown for an unread budget: " + html);
    }

    @Test
    void aHostileMailboxNameIsEscapedInTextAndAttributes() {
        String hostile = "\"><script>alert(1)</script>${csrf}@contoso.com";
        String html = BudgetSection.render(List.of(new BudgetUse(new BudgetKey(hostile, "smtp"), 1, 3, 1, 30, 1,
                10_000, true, "<img src=x onerror=alert(2)>")));

        assertFalse(html.contains("<script>"), html);
        assertTrue(html.contains("data-mailbox=\"&#34;&gt;&lt;script&gt;"), "the attribute is not closed by the"
                + " name: " + html);
        assertFalse(html.contains("<img"), html);
        assertFalse(html.contains("${csrf}"), "no template marker survives: " + html);
        assertTrue(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;&#36;{csrf}@contoso.com"), html);
    }
}
