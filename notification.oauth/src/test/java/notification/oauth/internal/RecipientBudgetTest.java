package notification.oauth.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The day's recipient budget counts a rolling 24 h and warns below 10 % left. */
class RecipientBudgetTest {

    final MutableClock clock = new MutableClock();
    final RecipientBudget budget = new RecipientBudget(10_000, clock);

    @Test
    void warnsOnlyWhileLessThanATenthIsLeftAndForgetsSendsOlderThanADay() {
        budget.record(6_000);
        clock.advance(Duration.ofHours(12));
        budget.record(3_000);
        assertEquals(1_000, budget.remaining());
        assertTrue(budget.warning().isEmpty(), "exactly 10 % left is no warning yet");
        budget.record(1);
        String warning = budget.warning().orElseThrow();
        assertTrue(warning.contains("9,001 of 10,000") && warning.contains("999 left"), warning);
        clock.advance(Duration.ofHours(12));
        assertEquals(3_001, budget.used(), "the first 6,000 are 24 h old");
        assertTrue(budget.warning().isEmpty());
    }

    @Test
    void noQuotaMeansNoWarning() {
        RecipientBudget unlimited = new RecipientBudget(0, clock);
        unlimited.record(50_000);
        assertTrue(unlimited.warning().isEmpty());
        assertEquals("50,000 recipients sent from here in the last 24 h", unlimited.describe());
    }
}
