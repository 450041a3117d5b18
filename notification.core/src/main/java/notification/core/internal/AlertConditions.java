package notification.core.internal;

import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import notification.api.DeliveryState;
import notification.api.TransportStatus;
import notification.api.transport.TransportHealth;

/**
 * What an administrator must be told by e-mail: the delivering transport needs attention, a client secret expires
 * within 14 days, or failed notifications wait in the outbox. Each condition has a stable key, so it is mailed at
 * most once a day however often it is seen.
 */
final class AlertConditions {

    /** How many days before a secret expires the administrator is mailed. */
    static final int SECRET_DAYS = 14;

    /**
     * One condition.
     *
     * @param key what it is about, stable from one check to the next (for example "attention:office")
     * @param sentence what is wrong and what to do
     */
    record Condition(String key, String sentence) {
    }

    private AlertConditions() {
    }

    /**
     * Finds the conditions that hold now.
     *
     * @param transports the configured transports in order (the first is the one meant to deliver)
     * @param counts the outbox counts
     * @param secretExpiries when each transport's client secret expires, by transport name
     * @param today today's date (UTC)
     * @return the conditions, empty when all is well
     */
    static List<Condition> of(List<TransportStatus> transports, Map<DeliveryState, Long> counts,
            Map<String, LocalDate> secretExpiries, LocalDate today) {
        List<Condition> found = new ArrayList<>();
        if (!transports.isEmpty()) {
            TransportStatus delivering = transports.get(0);
            TransportHealth h = delivering.health();
            if (h.state() != TransportHealth.State.OK) {
                found.add(new Condition("attention:" + delivering.name(), "Transport '" + delivering.name()
                        + "', the one meant to deliver, needs attention (" + h.state() + "): " + h.message()
                        + (h.lastError() == null || h.message().contains(h.lastError()) ? ""
                                : " Last error: " + h.lastError())));
            }
        }
        secretExpiries.forEach((name, date) -> {
            long days = ChronoUnit.DAYS.between(today, date);
            if (days <= SECRET_DAYS) {
                found.add(new Condition("secret:" + name, "The client secret of transport '" + name + "' "
                        + (days < 0 ? "expired on " + date : "expires on " + date + " (in " + days + " days)")
                        + ": create a new one in the identity provider, enter it in the transport's configuration"
                        + " and update its secretExpires date."));
            }
        });
        long failed = counts.getOrDefault(DeliveryState.FAILED, 0L) + counts.getOrDefault(DeliveryState.EXPIRED, 0L)
                + counts.getOrDefault(DeliveryState.QUARANTINED, 0L);
        if (failed > 0) {
            found.add(new Condition("outbox:failed", failed + (failed == 1 ? " notification has" : " notifications have")
                    + " failed and wait in the outbox: retry or discard them on the Notifications page."));
        }
        return found;
    }
}
