/**
 * What engines share to read their configuration and definitions, kept apart from the shell so that updating the
 * shell bundle does not rewire the engines: {@link io.harmonix.config.api.ConfigValues} (typed values with an
 * error that names the key), {@link io.harmonix.config.api.ConfigCheck} (a component's configuration checked as a
 * whole: its settings, or every wrong value named), {@link io.harmonix.config.api.Durations} (durations as people
 * type them) and {@link io.harmonix.config.api.SourcePositions} (line and column of a JSON or YAML field by JSON
 * Pointer); {@link io.harmonix.config.api.KnownKeys} answers a name an engine does not know with the ones it does;
 * {@link io.harmonix.config.api.CronSchedule} reads a cron expression of a setting and gives its fire times;
 * {@link io.harmonix.config.api.AtomicFiles} writes a file whole or not at all.
 *
 * <p>1.3.0: {@code KnownKeys}. 1.4.0: {@code CronSchedule} (moved from the propagator, for the fleet's discovery).
 * 1.5.0: {@code AtomicFiles} (moved from the fleet, for the autonomy ledger).
 */
@Export
@Version("1.5.0")
package io.harmonix.config.api;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
