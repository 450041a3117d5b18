package notification.webconsole.internal;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class ClientBudgetTest {

    private final RefusalSummaryTest.MovableClock clock = new RefusalSummaryTest.MovableClock();
    private final ClientBudget budget = new ClientBudget(20, 20, clock);

    @Test
    void aFloodingAddressRunsDryWhileAnotherKeepsItsBudget() {
        int allowed = 0;
        for (int i = 0; i < 5000; i++) {
            if (budget.spend("192.0.2.66")) {
                allowed++;
            }
        }
        assertTrue(allowed == 20, "allowed " + allowed);
        assertTrue(budget.spend("192.0.2.10") && budget.spend("192.0.2.10"), "a browser's two requests");
    }

    @Test
    void theBudgetComesBackWithTime() {
        for (int i = 0; i < 20; i++) {
            budget.spend("192.0.2.66");
        }
        assertFalse(budget.spend("192.0.2.66"));
        clock.now = clock.now.plus(Duration.ofSeconds(3));
        assertTrue(budget.spend("192.0.2.66"), "one request every 3 seconds");
        assertFalse(budget.spend("192.0.2.66"));
    }
}
