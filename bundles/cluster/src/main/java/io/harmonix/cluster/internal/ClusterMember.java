package io.harmonix.cluster.internal;

import io.harmonix.cluster.api.ClusterNode;
import io.harmonix.cluster.api.Leases;
import io.harmonix.cluster.api.NodeInfo;
import io.harmonix.store.api.SchemaMigrator;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import javax.sql.DataSource;

/**
 * This runtime as a node: its tables migrated, its row written when it joins, and a heartbeat every renew interval
 * (the node table's last seen). It joins at its first lease, its first {@link #nodes()} or its first heartbeat,
 * whichever comes first, not at its start: a command that uses no database (exec mode, the core feature) must not
 * boot or create Derby for the node's row (docs/performance.md, start-up). Plain Java, so that tests run several
 * nodes over one DataSource; the DS component ({@link ClusterComponent}) is a subclass that adds only the wiring.
 */
public class ClusterMember implements ClusterNode, AutoCloseable {
    private final String nodeId;
    private final String incarnation = UUID.randomUUID().toString().replace("-", "");
    private final NodeTable nodes;
    private final LeaseTable leases;
    private final Consumer<String> warn;
    private final ScheduledExecutorService heartbeat;
    /** The last problem of the heartbeat warned of: the same one is not repeated at every beat. */
    private volatile String lastProblem;
    private volatile boolean joined;

    /**
     * Migrates the tables (at the database's boot, when it has not booted) and starts the heartbeat; the node
     * joins (writes its row) at its first use.
     *
     * @param lease how long a lease lasts (whole seconds, at least 1)
     * @param renew how often leases are renewed and the heartbeat written
     * @param warn where problems go
     */
    public ClusterMember(DataSource db, SchemaMigrator migrator, String nodeId, Duration lease, Duration renew,
            Consumer<String> warn) throws SQLException {
        this.nodeId = Objects.requireNonNull(nodeId, "nodeId");
        this.warn = warn;
        migrator.migrate(ClusterTables.COMPONENT, ClusterTables.MIGRATIONS);
        nodes = new NodeTable(db);
        leases = new LeaseTable(db, nodeId, lease, renew, this::join);
        heartbeat = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "harmonix-cluster-heartbeat");
            t.setDaemon(true);
            return t;
        });
        heartbeat.scheduleWithFixedDelay(this::beat, renew.toMillis(), renew.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Writes the node's row once: before its first lease, list of nodes or heartbeat. */
    void join() throws SQLException {
        if (joined) {
            return;
        }
        synchronized (this) {
            if (!joined) {
                nodes.join(nodeId, incarnation, NodeIdentity.host());
                joined = true;
            }
        }
    }

    private void beat() {
        try {
            if (!joined) {
                join();
            } else if (nodes.beat(nodeId, incarnation)) {
                lastProblem = null;
            } else {
                problem("node id " + nodeId + " was taken by another runtime (host " + nodes.host(nodeId) + ") since "
                        + "this one joined: both take the leases of one node; give each runtime its own "
                        + NodeIdentity.PROPERTY);
            }
        } catch (SQLException | RuntimeException e) {
            problem("node " + nodeId + ": heartbeat not written: " + e.getMessage());
        }
    }

    private void problem(String text) {
        if (!text.equals(lastProblem)) {
            lastProblem = text;
            warn.accept(text);
        }
    }

    @Override
    public String nodeId() {
        return nodeId;
    }

    @Override
    public Leases leases() {
        return leases;
    }

    @Override
    public List<NodeInfo> nodes() throws SQLException {
        join();
        return nodes.nodes(leases.duration());
    }

    /** Stops the heartbeat; the node's row and leases stay (they expire: a stop is seen as a death would be). */
    @Override
    public void close() {
        // shutdown, not shutdownNow: an interrupt inside a Derby call can leave the database unable to boot again
        heartbeat.shutdown();
        try {
            heartbeat.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
