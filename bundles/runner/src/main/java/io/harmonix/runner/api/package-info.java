/**
 * The runner's service API: start, inspect, pause, resume and stop multi-cycle runs. 1.3.0: {@link RunState#OFFERED}, a
 * run waiting for a runtime with room.
 */
@Export
@Version("1.3.0")
package io.harmonix.runner.api;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
