package io.harmonix.fleet.api;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Builds and tests repositories of the fleet in dependency order, as a workflow the workflow engine runs (durable,
 * resumable after a crash, shown by {@code wf:instance} and {@code wf:graph}), retrying failures on the same commit
 * to tell flaky from broken, locating the commit that broke a broken repository, and keeping its health.
 */
@ProviderType
public interface FleetBuilds {
    /** Event type published when a repository fails {@code failureThreshold} checks in a row (once per streak). */
    String UNHEALTHY_EVENT = "harmonix.fleet.unhealthy";
    /** Event type published when a broken build was located to the commit that broke it. */
    String BROKEN_EVENT = "harmonix.fleet.broken";
    /** {@code --affected-since} value that means each repository's last commit whose build and tests passed. */
    String LAST_GREEN = "last-green";

    /**
     * Plans a build and starts its workflow.
     *
     * @param names the repositories to build; empty for every repository of the catalogue
     * @param affectedSince null; a git ref (resolved in each repository; one without it counts as changed); or
     *     {@link #LAST_GREEN}: only the changed repositories and everything depending on them are built
     * @param parallel at most this many repositories build at once; 0 or less for the configured {@code maxParallel}
     * @param progress told of every change of the report while it runs (on the engine's threads), or null
     * @return the report as the build starts: its instance, levels, planned, blocked and skipped repositories
     * @throws IllegalArgumentException for an unknown repository name (the message lists the known ones)
     */
    BuildReport build(List<String> names, String affectedSince, int parallel, Consumer<BuildReport> progress);

    /** @return the report of a fleet build (running or ended), by its workflow instance id */
    Optional<BuildReport> report(String instanceId);

    /** Waits at most {@code timeout} for the build to end. @return its report then */
    BuildReport await(String instanceId, Duration timeout) throws InterruptedException;

    /** @return the health of every repository of the catalogue over the window, by name */
    List<RepositoryHealth> health(Duration window);

    /**
     * The health of the named repositories only (a console page's): each one's checks are read, no other's. The
     * default filters {@link #health(Duration)}, for providers where that is cheap.
     *
     * @param names repositories of the catalogue; a name it does not hold is left out
     * @return their health over the window (the configured one for null), by name
     * @since 1.1
     */
    default List<RepositoryHealth> health(Duration window, java.util.Collection<String> names) {
        java.util.Set<String> wanted = java.util.Set.copyOf(names);
        return health(window).stream().filter(h -> wanted.contains(h.name())).toList();
    }
}
