/**
 * The wave coordinator's API (issue 15): a {@link io.harmonix.waves.api.Wave} is a plan of enhancement agent
 * instances ({@link io.harmonix.waves.api.AgentInstance}) over a target's components, deployed as factory
 * configurations of the agent bundles and run by the runner, one run per instance; the
 * {@link io.harmonix.waves.api.WaveCoordinator} starts, stops and lists waves, the continuous series of infinite
 * mode, and the instances active; {@link io.harmonix.waves.api.WaveReport} is what a wave found and proposed,
 * merged, with its conflicts and how each was resolved.
 *
 * <p>1.0.0: first version. 1.1.0: {@code WaveCoordinator.waves(offset, limit)}, a page read as a page. 1.2.0: a
 * wave is one run per instance, {@code AgentInstance.runId()}; {@code Wave.runId()} is the prefix of its runs' ids;
 * {@code WaveCoordinator.stop} works in any runtime of a cluster.
 */
@Export
@Version("1.2.0")
package io.harmonix.waves.api;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
