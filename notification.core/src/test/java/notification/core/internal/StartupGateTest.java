package notification.core.internal;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import org.junit.jupiter.api.Test;

/** At start-up without configuration, deliveries wait for it (or for the hold to run out), never leave early. */
class StartupGateTest {
    private final Instant t0 = Instant.parse("2026-01-01T00:00:00Z");

    @Test
    void configuredAtActivationIsOpen() {
        assertTrue(StartupGate.afterActivation(true, t0, () -> true).isOpen(t0));
    }

    @Test
    void unconfiguredWaitsForTheConfiguration() {
        StartupGate gate = StartupGate.afterActivation(false, t0, () -> true);
        assertFalse(gate.isOpen(t0.plusSeconds(5)));
        gate.configured();
        assertTrue(gate.isOpen(t0.plusSeconds(5)));
    }

    @Test
    void unconfiguredWithNoConfigurationAnywhereOpensAtOnce() {
        assertTrue(StartupGate.afterActivation(false, t0, () -> false).isOpen(t0));
    }

    @Test
    void unconfiguredOpensWithTheDefaultsAfterTheHold() {
        StartupGate gate = StartupGate.afterActivation(false, t0, () -> true);
        assertFalse(gate.isOpen(t0.plus(StartupGate.UNCONFIGURED_HOLD).minusMillis(1)));
        assertTrue(gate.isOpen(t0.plus(StartupGate.UNCONFIGURED_HOLD)));
        assertTrue(gate.isOpen(t0), "once open, it stays open");
    }
}
