package io.harmonix.cluster.api;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import org.osgi.annotation.versioning.ProviderType;

/**
 * Leases of this node on keys of work, in the shared database. A key has at most one lease row; the node named in it
 * may do the work until the row's expiry, and keeps it by renewing it (every {@link #renewInterval()}) while the
 * work goes on. A lease past its expiry (its node died, or lost the database for longer than a lease) is claimed by
 * any other node; a node that restarts with the same id gets its own leases back at once. Expiries are counted on
 * the database's clock ({@code CURRENT_TIMESTAMP}), never on the nodes' clocks.
 *
 * <p>The methods that take a {@link Connection} work in that connection's transaction, so that a claim commits with
 * the work's own first row, or a fence with the work's writes; the others use a connection of their own.
 */
@ProviderType
public interface Leases {
    /** @return how long a lease lasts unless renewed */
    Duration duration();

    /** @return how often a holder renews its leases (well under {@link #duration()}) */
    Duration renewInterval();

    /**
     * Claims {@code key} for this node until a lease from now: when no lease is on it, when this node holds it
     * already, when it is offered, or when its lease has expired.
     *
     * @return true when this node holds the lease now; false when another node holds a lease that has not expired
     */
    boolean claim(String key) throws SQLException;

    /**
     * Claims a key nobody has leased yet (the key of work being created), in {@code c}'s transaction.
     *
     * @throws SQLException when a lease is on the key already (a duplicate key: the transaction may be lost)
     */
    void claimNew(Connection c, String key) throws SQLException;

    /**
     * Offers a key nobody has leased yet to whichever node claims it first ({@link #claimable}), in {@code c}'s
     * transaction: work created by a node that has no room for it.
     */
    void offer(Connection c, String key) throws SQLException;

    /**
     * Offers {@code key} to whichever node claims it first ({@link #claimable}), on a connection of its own: work
     * this node holds (it claimed the key to create the work) or nobody holds, for which it has no room. Unlike
     * {@link #offer(Connection, String)} the work's row is written elsewhere (another service's transaction): the
     * key is claimed first, so that no other node creates the same work meanwhile, and offered once the work is
     * there. The lease is left to another node that holds it live.
     *
     * @return true when the key is offered now; false when another node holds a live lease on it
     * @since 1.2
     */
    boolean offer(String key) throws SQLException;

    /**
     * Renews this node's leases on {@code keys}.
     *
     * @return the keys among them this node no longer holds (another node claimed them after they expired, or they
     *     were released): their work must stop here
     */
    Set<String> renew(Collection<String> keys) throws SQLException;

    /**
     * Renews this node's leases on {@code keys} in {@code c}'s transaction, which holds them until it ends: no other
     * node can claim one of them before the work written in that transaction commits. The fence of a holder's writes.
     *
     * @return the keys among them this node holds
     */
    Set<String> hold(Connection c, Collection<String> keys) throws SQLException;

    /** Ends this node's lease on {@code key}: the work is done (in {@code c}'s transaction, with its last row). */
    void release(Connection c, String key) throws SQLException;

    /** Ends this node's lease on {@code key}, or an expired or offered lease on it: there is no work left under it. */
    void release(String key) throws SQLException;

    /**
     * @param prefix the keys' common beginning (no {@code %} or {@code _})
     * @param limit the most keys answered
     * @return keys beginning with {@code prefix} whose lease is offered or expired, work that no live node holds:
     *     first the expired leases of an owner (work a node had started and left, by its death, a cut or a pause),
     *     then the offered ones (owner none: work nobody started yet), each oldest expiry first
     */
    List<String> claimable(String prefix, int limit) throws SQLException;

    /** @return every lease, by key, with its owner and expiry */
    List<LeaseInfo> list() throws SQLException;
}
