/**
 * What every capability's Gogo commands share, so that all of them read and answer alike: option parsing with
 * help and clear errors ({@link io.harmonix.shell.api.CommandLines}), tables, JSON output and durations.
 */
@Export
@Version("1.1.0")
package io.harmonix.shell.api;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
