/**
 * The run journal: what the runner writes so that a run survives the process. A run's definition, its state, and
 * for each committed cycle, atomically, the cycle's snapshot and every agent's new state. {@link StateAdmin} reads
 * and migrates the stored states for the {@code state:} commands.
 */
@Export
@Version("1.1.0")
package io.harmonix.state.api;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
