/**
 * The fleet: local git repositories and what runs their commands.
 *
 * <ul>
 *   <li>{@link io.harmonix.fleet.api.FleetCatalogue}: the {@link io.harmonix.fleet.api.Repository repositories}
 *       discovered under the configured roots and named by the manifest ({@code etc/repositories.json}), with
 *       their build and test commands and their dependencies, declared and inferred.</li>
 *   <li>{@link io.harmonix.fleet.api.SandboxExecutor}: the one way anything runs a repository's command: in a private
 *       worktree of an exact commit, isolated as far as the machine allows ({@link io.harmonix.fleet.api.Isolation}),
 *       with a time limit, leaving a {@link io.harmonix.fleet.api.CheckRecord} that {@link
 *       io.harmonix.fleet.api.CheckHistory} keeps. Nothing ships on a missing, failed or timed-out check.</li>
 *   <li>{@link io.harmonix.fleet.api.DependencyGraph}: build levels, dependency cycles with their paths, unknown
 *       dependencies, and what a change affects (a repository and everything depending on it).</li>
 *   <li>{@link io.harmonix.fleet.api.FleetBuilds}: builds and tests repositories in dependency order as a durable
 *       workflow, retrying on the same commit to tell flaky from broken, bisecting a broken one to the commit that
 *       broke it ({@link io.harmonix.fleet.api.BuildReport}, {@link io.harmonix.fleet.api.RepositoryOutcome}), and
 *       their {@link io.harmonix.fleet.api.RepositoryHealth health}; events {@code harmonix.fleet.unhealthy} and
 *       {@code harmonix.fleet.broken}.</li>
 * </ul>
 *
 * <p>1.0.0: first version. 1.1.0: pages of the catalogue ({@code FleetCatalogue.repositories(offset, limit)},
 * {@code size()}) and the health of named repositories only ({@code FleetBuilds.health(window, names)}).
 */
@Export
@Version("1.1.0")
package io.harmonix.fleet.api;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
