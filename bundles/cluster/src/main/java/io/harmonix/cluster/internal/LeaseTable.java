package io.harmonix.cluster.internal;

import io.harmonix.cluster.api.LeaseInfo;
import io.harmonix.cluster.api.Leases;
import io.harmonix.store.api.Rows;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import javax.sql.DataSource;

/**
 * One node's leases in {@code CLUSTER_LEASE}: a claim is a conditional UPDATE ({@code WHERE LEASE_KEY = ? AND
 * (OWNER = me OR OWNER IS NULL OR EXPIRES_AT < CURRENT_TIMESTAMP)}), else an INSERT that the primary key lets only
 * one node make. Why not {@code SELECT ... FOR UPDATE SKIP LOCKED}: Derby has no SKIP LOCKED, and a row lock lasts
 * only while its transaction is open, whereas a lease must outlive the transaction that took it (work runs for
 * minutes, and a node that dies holding a connection must lose its work by time, not when TCP notices); the
 * conditional UPDATE is plain SQL both stores run alike, and two claimers serialize on the row's write lock, the
 * second re-reading the row the first committed. Expiries are written and compared by the database's clock
 * ({@code CURRENT_TIMESTAMP}), so the nodes' clocks may disagree; the lease duration is whole seconds, the unit of
 * the JDBC escape both stores understand.
 */
final class LeaseTable implements Leases {
    private final DataSource db;
    private final String node;
    private final Duration duration;
    private final Duration renewInterval;
    /** The expiry of a lease taken or renewed now, as SQL on the database's clock. */
    private final String later;

    /** Joins the node (writes its row) before its first lease is touched; see {@link ClusterMember}. */
    interface Join {
        void ensure() throws SQLException;

        /** Joins without waiting for it: before a lease taken in a caller's transaction. */
        default void soon() throws SQLException {
            ensure();
        }

        /**
         * @return why this node holds no lease any more (another runtime joined under its id since), or null: its
         *     renewals then answer every key lost, its claims fail, and nothing new is leased
         */
        default String fenced() {
            return null;
        }

        Join NONE = () -> { };
    }

    private final Join join;

    LeaseTable(DataSource db, String node, Duration duration, Duration renewInterval) {
        this(db, node, duration, renewInterval, Join.NONE);
    }

    LeaseTable(DataSource db, String node, Duration duration, Duration renewInterval, Join join) {
        this.join = join;
        this.db = db;
        this.node = node;
        this.duration = duration;
        this.renewInterval = renewInterval;
        this.later = ClusterTables.inSeconds(Math.max(1, duration.toSeconds()));
    }

    @Override
    public Duration duration() {
        return duration;
    }

    @Override
    public Duration renewInterval() {
        return renewInterval;
    }

    @Override
    public boolean claim(String key) throws SQLException {
        join.ensure();
        if (join.fenced() != null) {
            return false;
        }
        try (Connection c = db.getConnection()) {
            c.setAutoCommit(true);
            try (PreparedStatement s = c.prepareStatement("UPDATE CLUSTER_LEASE SET OWNER = ?, EXPIRES_AT = " + later
                    + " WHERE LEASE_KEY = ? AND (OWNER = ? OR OWNER IS NULL OR EXPIRES_AT < CURRENT_TIMESTAMP)")) {
                s.setString(1, node);
                s.setString(2, key);
                s.setString(3, node);
                if (s.executeUpdate() == 1) {
                    return true;
                }
            }
            try {
                insert(c, key, node);
                return true;
            } catch (SQLException e) {
                if (ClusterTables.DUPLICATE.equals(e.getSQLState())) {
                    return false; // a live lease of another node (or one inserted since the UPDATE looked)
                }
                throw e;
            }
        }
    }

    /** Refuses a new lease of a fenced node, saying why. */
    private void unfenced() throws SQLException {
        String why = join.fenced();
        if (why != null) {
            throw new SQLException(why, NodeTable.ID_IN_USE);
        }
    }

    @Override
    public void claimNew(Connection c, String key) throws SQLException {
        join.soon();
        unfenced();
        insert(c, key, node);
    }

    @Override
    public void offer(Connection c, String key) throws SQLException {
        join.soon();
        unfenced();
        insert(c, key, null);
    }

    @Override
    public boolean offer(String key) throws SQLException {
        join.ensure();
        unfenced();
        try (Connection c = db.getConnection()) {
            c.setAutoCommit(true);
            // born expired, as a new offer is: claimable at once, among the offered ones by the time it was offered
            try (PreparedStatement s = c.prepareStatement("UPDATE CLUSTER_LEASE SET OWNER = NULL, EXPIRES_AT = "
                    + "CURRENT_TIMESTAMP WHERE LEASE_KEY = ? AND (OWNER = ? OR OWNER IS NULL OR EXPIRES_AT < "
                    + "CURRENT_TIMESTAMP)")) {
                s.setString(1, key);
                s.setString(2, node);
                if (s.executeUpdate() == 1) {
                    return true;
                }
            }
            try {
                insert(c, key, null);
                return true;
            } catch (SQLException e) {
                if (ClusterTables.DUPLICATE.equals(e.getSQLState())) {
                    return false; // a live lease of another node
                }
                throw e;
            }
        }
    }

    private void insert(Connection c, String key, String owner) throws SQLException {
        // an offered lease is born expired: claimable at once by whoever looks first
        try (PreparedStatement s = c.prepareStatement("INSERT INTO CLUSTER_LEASE (LEASE_KEY, OWNER, EXPIRES_AT) "
                + "VALUES (?, ?, " + (owner == null ? "CURRENT_TIMESTAMP" : later) + ")")) {
            s.setString(1, key);
            s.setString(2, owner);
            s.executeUpdate();
        }
    }

    @Override
    public Set<String> renew(Collection<String> keys) throws SQLException {
        if (keys.isEmpty()) {
            return Set.of();
        }
        join.ensure();
        try (Connection c = db.getConnection()) {
            c.setAutoCommit(false);
            try {
                Set<String> lost = new LinkedHashSet<>(keys);
                lost.removeAll(hold(c, keys));
                c.commit();
                return lost;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        }
    }

    @Override
    public Set<String> hold(Connection c, Collection<String> keys) throws SQLException {
        join.soon();
        Set<String> held = new LinkedHashSet<>();
        if (join.fenced() != null) {
            return held; // the newer incarnation of this id holds them
        }
        // in key order, in every transaction that locks several leases: two of them never wait for each other
        try (PreparedStatement s = c.prepareStatement("UPDATE CLUSTER_LEASE SET EXPIRES_AT = " + later
                + " WHERE LEASE_KEY = ? AND OWNER = ?")) {
            for (String key : new TreeSet<>(keys)) {
                s.setString(1, key);
                s.setString(2, node);
                if (s.executeUpdate() == 1) {
                    held.add(key);
                }
            }
        }
        return held;
    }

    @Override
    public void release(Connection c, String key) throws SQLException {
        join.soon();
        try (PreparedStatement s = c.prepareStatement("DELETE FROM CLUSTER_LEASE WHERE LEASE_KEY = ? AND OWNER = ?")) {
            s.setString(1, key);
            s.setString(2, node);
            s.executeUpdate();
        }
    }

    @Override
    public void release(String key) throws SQLException {
        join.ensure();
        try (Connection c = db.getConnection();
                PreparedStatement s = c.prepareStatement("DELETE FROM CLUSTER_LEASE WHERE LEASE_KEY = ? AND "
                        + "(OWNER = ? OR OWNER IS NULL OR EXPIRES_AT < CURRENT_TIMESTAMP)")) {
            c.setAutoCommit(true);
            s.setString(1, key);
            s.setString(2, node);
            s.executeUpdate();
        }
    }

    @Override
    public List<String> claimable(String prefix, int limit) throws SQLException {
        join.ensure();
        if (prefix.contains("%") || prefix.contains("_")) {
            throw new IllegalArgumentException("a lease key prefix has no '%' or '_' (LIKE patterns): " + prefix);
        }
        // the work a node left (owner set, expired) before the work offered (owner null): the one is under way,
        // its tasks half done and its callers waiting, and it would otherwise wait behind the whole offered backlog,
        // which is older whenever the cluster is busy (in ClusterIT a dead node's instances waited 10 to 15 s for
        // it with 4 s leases); offered work is new and has waited for no one yet
        return Rows.list(db, "SELECT LEASE_KEY FROM CLUSTER_LEASE WHERE LEASE_KEY LIKE ? AND (OWNER IS NULL OR "
                + "EXPIRES_AT < CURRENT_TIMESTAMP) ORDER BY CASE WHEN OWNER IS NULL THEN 1 ELSE 0 END, EXPIRES_AT "
                + "FETCH FIRST " + Math.max(1, limit)
                + " ROWS ONLY", r -> r.getString(1), prefix + "%");
    }

    @Override
    public List<LeaseInfo> list() throws SQLException {
        join.ensure();
        return Rows.list(db, "SELECT LEASE_KEY, OWNER, EXPIRES_AT, CURRENT_TIMESTAMP FROM CLUSTER_LEASE "
                + "ORDER BY LEASE_KEY", r -> {
                    String owner = r.getString(2);
                    var expires = r.getTimestamp(3);
                    return new LeaseInfo(r.getString(1), owner, expires.toInstant(),
                            owner == null || expires.before(r.getTimestamp(4)));
                });
    }
}
