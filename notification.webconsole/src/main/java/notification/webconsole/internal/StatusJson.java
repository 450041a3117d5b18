package notification.webconsole.internal;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import notification.api.DeliveryState;
import notification.api.OutboxNode;
import notification.api.OutboxStoreStatus;
import notification.api.TransportStatus;
import notification.api.authorization.AuthorizationRecord;
import notification.api.transport.BudgetUse;
import notification.api.transport.TransportHealth;

/**
 * Writes the status for scripts and monitoring: the active transport, all transports, outbox counts, the last
 * authorization, the outbox's store (with the nodes sharing it) and each mailbox's use of its sending budget. Holds no secret because the API it reads from
 * holds none.
 */
final class StatusJson {

    private StatusJson() {
    }

    /**
     * Renders the status document.
     *
     * @param transports the configured transports in order
     * @param counts the outbox counts per state, or {@code null} when the outbox's database cannot be reached
     * @param authorization who authorized the current transport, if anyone
     * @param store where the outbox is kept and how that store stands
     * @param budget what each mailbox in use uses of its sending budget (empty without the budget service)
     * @return the JSON text
     */
    static String render(List<TransportStatus> transports, Map<DeliveryState, Long> counts,
            Optional<AuthorizationRecord> authorization, OutboxStoreStatus store, List<BudgetUse> budget) {
        StringBuilder json = new StringBuilder("{\"transport\":");
        Optional<TransportStatus> current = current(transports);
        if (current.isPresent()) {
            TransportStatus t = current.get();
            json.append("{\"name\":").append(string(t.name())).append(",\"type\":").append(string(t.type()))
                    .append(",\"state\":").append(string(t.health().state().name()))
                    .append(",\"verified\":").append(t.health().verified()).append(",\"message\":")
                    .append(string(t.health().message())).append(",\"lastError\":")
                    .append(string(t.health().lastError())).append('}');
        } else {
            json.append("{\"name\":null,\"type\":null,\"state\":\"NOT_CONFIGURED\",\"verified\":false,\"message\":")
                    .append(string("No transport is configured")).append(",\"lastError\":null}");
        }
        json.append(",\"transports\":[");
        for (int i = 0; i < transports.size(); i++) {
            json.append(i == 0 ? "" : ",");
            transport(transports.get(i), json);
        }
        json.append("],\"outbox\":");
        if (counts == null) {
            json.append("null");
        } else {
            json.append('{');
            DeliveryState[] states = DeliveryState.values();
            for (int i = 0; i < states.length; i++) {
                json.append(i == 0 ? "" : ",").append(string(states[i].name())).append(':')
                        .append(counts.getOrDefault(states[i], 0L));
            }
            json.append('}');
        }
        json.append(",\"authorization\":");
        if (authorization.isPresent()) {
            json.append("{\"account\":").append(string(authorization.get().account())).append(",\"at\":")
                    .append(time(authorization.get().authorizedAt())).append('}');
        } else {
            json.append("null");
        }
        json.append(",\"store\":");
        store(store, json);
        json.append(",\"budget\":[");
        for (int i = 0; i < budget.size(); i++) {
            BudgetUse u = budget.get(i);
            json.append(i == 0 ? "" : ",").append("{\"mailbox\":").append(string(u.key().mailbox()))
                    .append(",\"protocol\":").append(string(u.key().protocol())).append(",\"connections\":")
                    .append(u.connections()).append(",\"connectionLimit\":").append(limit(u.connectionLimit()))
                    .append(",\"startsLastMinute\":").append(u.startsLastMinute()).append(",\"messagesPerMinute\":")
                    .append(limit(u.messagesPerMinute())).append(",\"recipientsLastDay\":")
                    .append(u.recipientsLastDay()).append(",\"recipientsPerDay\":").append(limit(u.recipientsPerDay()))
                    .append(",\"shared\":").append(u.shared()).append(",\"problem\":").append(string(u.problem()))
                    .append('}');
        }
        return json.append("]}").toString();
    }

    /** A limit, or null when none is known (0). */
    private static String limit(int limit) {
        return limit > 0 ? String.valueOf(limit) : "null";
    }

    private static void store(OutboxStoreStatus s, StringBuilder json) {
        json.append("{\"kind\":").append(string(s.store())).append(",\"summary\":").append(string(s.summary()));
        if (!s.shared()) {
            json.append('}');
            return;
        }
        json.append(",\"database\":").append(string(s.database())).append(",\"node\":").append(string(s.node()))
                .append(",\"reachable\":").append(s.reachable()).append(",\"deliveries\":")
                .append(string(s.reachable() ? "RUNNING" : "PAUSED")).append(",\"problem\":")
                .append(string(s.problem())).append(",\"nodes\":[");
        for (int i = 0; i < s.nodes().size(); i++) {
            OutboxNode n = s.nodes().get(i);
            json.append(i == 0 ? "" : ",").append("{\"name\":").append(string(n.name())).append(",\"thisNode\":")
                    .append(n.thisNode()).append(",\"active\":").append(n.active()).append(",\"startedAt\":")
                    .append(time(n.startedAt())).append(",\"lastSeen\":").append(time(n.lastSeen()))
                    .append(",\"leases\":").append(n.leases()).append(",\"expiredLeases\":").append(n.expiredLeases())
                    .append(",\"leasedUntil\":").append(time(n.leasedUntil())).append('}');
        }
        json.append("]}");
    }

    /**
     * Returns the transport that delivers right now, else the first configured one.
     *
     * @param transports the configured transports in order
     * @return the current transport
     */
    static Optional<TransportStatus> current(List<TransportStatus> transports) {
        return transports.stream().filter(TransportStatus::active).findFirst()
                .or(() -> transports.stream().findFirst());
    }

    private static void transport(TransportStatus t, StringBuilder json) {
        TransportHealth h = t.health();
        json.append("{\"name\":").append(string(t.name())).append(",\"type\":").append(string(t.type()))
                .append(",\"position\":").append(t.position()).append(",\"bound\":").append(t.bound())
                .append(",\"active\":").append(t.active()).append(",\"state\":").append(string(h.state().name()))
                .append(",\"verified\":").append(h.verified()).append(",\"message\":").append(string(h.message()))
                .append(",\"lastSuccess\":")
                .append(time(h.lastSuccess())).append(",\"lastFailure\":").append(time(h.lastFailure()))
                .append(",\"lastError\":").append(string(h.lastError())).append(",\"warnings\":[");
        for (int i = 0; i < h.warnings().size(); i++) {
            json.append(i == 0 ? "" : ",").append(string(h.warnings().get(i)));
        }
        json.append("]}");
    }

    private static String time(Instant instant) {
        return instant == null ? "null" : string(instant.toString());
    }

    /**
     * Quotes a string for JSON, escaping what must be escaped and also {@code <}, {@code >} and {@code &} so the text
     * is harmless even if some client renders it as HTML.
     *
     * @param value the value, may be {@code null}
     * @return the JSON string literal, or {@code null}
     */
    static String string(String value) {
        if (value == null) {
            return "null";
        }
        StringBuilder s = new StringBuilder(value.length() + 2).append('"');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '"' -> s.append("\\\"");
                case '\\' -> s.append("\\\\");
                case '\n' -> s.append("\\n");
                case '\r' -> s.append("\\r");
                case '\t' -> s.append("\\t");
                default -> {
                    if (c < 0x20 || c == '<' || c == '>' || c == '&' || c == '\u2028' || c == '\u2029') {
                        s.append(String.format("\\u%04x", (int) c));
                    } else {
                        s.append(c);
                    }
                }
            }
        }
        return s.append('"').toString();
    }
}
