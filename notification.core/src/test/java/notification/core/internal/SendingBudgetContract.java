package notification.core.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import notification.api.transport.BudgetKey;
import notification.api.transport.BudgetUse;
import notification.api.transport.ConnectionSlot;
import notification.api.transport.MessageStart;
import notification.api.transport.SendingBudget;
import notification.api.transport.StartLimits;
import org.junit.jupiter.api.Test;

/** What every sending budget does, whether one node counts in memory or all nodes in the database. */
abstract class SendingBudgetContract {
    static final BudgetKey SMTP = new BudgetKey("Scanner@Contoso.com", "smtp");
    static final BudgetKey GRAPH = new BudgetKey("scanner@contoso.com", "graph");

    /** The budget under test, empty. */
    abstract SendingBudget budget();

    @Test
    void connectionSlotsStopAtTheLimitAndComeBackWhenClosed() {
        SendingBudget budget = budget();
        List<ConnectionSlot> slots = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            slots.add(budget.takeConnection(SMTP, 3).orElseThrow());
        }
        assertTrue(budget.takeConnection(SMTP, 3).isEmpty(), "a fourth connection");
        assertEquals(3, budget.use(SMTP).connections());
        slots.get(0).close();
        slots.get(0).close();
        Optional<ConnectionSlot> again = budget.takeConnection(SMTP, 3);
        assertTrue(again.isPresent(), "the slot closed is free again (closing twice gives back one)");
        assertTrue(budget.takeConnection(SMTP, 3).isEmpty());
        assertEquals(SMTP, again.get().key());
    }

    @Test
    void slotsAreCountedPerMailboxAndProtocolWithoutRegardToCase() {
        SendingBudget budget = budget();
        budget.takeConnection(SMTP, 1).orElseThrow();
        assertTrue(budget.takeConnection(new BudgetKey("SCANNER@contoso.com", "SMTP"), 1).isEmpty());
        assertTrue(budget.takeConnection(GRAPH, 1).isPresent(), "Graph counts its own connections");
        assertTrue(budget.takeConnection(new BudgetKey("other@contoso.com", "smtp"), 1).isPresent());
    }

    @Test
    void messageStartsStopAtThePerMinuteLimitWithAWaitOfAtMostAMinute() {
        SendingBudget budget = budget();
        for (int i = 0; i < 5; i++) {
            assertTrue(budget.startMessage(SMTP, 1, 5, 0).allowed(), "start " + (i + 1));
        }
        MessageStart sixth = budget.startMessage(SMTP, 1, 5, 0);
        assertFalse(sixth.allowed());
        assertTrue(sixth.retryAfter().compareTo(Duration.ZERO) > 0
                && sixth.retryAfter().compareTo(SendingBudget.START_COUNTS_FOR) <= 0, sixth.retryAfter().toString());
        assertTrue(sixth.reason().contains("5 messages in the last minute from scanner@contoso.com (smtp)"),
                sixth.reason());
        assertTrue(budget.startMessage(GRAPH, 1, 5, 0).allowed(), "Graph counts its own starts");
        assertEquals(5, budget.use(SMTP).startsLastMinute(), "the refused start was not counted");
    }

    @Test
    void recipientsPerDayCountOverAllProtocolsOfTheMailbox() {
        SendingBudget budget = budget();
        assertTrue(budget.startMessage(SMTP, 4, 0, 10).allowed());
        assertTrue(budget.startMessage(GRAPH, 4, 0, 10).allowed());
        MessageStart third = budget.startMessage(SMTP, 3, 0, 10);
        assertFalse(third.allowed(), "4 + 4 + 3 > 10");
        assertTrue(third.retryAfter().compareTo(Duration.ofHours(23)) > 0, third.retryAfter().toString());
        assertTrue(third.reason().contains("8 of 10 recipients per day"), third.reason());
        assertTrue(budget.startMessage(GRAPH, 2, 0, 10).allowed(), "exactly up to the limit");
        BudgetUse use = budget.use(GRAPH);
        assertEquals(10, use.recipientsLastDay());
        assertEquals(2, use.startsLastMinute());
    }

    @Test
    void messagesPerDayCountOverAllProtocolsOfTheMailboxWithAWaitOfUpToADay() {
        SendingBudget budget = budget();
        BudgetKey api = new BudgetKey("scanner@contoso.com", "api");
        StartLimits threeADay = new StartLimits(0, 3, 0);
        assertTrue(budget.startMessage(SMTP, 2, threeADay).allowed());
        assertTrue(budget.startMessage(api, 5, threeADay).allowed());
        assertTrue(budget.startMessage(SMTP, 0, threeADay).allowed(), "a message without recipients counts too");
        MessageStart fourth = budget.startMessage(api, 1, threeADay);
        assertFalse(fourth.allowed(), "3 messages over SMTP and the API together");
        assertTrue(fourth.retryAfter().compareTo(Duration.ofHours(23)) > 0
                && fourth.retryAfter().compareTo(Duration.ofDays(1)) <= 0, fourth.retryAfter().toString());
        assertTrue(fourth.reason().contains("3 of 3 messages per day sent by scanner@contoso.com"), fourth.reason());
        assertTrue(budget.startMessage(new BudgetKey("other@contoso.com", "api"), 1, threeADay).allowed(),
                "another mailbox counts its own");
        assertEquals(7, budget.use(api).recipientsLastDay(), "the refused message was not counted");
        assertThrows(IllegalArgumentException.class, () -> new StartLimits(0, -1, 0));
    }

    @Test
    void theMessagesPerDayLimitAndTheRecipientsPerDayLimitEachHold() {
        SendingBudget budget = budget();
        StartLimits limits = new StartLimits(0, 10, 6);
        assertTrue(budget.startMessage(SMTP, 5, limits).allowed());
        MessageStart refused = budget.startMessage(SMTP, 2, limits);
        assertFalse(refused.allowed(), "5 + 2 recipients > 6, though 2 messages < 10");
        assertTrue(refused.reason().contains("5 of 6 recipients per day"), refused.reason());
        assertTrue(budget.startMessage(SMTP, 1, limits).allowed());
    }

    @Test
    void aMessageLargerThanTheDailyLimitStartsOnAnEmptyDay() {
        SendingBudget budget = budget();
        assertTrue(budget.startMessage(SMTP, 20, 0, 10).allowed());
        assertFalse(budget.startMessage(SMTP, 1, 0, 10).allowed());
    }

    @Test
    void noLimitMeansEveryStartIsAllowed() {
        SendingBudget budget = budget();
        for (int i = 0; i < 50; i++) {
            assertTrue(budget.startMessage(SMTP, 100, 0, 0).allowed());
        }
    }

    @Test
    void nonsenseLimitsAreRefusedWithTheirName() {
        SendingBudget budget = budget();
        assertTrue(assertThrows(IllegalArgumentException.class, () -> budget.takeConnection(SMTP, 0)).getMessage()
                .contains("connection limit"));
        assertThrows(IllegalArgumentException.class, () -> budget.startMessage(SMTP, -1, 30, 0));
        assertThrows(IllegalArgumentException.class, () -> new BudgetKey(" ", "smtp"));
    }

    @Test
    void usesListEveryKeyInUseWithItsCountsAndTheLimitsThisNodeAskedWith() {
        SendingBudget budget = budget();
        assertEquals(List.of(), budget.uses(), "nothing in use yet");
        ConnectionSlot slot = budget.takeConnection(SMTP, 3).orElseThrow();
        assertTrue(budget.startMessage(SMTP, 4, 30, 10000).allowed());
        assertTrue(budget.startMessage(SMTP, 1, 30, 10000).allowed());
        assertTrue(budget.startMessage(GRAPH, 2, 0, 10000).allowed());
        BudgetKey other = new BudgetKey("<b>other</b>@contoso.com", "smtp");
        budget.takeConnection(other, 1).orElseThrow();

        List<BudgetUse> uses = budget.uses();
        assertEquals(List.of(other, GRAPH, SMTP), uses.stream().map(BudgetUse::key).toList(),
                "ordered by mailbox, then protocol");
        BudgetUse smtp = uses.get(2);
        assertEquals(1, smtp.connections());
        assertEquals(3, smtp.connectionLimit());
        assertEquals(2, smtp.startsLastMinute());
        assertEquals(30, smtp.messagesPerMinute());
        assertEquals(7, smtp.recipientsLastDay(), "recipients over SMTP and Graph together");
        assertEquals(10000, smtp.recipientsPerDay());
        assertEquals(null, smtp.problem());
        BudgetUse graph = uses.get(1);
        assertEquals(0, graph.connections());
        assertEquals(0, graph.connectionLimit(), "no connection asked for over Graph: its limit is not known");
        assertEquals(1, graph.startsLastMinute());
        assertEquals(7, graph.recipientsLastDay());
        assertEquals(smtp, budget.use(SMTP), "the same as asking for the key alone");

        slot.close();
        assertEquals(0, budget.uses().get(2).connections(), "a key with starts today stays listed without slots");
    }
}
