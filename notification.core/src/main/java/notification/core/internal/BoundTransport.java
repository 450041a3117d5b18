package notification.core.internal;

import java.util.HashSet;
import java.util.Set;
import notification.api.transport.MailTransport;

/** A transport service the notification service is bound to, with its name, ranking and deliveries in flight. */
final class BoundTransport {
    final String name;
    final String type;
    final int ranking;
    final long serviceId;
    final MailTransport transport;
    final Set<Dispatch> inFlight = new HashSet<>();
    /** The configuration that made it, when it came from one (guarded by the registry). */
    NameClaim claim;

    BoundTransport(String name, String type, int ranking, long serviceId, MailTransport transport) {
        this.name = name;
        this.type = type;
        this.ranking = ranking;
        this.serviceId = serviceId;
        this.transport = transport;
    }

    /** Whether this one wins over another of the same name (higher ranking, then older service). */
    boolean preferredTo(BoundTransport other) {
        return ranking != other.ranking ? ranking > other.ranking : serviceId < other.serviceId;
    }
}
