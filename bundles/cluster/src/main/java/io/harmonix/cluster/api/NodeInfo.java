package io.harmonix.cluster.api;

import java.time.Instant;

/**
 * A node as the node table knows it. Times are the database's clock.
 *
 * @param id its node id
 * @param host the host name it gave when it joined
 * @param startedAt when it (last) joined
 * @param lastSeen its last heartbeat
 * @param alive true when its last heartbeat is younger than a lease: a node that is not alive holds nothing that
 *     another node cannot claim once it expires
 * @param leases how many leases it holds, expired ones included (they are its until another node claims them)
 */
public record NodeInfo(String id, String host, Instant startedAt, Instant lastSeen, boolean alive, int leases) {
}
