package notification.api;

import notification.api.transport.TransportHealth;
import notification.api.transport.TransportLimits;

/**
 * How one configured transport stands, as the notification service sees it.
 *
 * @param name the transport's name, as listed in the {@code transports} configuration
 * @param type the transport's type, for example "relay", "microsoft-smtp", "microsoft-graph", "pickup"; or
 *        {@code null} when no such transport is bound
 * @param position its place in the configured order (0 = first choice)
 * @param bound whether a transport service of that name is present
 * @param active whether it is the one that delivers right now (the first healthy one)
 * @param health its health; {@link TransportHealth.State#NOT_CONFIGURED} when not bound
 * @param limits its limits, or {@code null} when not bound
 */
public record TransportStatus(
        String name,
        String type,
        int position,
        boolean bound,
        boolean active,
        TransportHealth health,
        TransportLimits limits) {
}
