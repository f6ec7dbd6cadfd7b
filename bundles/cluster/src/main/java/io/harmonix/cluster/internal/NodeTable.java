package io.harmonix.cluster.internal;

import io.harmonix.cluster.api.NodeInfo;
import io.harmonix.store.api.Rows;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.util.List;
import javax.sql.DataSource;

/**
 * The node table: a row per node id, written when a node joins and at each heartbeat, by the database's clock. The
 * incarnation (random at each start) tells a node that another runtime has joined under its id since.
 */
final class NodeTable {
    /** The SQL state of a join refused because a live runtime on another host has the node id. */
    static final String ID_IN_USE = "HXC01";
    private final DataSource db;

    NodeTable(DataSource db) {
        this.db = db;
    }

    /**
     * Writes the node's row as it starts: a new incarnation, started and seen now.
     *
     * @param lease how long a node is alive after its last heartbeat
     * @throws SQLException with state {@value #ID_IN_USE} when a live runtime on another host has the id: two runtimes
     *     of one node id would both take its leases. On the same host the row is taken over: a runtime restarted
     *     after a crash finds its own last incarnation alive for up to a lease, and must get its leases back at once
     *     (two runtimes of one id on one host are fenced by the heartbeat instead: see {@link ClusterMember})
     */
    void join(String node, String incarnation, String host, Duration lease) throws SQLException {
        try (Connection c = db.getConnection()) {
            c.setAutoCommit(true);
            join(c, node, incarnation, host, lease);
        }
    }

    /**
     * As {@link #join(String, String, String, Duration)}, on {@code c} (in autocommit).
     */
    void join(Connection c, String node, String incarnation, String host, Duration lease) throws SQLException {
        {
            try (PreparedStatement q = c.prepareStatement("SELECT INCARNATION, HOST, LAST_SEEN, CURRENT_TIMESTAMP "
                    + "FROM CLUSTER_NODE WHERE NODE_ID = ?")) {
                q.setString(1, node);
                try (var r = q.executeQuery()) {
                    if (r.next() && !incarnation.equals(r.getString(1)) && !host.equals(r.getString(2))
                            && r.getTimestamp(3).toInstant().plus(lease).isAfter(r.getTimestamp(4).toInstant())) {
                        throw new SQLException("node id " + node + " is in use by a live runtime on host "
                                + r.getString(2) + " (its last heartbeat " + r.getTimestamp(3) + "): this runtime "
                                + "does not join under it, as both would take the leases of one node; give each "
                                + "runtime its own " + NodeIdentity.PROPERTY, ID_IN_USE);
                    }
                }
            }
            for (int attempt = 0; attempt < 2; attempt++) {
                try (PreparedStatement u = c.prepareStatement("UPDATE CLUSTER_NODE SET INCARNATION = ?, HOST = ?, "
                        + "STARTED_AT = CURRENT_TIMESTAMP, LAST_SEEN = CURRENT_TIMESTAMP WHERE NODE_ID = ?")) {
                    u.setString(1, incarnation);
                    u.setString(2, host);
                    u.setString(3, node);
                    if (u.executeUpdate() == 1) {
                        return;
                    }
                }
                try (PreparedStatement i = c.prepareStatement("INSERT INTO CLUSTER_NODE (NODE_ID, INCARNATION, HOST, "
                        + "STARTED_AT, LAST_SEEN) VALUES (?, ?, ?, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)")) {
                    i.setString(1, node);
                    i.setString(2, incarnation);
                    i.setString(3, host);
                    i.executeUpdate();
                    return;
                } catch (SQLException e) {
                    if (!ClusterTables.DUPLICATE.equals(e.getSQLState())) {
                        throw e;
                    }
                    // joined under the same id meanwhile: the UPDATE takes its row over
                }
            }
        }
    }

    /**
     * @return false when the row is no longer this incarnation's: another runtime joined under this node id. A row
     *     that is not there (the transaction that joined in a caller's work rolled back) is written now
     */
    boolean beat(String node, String incarnation, String host, Duration lease) throws SQLException {
        try (Connection c = db.getConnection();
                PreparedStatement s = c.prepareStatement("UPDATE CLUSTER_NODE SET LAST_SEEN = CURRENT_TIMESTAMP "
                        + "WHERE NODE_ID = ? AND INCARNATION = ?")) {
            c.setAutoCommit(true);
            s.setString(1, node);
            s.setString(2, incarnation);
            if (s.executeUpdate() == 1) {
                return true;
            }
            try (PreparedStatement q = c.prepareStatement("SELECT COUNT(*) FROM CLUSTER_NODE WHERE NODE_ID = ?")) {
                q.setString(1, node);
                try (var r = q.executeQuery()) {
                    if (r.next() && r.getInt(1) > 0) {
                        return false;
                    }
                }
            }
            join(c, node, incarnation, host, lease); // its row went (deleted by hand): written again
            return true;
        }
    }

    /** @return the host that holds {@code node}'s row now, or null */
    String host(String node) throws SQLException {
        return Rows.list(db, "SELECT HOST FROM CLUSTER_NODE WHERE NODE_ID = ?", r -> r.getString(1), node).stream()
                .findFirst().orElse(null);
    }

    /** @param lease how long a node is alive after its last heartbeat */
    List<NodeInfo> nodes(Duration lease) throws SQLException {
        return Rows.list(db, "SELECT N.NODE_ID, N.HOST, N.STARTED_AT, N.LAST_SEEN, CURRENT_TIMESTAMP, "
                + "(SELECT COUNT(*) FROM CLUSTER_LEASE L WHERE L.OWNER = N.NODE_ID) FROM CLUSTER_NODE N "
                + "ORDER BY N.NODE_ID", r -> {
                    Timestamp seen = r.getTimestamp(4);
                    Timestamp now = r.getTimestamp(5);
                    boolean alive = seen.toInstant().plus(lease).isAfter(now.toInstant());
                    return new NodeInfo(r.getString(1), r.getString(2), r.getTimestamp(3).toInstant(),
                            seen.toInstant(), alive, r.getInt(6));
                });
    }
}
