package notification.core.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import notification.api.DeliveryState;
import notification.api.TransportStatus;
import notification.api.transport.TransportHealth;
import notification.api.transport.TransportHealth.State;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the administrator is mailed about, and at most once a day per condition, also after a restart. */
class AlertConditionsTest {
    private static final LocalDate TODAY = LocalDate.parse("2026-12-01");

    @TempDir
    Path dir;

    private static TransportStatus status(String name, int position, TransportHealth health) {
        return new TransportStatus(name, "relay", position, true, false, health, null);
    }

    @Test
    void aHealthyDeliveringTransportAnEmptyOutboxAndFarSecretsGiveNoAlert() {
        List<TransportStatus> transports = List.of(status("office", 0, TransportHealth.ok("Ready")),
                status("backup", 1, TransportHealth.of(State.FAILING, "down")));
        assertTrue(AlertConditions.of(transports, Map.of(DeliveryState.SENT, 5L),
                Map.of("m365", TODAY.plusDays(15)), TODAY).isEmpty(), "a failing failover alone is no alert");
    }

    @Test
    void theDeliveringTransportNeedingAttentionASecretWithin14DaysAndFailedEntriesAreEachAnAlert() {
        List<TransportStatus> transports = List.of(status("m365", 0, new TransportHealth(State.AUTHORIZATION_REQUIRED,
                "Authorization required: click Authorize.", null, Instant.EPOCH, "AADSTS700082: expired", null)));

        List<AlertConditions.Condition> found = AlertConditions.of(transports,
                Map.of(DeliveryState.FAILED, 2L, DeliveryState.QUARANTINED, 1L), Map.of("m365", TODAY.plusDays(14)),
                TODAY);

        assertEquals(List.of("attention:m365", "secret:m365", "outbox:failed"),
                found.stream().map(AlertConditions.Condition::key).toList());
        assertTrue(found.get(0).sentence().contains("AUTHORIZATION_REQUIRED")
                && found.get(0).sentence().contains("AADSTS700082"), found.get(0).sentence());
        assertTrue(found.get(1).sentence().contains("expires on 2026-12-15 (in 14 days)"), found.get(1).sentence());
        assertTrue(found.get(2).sentence().startsWith("3 notifications have failed"), found.get(2).sentence());
    }

    @Test
    void aConditionIsDueOnceADayAlsoAfterARestart() throws Exception {
        Instant first = Instant.parse("2026-12-01T08:00:00Z");
        AlertLedger ledger = new AlertLedger(dir.resolve("alerts"));
        assertTrue(ledger.due("outbox:failed", first));
        ledger.sent(List.of("outbox:failed"), first);
        assertFalse(ledger.due("outbox:failed", first.plus(Duration.ofHours(1))));
        assertTrue(ledger.due("secret:m365", first), "another condition is not held back");

        AlertLedger restarted = new AlertLedger(dir.resolve("alerts"));
        assertFalse(restarted.due("outbox:failed", first.plus(Duration.ofHours(23).plusMinutes(59))));
        assertTrue(restarted.due("outbox:failed", first.plus(Duration.ofDays(1))));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(
                dir.resolve("alerts").resolve("last-sent.properties"))));
    }
}
