package notification.core.internal;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import notification.api.DeliveryState;

/** Maps {@code outbox_entry} rows to {@link StoredEntry} objects and Java values to SQL parameters. */
final class PostgresRows {
    /** The columns {@link #entry(ResultSet)} reads, in its order. */
    static final String COLUMNS = "id, message_id, reference, subject, recipients, on_behalf_name, on_behalf_address,"
            + " created_at, sequence, size, state, state_before_sending, pending, failed, attempts, attempts_at_retry,"
            + " lifetime_start, next_attempt_at, updated_at, last_error, transport, lease_token";

    private PostgresRows() {
    }

    static StoredEntry entry(ResultSet r) throws SQLException {
        StoredEntry e = new StoredEntry(r.getString("id"), r.getString("message_id"), r.getString("reference"),
                r.getString("subject"), strings(r.getArray("recipients")), r.getString("on_behalf_name"),
                r.getString("on_behalf_address"), instant(r, "created_at"));
        e.sequence = r.getLong("sequence");
        e.size = r.getLong("size");
        e.state = DeliveryState.valueOf(r.getString("state"));
        String before = r.getString("state_before_sending");
        e.stateBeforeSending = before == null ? null : DeliveryState.valueOf(before);
        e.pending = List.copyOf(strings(r.getArray("pending")));
        e.failed = new ArrayList<>(strings(r.getArray("failed")));
        e.attempts = r.getInt("attempts");
        e.attemptsAtRetry = r.getInt("attempts_at_retry");
        e.lifetimeStart = instant(r, "lifetime_start");
        e.nextAttemptAt = instant(r, "next_attempt_at");
        e.updatedAt = instant(r, "updated_at");
        e.lastError = r.getString("last_error");
        e.transport = r.getString("transport");
        e.sendToken = r.getInt("lease_token");
        return e;
    }

    static List<String> strings(Array a) throws SQLException {
        return a == null ? List.of() : Arrays.asList((String[]) a.getArray());
    }

    static Array array(Connection c, List<String> values) throws SQLException {
        return c.createArrayOf("text", values.toArray(new String[0]));
    }

    static Instant instant(ResultSet r, String column) throws SQLException {
        OffsetDateTime t = r.getObject(column, OffsetDateTime.class);
        return t == null ? null : t.toInstant();
    }

    static void set(PreparedStatement p, int index, Instant value) throws SQLException {
        p.setObject(index, value == null ? null : OffsetDateTime.ofInstant(value, ZoneOffset.UTC));
    }
}
