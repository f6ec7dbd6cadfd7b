/** The runner's service API: start, inspect, pause, resume and stop multi-cycle runs. */
@Export
@Version("1.2.0")
package io.harmonix.runner.api;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
