package notification.webconsole.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.azure.json.JsonProviders;
import com.azure.json.JsonReader;
import java.io.IOException;
import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import notification.api.DeliveryState;
import notification.api.TransportStatus;
import notification.api.authorization.AuthorizationRecord;
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
                new AuthorizationRecord("scanner@example.com", Instant.parse("2026-01-01T00:00:00Z")))));

        assertEquals(List.of("transport", "transports", "outbox", "authorization"), List.copyOf(json.keySet()));
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
    }

    @Test
    void anUnprovenTransportSaysSoAndKeepsItsLastError() throws IOException {
        TransportStatus relay = new TransportStatus("relay", "relay", 0, true, true,
                new TransportHealth(TransportHealth.State.OK, "Ready", null, Instant.parse("2026-01-02T03:04:05Z"),
                        "AADSTS7000215: invalid client secret", null, false), null);
        Map<?, ?> json = parse(StatusJson.render(List.of(relay), Map.of(), Optional.empty()));
        Map<?, ?> current = (Map<?, ?>) json.get("transport");
        assertEquals(false, current.get("verified"));
        assertEquals("AADSTS7000215: invalid client secret", current.get("lastError"));
        assertEquals(false, ((Map<?, ?>) ((List<?>) json.get("transports")).get(0)).get("verified"));
    }

    @Test
    void withoutTransportsSaysNotConfigured() throws IOException {
        Map<?, ?> json = parse(StatusJson.render(List.of(), Map.of(), Optional.empty()));
        Map<?, ?> transport = (Map<?, ?>) json.get("transport");
        assertNull(transport.get("name"));
        assertEquals("NOT_CONFIGURED", transport.get("state"));
        assertEquals(List.of(), json.get("transports"));
        assertNull(json.get("authorization"));
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
