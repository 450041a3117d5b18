package notification.api;

import java.time.Instant;

/**
 * One print server (node) sharing an outbox in a database, as the database sees it. Times are by the database's
 * clock, which is also the clock of the leases.
 *
 * @param name the node's name ({@code node} in its configuration; by default its host name and HTTP port)
 * @param thisNode whether it is the server answering
 * @param active whether it was seen within the last lease length (a node records that it is alive every third of
 *        it); a node not active has stopped or lost the database
 * @param startedAt when it first used the database, or {@code null} if it holds leases without having recorded itself
 * @param lastSeen when it last recorded that it is alive, or {@code null} as for {@code startedAt}
 * @param leases how many notifications it is sending now, under a lease that has not run out
 * @param expiredLeases how many notifications it was sending under a lease that ran out: any node sends them again,
 *        with the same Message-ID
 * @param leasedUntil when the last of its leases runs out unless renewed, or {@code null} when it holds none
 */
public record OutboxNode(
        String name,
        boolean thisNode,
        boolean active,
        Instant startedAt,
        Instant lastSeen,
        int leases,
        int expiredLeases,
        Instant leasedUntil) {
}
