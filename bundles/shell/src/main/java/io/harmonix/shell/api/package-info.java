/**
 * What every capability's Gogo commands share, so that all of them read and answer alike: option parsing with
 * help and clear errors ({@link io.harmonix.shell.api.CommandLines}), tables and JSON output. Durations,
 * configuration values and source positions, which engines share too, live in {@code io.harmonix.config.api}
 * (2.0.0: they moved there, so that updating the shell does not rewire the engines).
 */
@Export
@Version("2.0.0")
package io.harmonix.shell.api;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
