package notification.webconsole.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

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

/** The JSON status for scripts: its shape, escaping, and no secrets. */
class StatusJsonTest {

    @Test
    void reportsTheActiveTransportAllTransportsCountsAndAuthorization() {
        TransportStatus microsoft = new TransportStatus("microsoft", "microsoft-smtp", 0, true, false,
                TransportHealth.of(TransportHealth.State.AUTHORIZATION_REQUIRED, "Click \"Authorize\""), null);
        TransportStatus relay = new TransportStatus("relay", "relay", 1, true, true,
                new TransportHealth(TransportHealth.State.OK, "Ready", Instant.parse("2026-01-02T03:04:05Z"), null,
                        null, List.of("expires <soon>")), null);
        Map<DeliveryState, Long> counts = new EnumMap<>(DeliveryState.class);
        counts.put(DeliveryState.QUEUED, 2L);
        String json = StatusJson.render(List.of(microsoft, relay), counts, Optional.of(
                new AuthorizationRecord("scanner@example.com", Instant.parse("2026-01-01T00:00:00Z"))));

        assertTrue(json.startsWith("{\"transport\":{\"name\":\"relay\",\"type\":\"relay\",\"state\":\"OK\","
                + "\"verified\":true,\"message\":\"Ready\",\"lastError\":null}"), json);
        assertTrue(json.contains("\"message\":\"Click \\\"Authorize\\\"\""), json);
        assertTrue(json.contains("\"warnings\":[\"expires \\u003csoon\\u003e\"]"), json);
        assertTrue(json.contains("\"lastSuccess\":\"2026-01-02T03:04:05Z\""), json);
        assertTrue(json.contains("\"outbox\":{\"QUEUED\":2,\"SENDING\":0,\"DEFERRED\":0,\"SENT\":0,\"FAILED\":0,"
                + "\"EXPIRED\":0,\"QUARANTINED\":0}"), json);
        assertTrue(json.endsWith("\"authorization\":{\"account\":\"scanner@example.com\","
                + "\"at\":\"2026-01-01T00:00:00Z\"}}"), json);
    }

    @Test
    void saysNotYetTestedAndKeepsTheLastErrorOfAnUnprovenTransport() {
        TransportStatus relay = new TransportStatus("relay", "relay", 0, true, true,
                new TransportHealth(TransportHealth.State.OK, "Ready", null, Instant.parse("2026-01-02T03:04:05Z"),
                        "AADSTS7000215: invalid client secret", null, false), null);
        String json = StatusJson.render(List.of(relay), Map.of(), Optional.empty());

        assertTrue(json.startsWith("{\"transport\":{\"name\":\"relay\",\"type\":\"relay\",\"state\":\"OK\","
                + "\"verified\":false,\"message\":\"Ready\",\"lastError\":\"AADSTS7000215: invalid client secret\"}"),
                json);
        assertTrue(json.contains("\"active\":true,\"state\":\"OK\",\"verified\":false,"), json);
    }

    @Test
    void withoutTransportsSaysNotConfigured() {
        String json = StatusJson.render(List.of(), Map.of(), Optional.empty());
        assertTrue(json.startsWith("{\"transport\":{\"name\":null,\"type\":null,\"state\":\"NOT_CONFIGURED\""), json);
        assertTrue(json.contains("\"transports\":[]"), json);
        assertTrue(json.endsWith("\"authorization\":null}"), json);
    }

    @Test
    void escapesControlCharactersAndMarkup() {
        assertEquals("\"a\\\\b\\n\\u0001\\u003cscript\\u003e\"", StatusJson.string("a\\b\n\u0001<script>"));
        assertEquals("null", StatusJson.string(null));
    }
}
