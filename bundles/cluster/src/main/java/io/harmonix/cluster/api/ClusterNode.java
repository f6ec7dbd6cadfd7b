package io.harmonix.cluster.api;

import java.sql.SQLException;
import java.util.List;
import org.osgi.annotation.versioning.ProviderType;

/**
 * This runtime as a node of the cluster of runtimes sharing its database (a single runtime is a cluster of one).
 * Published by the cluster bundle once its node has joined: its row is in the node table and its heartbeat runs.
 */
@ProviderType
public interface ClusterNode {
    /**
     * @return this runtime's node id: {@code harmonix.node.id} of {@code etc/harmonix.properties} (or a system
     *     property), else the one generated at the first start and kept in the data folder's {@code node-id} file
     */
    String nodeId();

    /** @return the leases this node takes on keys of work */
    Leases leases();

    /** @return every node the database has seen, by id, with its last heartbeat and whether it is alive */
    List<NodeInfo> nodes() throws SQLException;
}
