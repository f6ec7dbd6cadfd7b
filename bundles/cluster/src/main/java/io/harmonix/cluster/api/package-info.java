/**
 * The cluster of runtimes that share one database: who this runtime is ({@link ClusterNode#nodeId()}), the nodes
 * the database knows with their heartbeats ({@link NodeInfo}), and leases on keys of work ({@link Leases},
 * {@link LeaseInfo}): a key is worked on by the one node whose lease on it has not expired, and the work of a node
 * that died is claimed by another once its leases expire. 1.0.0: first release. 1.2.0: {@link Leases#offer(String)}, an offer
 * on a connection of its own (the runner offers runs it has no room for). 1.3.0: {@link LeaseKeeper}, the renewals,
 * deadline and claims' thread of one kind of work held by lease (the runner's runs, the workflow engine's instances).
 */
@Export
@Version("1.3.0")
package io.harmonix.cluster.api;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
