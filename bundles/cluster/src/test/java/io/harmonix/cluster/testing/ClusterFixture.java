package io.harmonix.cluster.testing;

import io.harmonix.cluster.api.ClusterNode;
import io.harmonix.cluster.api.Leases;
import io.harmonix.cluster.api.NodeInfo;
import io.harmonix.cluster.internal.ClusterMember;
import io.harmonix.store.api.SchemaMigrator;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import javax.sql.DataSource;

/**
 * For the tests of the bundles that share work by lease: a real node of the cluster over a DataSource (its tables
 * migrated, its row written, its heartbeat running), without a framework, as the cluster bundle publishes it.
 * Several over one DataSource are several runtimes on one database. Close one to stop its heartbeat: its leases stay
 * and expire, as a killed runtime's do. Shipped in the cluster module's test jar, so that those tests never
 * construct the cluster's internal classes.
 */
public final class ClusterFixture implements ClusterNode, AutoCloseable {
    private final ClusterMember member;

    private ClusterFixture(ClusterMember member) {
        this.member = member;
    }

    /**
     * @param lease how long a lease lasts (whole seconds)
     * @param renew how often leases are renewed and the heartbeat written
     */
    public static ClusterFixture join(DataSource db, SchemaMigrator migrator, String nodeId, Duration lease,
            Duration renew) throws SQLException {
        return new ClusterFixture(new ClusterMember(db, migrator, nodeId, lease, renew, System.err::println));
    }

    @Override
    public String nodeId() {
        return member.nodeId();
    }

    @Override
    public Leases leases() {
        return member.leases();
    }

    @Override
    public List<NodeInfo> nodes() throws SQLException {
        return member.nodes();
    }

    @Override
    public void close() {
        member.close();
    }
}
