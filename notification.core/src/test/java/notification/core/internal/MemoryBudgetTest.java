package notification.core.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import notification.api.transport.BudgetKey;
import notification.api.transport.MessageStart;
import notification.api.transport.SendingBudget;
import notification.api.transport.StartLimits;
import org.junit.jupiter.api.Test;

/** One node's sending budget in memory, with a clock the test moves. */
class MemoryBudgetTest extends SendingBudgetContract {
    private final OutboxStoreContract.TestClock clock = new OutboxStoreContract.TestClock();
    private final MemoryBudget budget = new MemoryBudget(clock);

    @Override
    SendingBudget budget() {
        return budget;
    }

    @Test
    void aStartCountsForAMinuteAndASecondThenFrees() {
        for (int i = 0; i < 3; i++) {
            budget.startMessage(SMTP, 1, 3, 0);
            clock.advance(Duration.ofSeconds(10));
        }
        MessageStart refused = budget.startMessage(SMTP, 1, 3, 0);
        assertFalse(refused.allowed());
        assertEquals(Duration.ofSeconds(31), refused.retryAfter(), "the first start, 30 s ago, counts for 61 s");
        clock.advance(Duration.ofSeconds(30));
        assertFalse(budget.startMessage(SMTP, 1, 3, 0).allowed(), "one second short");
        clock.advance(Duration.ofSeconds(1));
        assertTrue(budget.startMessage(SMTP, 1, 3, 0).allowed());
    }

    @Test
    void recipientsFreeTwentyFourHoursAfterTheirStart() {
        budget.startMessage(SMTP, 6, 0, 10);
        clock.advance(Duration.ofHours(12));
        budget.startMessage(GRAPH, 4, 0, 10);
        assertEquals(Duration.ofHours(12), budget.startMessage(SMTP, 1, 0, 10).retryAfter());
        clock.advance(Duration.ofHours(12));
        assertTrue(budget.startMessage(SMTP, 6, 0, 10).allowed(), "the first 6 no longer count");
        assertEquals(10, budget.use(SMTP).recipientsLastDay());
        assertFalse(budget.use(SMTP).shared());
    }

    @Test
    void aDaysMessagesFreeTwentyFourHoursAfterTheOldestStart() {
        StartLimits twoADay = new StartLimits(0, 2, 0);
        assertTrue(budget.startMessage(SMTP, 1, twoADay).allowed());
        clock.advance(Duration.ofHours(6));
        assertTrue(budget.startMessage(new BudgetKey("scanner@contoso.com", "api"), 1, twoADay).allowed());
        MessageStart held = budget.startMessage(SMTP, 1, twoADay);
        assertEquals(Duration.ofHours(18), held.retryAfter(), "until the first is a day old");
        clock.advance(Duration.ofHours(18));
        assertTrue(budget.startMessage(SMTP, 1, twoADay).allowed(), "the first no longer counts");
        assertFalse(budget.startMessage(SMTP, 1, twoADay).allowed());
    }
}
