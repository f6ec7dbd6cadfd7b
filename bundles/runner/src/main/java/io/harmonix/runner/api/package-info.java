/**
 * The runner's service API: start, inspect, pause, resume and stop multi-cycle runs. 1.3.0: {@link RunState#OFFERED}, a
 * run waiting for a runtime with room. 1.4.0: {@link RunInfo#lastCycle()}, the number of a run's last committed cycle
 * (a fork's numbered on from the cycle it left).
 */
@Export
@Version("1.4.0")
package io.harmonix.runner.api;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
