package notification.webconsole.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.azure.json.JsonProviders;
import com.azure.json.JsonReader;
import java.io.IOException;
import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import notification.api.DeliveryState;
import notification.api.OutboxNode;
import notification.api.OutboxStoreStatus;
import notification.api.TransportStatus;
import notification.api.authorization.AuthorizationRecord;
import notification.api.transport.BudgetKey;
import notification.api.transport.BudgetUse;
import notification.api.transport.TransportHealth;
import org.junit.jupiter.api.Test;

/** The JSON status for scripts, read back by a real JSON parser: its shape, its values, its escaping. */
class StatusJsonTest {

    @Test
    void reportsTheActiveTransportAllTransportsCountsAndAuthorization() throws IOException {
        TransportStatus microsoft = new TransportStatus("microsoft", "microsoft-smtp", 0, true, false,
                TransportHealth.of(TransportHealth.State.AUTHORIZATION_REQUIRED, "Click \"Authorize\""), null);
        TransportStatus relay = new TransportStatus("relay", "relay", 1, true, true,
                new TransportHealth(TransportHealth.State.OK, "Ready", Instant.parse("2026-01-02T03:04:05Z"), null,
                        null, List.of("expires <soon>", "second\nline")), null);
        Map<DeliveryState, Long> counts = new EnumMap<>(DeliveryState.class);
        counts.put(DeliveryState.QUEUED, 2L);
        Map<?, ?> json = parse(StatusJson.render(List.of(microsoft, relay), counts, Optional.of(
                new AuthorizationRecord("scanner@example.com", Instant.parse("2026-01-01T00:00:00Z"))),
                OutboxStoreStatus.journal(), List.of()));

        assertEquals(List.of("transport", "transports", "outbox", "authorization", "store", "budget"),
                List.copyOf(json.keySet()));
        Map<?, ?> current = (Map<?, ?>) json.get("transport");
        assertEquals(List.of("name", "type", "state", "verified", "message", "lastError"),
                List.copyOf(current.keySet()));
        assertEquals("relay", current.get("name"));
        assertEquals(true, current.get("verified"), "it delivered");
        List<?> transports = (List<?>) json.get("transports");
        assertEquals(2, transports.size());
        Map<?, ?> first = (Map<?, ?>) transports.get(0);
        assertEquals("Click \"Authorize\"", first.get("message"));
        assertEquals("AUTHORIZATION_REQUIRED", first.get("state"));
        assertEquals(false, first.get("active"));
        assertEquals(0, ((Number) first.get("position")).intValue());
        Map<?, ?> second = (Map<?, ?>) transports.get(1);
        assertEquals(List.of("expires <soon>", "second\nline"), second.get("warnings"));
        assertEquals("2026-01-02T03:04:05Z", second.get("lastSuccess"));
        assertNull(second.get("lastFailure"));
        Map<?, ?> outbox = (Map<?, ?>) json.get("outbox");
        assertEquals(List.of("QUEUED", "SENDING", "DEFERRED", "SENT", "FAILED", "EXPIRED", "QUARANTINED"),
                List.copyOf(outbox.keySet()));
        assertEquals(2, ((Number) outbox.get("QUEUED")).intValue());
        assertEquals(0, ((Number) outbox.get("FAILED")).intValue());
        assertEquals(Map.of("account", "scanner@example.com", "at", "2026-01-01T00:00:00Z"), json.get("authorization"));
        assertEquals(Map.of("kind", "journal", "summary", "one server (journal)"), json.get("store"));
    }

    @Test
    void aSharedStoreListsItsNodesWithTheirLeases() throws IOException {
        OutboxNode self = new OutboxNode("printsrv1:9191", true, true, Instant.parse("2026-01-02T03:00:00Z"),
                Instant.parse("2026-01-02T03:04:05Z"), 3, 0, Instant.parse("2026-01-02T03:05:05Z"));
        OutboxNode gone = new OutboxNode("printsrv2:9191", false, false, null, null, 0, 2, null);
        OutboxStoreStatus store = new OutboxStoreStatus(OutboxStoreStatus.POSTGRESQL,
                "jdbc:postgresql://db.example:5432/notifications", "printsrv1:9191", true, null, List.of(self, gone));
        Map<?, ?> json = (Map<?, ?>) parse(StatusJson.render(List.of(), Map.of(), Optional.empty(), store, List.of()))
                .get("store");

        assertEquals("postgresql", json.get("kind"));
        assertEquals("1 of 2 nodes active (PostgreSQL)", json.get("summary"));
        assertEquals("jdbc:postgresql://db.example:5432/notifications", json.get("database"));
        assertEquals(true, json.get("reachable"));
        assertEquals("RUNNING", json.get("deliveries"));
        List<?> nodes = (List<?>) json.get("nodes");
        Map<?, ?> first = (Map<?, ?>) nodes.get(0);
        assertEquals("printsrv1:9191", first.get("name"));
        assertEquals(true, first.get("thisNode"));
        assertEquals(3, ((Number) first.get("leases")).intValue());
        assertEquals("2026-01-02T03:05:05Z", first.get("leasedUntil"));
        Map<?, ?> second = (Map<?, ?>) nodes.get(1);
        assertEquals(false, second.get("active"));
        assertEquals(2, ((Number) second.get("expiredLeases")).intValue());
        assertNull(second.get("leasedUntil"));
    }

    @Test
    void anUnreachableDatabaseSaysDeliveriesPauseAndWhyAndTheOutboxIsNotCounted() throws IOException {
        OutboxStoreStatus store = new OutboxStoreStatus(OutboxStoreStatus.POSTGRESQL,
                "jdbc:postgresql://db.example:5432/notifications", "printsrv1:9191", false,
                "PostgreSQL at jdbc:postgresql://db.example:5432/notifications cannot be reached", List.of());
        Map<?, ?> document = parse(StatusJson.render(List.of(), null, Optional.empty(), store, List.of()));
        Map<?, ?> json = (Map<?, ?>) document.get("store");

        assertTrue(document.containsKey("outbox"));
        assertNull(document.get("outbox"), "not counted while the database cannot be reached");
        assertEquals(false, json.get("reachable"));
        assertEquals("PAUSED", json.get("deliveries"));
        assertEquals("PostgreSQL at jdbc:postgresql://db.example:5432/notifications cannot be reached",
                json.get("problem"));
        assertEquals(List.of(), json.get("nodes"));
    }

    @Test
    void anUnprovenTransportSaysSoAndKeepsItsLastError() throws IOException {
        TransportStatus relay = new TransportStatus("relay", "relay", 0, true, true,
                new TransportHealth(TransportHealth.State.OK, "Ready", null, Instant.parse("2026-01-02T03:04:05Z"),
                        "AADSTS7000215: invalid client secret", null, false), null);
        Map<?, ?> json = parse(StatusJson.render(List.of(relay), Map.of(), Optional.empty(),
                OutboxStoreStatus.journal(), List.of()));
        Map<?, ?> current = (Map<?, ?>) json.get("transport");
        assertEquals(false, current.get("verified"));
        assertEquals("AADSTS7000215: invalid client secret", current.get("lastError"));
        assertEquals(false, ((Map<?, ?>) ((List<?>) json.get("transports")).get(0)).get("verified"));
    }

    @Test
    void withoutTransportsSaysNotConfigured() throws IOException {
        Map<?, ?> json = parse(StatusJson.render(List.of(), Map.of(), Optional.empty(),
                OutboxStoreStatus.journal(), List.of()));
        Map<?, ?> transport = (Map<?, ?>) json.get("transport");
        assertNull(transport.get("name"));
        assertEquals("NOT_CONFIGURED", transport.get("state"));
        assertEquals(List.of(), json.get("transports"));
        assertNull(json.get("authorization"));
    }

    @Test
    void eachMailboxInUseShowsItsBudgetWithLimitsOrNullWhenNotKnown() throws IOException {
        String hostile = "\"<script>alert(1)</script>\"@contoso.com";
        List<BudgetUse> uses = List.of(
                new BudgetUse(new BudgetKey(hostile, "smtp"), 2, 3, 17, 30, 950, 10_000, true, null),
                new BudgetUse(new BudgetKey("scanner@contoso.com", "graph"), 0, 0, 0, 0, 0, 0, true,
                        "PostgreSQL at db.example cannot be reached"));
        Map<?, ?> json = parse(StatusJson.render(List.of(), Map.of(), Optional.empty(), OutboxStoreStatus.journal(),
                uses));

        List<?> budget = (List<?>) json.get("budget");
        assertEquals(2, budget.size());
        Map<?, ?> smtp = (Map<?, ?>) budget.get(0);
        assertEquals(List.of("mailbox", "protocol", "connections", "connectionLimit", "startsLastMinute",
                "messagesPerMinute", "recipientsLastDay", "recipientsPerDay", "shared", "problem"),
                List.copyOf(smtp.keySet()));
        assertEquals(hostile.toLowerCase(java.util.Locale.ROOT), smtp.get("mailbox"), "read back exactly");
        assertEquals("smtp", smtp.get("protocol"));
        assertEquals(2, ((Number) smtp.get("connections")).intValue());
        assertEquals(3, ((Number) smtp.get("connectionLimit")).intValue());
        assertEquals(17, ((Number) smtp.get("startsLastMinute")).intValue());
        assertEquals(30, ((Number) smtp.get("messagesPerMinute")).intValue());
        assertEquals(950, ((Number) smtp.get("recipientsLastDay")).longValue());
        assertEquals(10_000, ((Number) smtp.get("recipientsPerDay")).intValue());
        assertEquals(true, smtp.get("shared"));
        assertNull(smtp.get("problem"));
        Map<?, ?> graph = (Map<?, ?>) budget.get(1);
        assertNull(graph.get("connectionLimit"), "a limit not known here is null, not 0");
        assertEquals("PostgreSQL at db.example cannot be reached", graph.get("problem"));
    }

    @Test
    void controlCharactersQuotesAndMarkupSurviveTheRoundTrip() throws IOException {
        String nasty = "a\\b\n\u0001\"<script>&\u2028";
        try (JsonReader reader = JsonProviders.createReader(StatusJson.string(nasty))) {
            reader.nextToken();
            assertEquals(nasty, reader.getString());
        }
        String literal = StatusJson.string("<script>");
        assertEquals(-1, literal.indexOf('<'), "markup is escaped even inside JSON: " + literal);
        assertEquals("null", StatusJson.string(null));
    }

    private static Map<?, ?> parse(String json) throws IOException {
        try (JsonReader reader = JsonProviders.createReader(json)) {
            reader.nextToken();
            Object value = reader.readUntyped();
            return (Map<?, ?>) value;
        }
    }
}
