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
     * Set when the heartbeat found the node's row taken by a newer incarnation (another runtime started under this
     * node id): this runtime then holds none of the id's leases (see {@link LeaseTable}), so that one runtime only
     * does the work of one node id.
     */
    private volatile String fenced;
    private final Duration lease;

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
        this.lease = lease;
        migrator.migrate(ClusterTables.COMPONENT, ClusterTables.MIGRATIONS);
        nodes = new NodeTable(db);
        leases = new LeaseTable(db, nodeId, lease, renew, new LeaseTable.Join() {
            @Override
            public void ensure() throws SQLException {
                join();
            }

            @Override
            public void soon() {
                joinSoon();
            }

            @Override
            public String fenced() {
                return fenced;
            }
        });
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
                nodes.join(nodeId, incarnation, host(), lease);
                joined = true;
            }
        }
    }

    /**
     * Joins on the heartbeat's thread, now, when a lease is taken in a caller's transaction: joining there, on a
     * connection of its own, would wait for a second connection while the caller holds one (with every connection of
     * the pool held by such callers, each waited for the pool's whole wait and failed); the node's row is not needed
     * by the lease itself.
     */
    private void joinSoon() {
        if (!joined) {
            try {
                heartbeat.execute(this::beat);
            } catch (java.util.concurrent.RejectedExecutionException closed) {
                // the node closes
            }
        }
    }

    private void beat() {
        try {
            if (!joined) {
                join();
            } else if (nodes.beat(nodeId, incarnation, host(), lease)) {
                lastProblem = null;
            } else {
                String why = "node id " + nodeId + " was taken by another runtime (host " + nodes.host(nodeId)
                        + ") since this one joined: this runtime gives up the leases of the id (its work goes on "
                        + "there); give each runtime its own " + NodeIdentity.PROPERTY;
                fenced = why;
                problem(why);
            }
        } catch (SQLException | RuntimeException e) {
            if (e instanceof SQLException q && NodeTable.ID_IN_USE.equals(q.getSQLState())) {
                fenced = q.getMessage(); // refused to join: this runtime takes none of the id's leases
            }
            problem("node " + nodeId + ": heartbeat not written: " + e.getMessage());
        }
    }

    private void problem(String text) {
        if (!text.equals(lastProblem)) {
            lastProblem = text;
            warn.accept(text);
        }
    }

    /** @return the host name this node gives when it joins */
    String host() {
        return NodeIdentity.host();
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
