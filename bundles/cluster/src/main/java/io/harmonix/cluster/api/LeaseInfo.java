package io.harmonix.cluster.api;

import java.time.Instant;

/**
 * A lease as the lease table holds it. Times are the database's clock.
 *
 * @param key the key of the work it is on
 * @param owner the node holding it, or null when the work is offered to whichever node claims it first
 * @param expiresAt when it runs out unless its owner renews it
 * @param expired true when it has run out (the database's clock said so when it was read): any node may claim it
 */
public record LeaseInfo(String key, String owner, Instant expiresAt, boolean expired) {
}
