package io.harmonix.fleet.builds.internal;

import io.harmonix.fleet.api.RepositoryOutcome;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A fleet build as planned when it started, kept (in Derby) for its report: what it builds and from which commits,
 * and what it settled without building.
 *
 * @param key the build's key (the workflow instance's input {@code build})
 * @param startedAt when it was planned
 * @param affectedSince the ref it was asked for, or null
 * @param parallel at most this many at once
 * @param levels the build levels of the repositories it builds
 * @param jobs what each repository it builds runs: its path, the commit resolved once, its commands
 * @param tasks the workflow task of each repository it builds
 * @param dependencies of each repository it builds, those it builds too (its task's depends_on)
 * @param settled the repositories it considered but does not build (blocked, not built, skipped), with why
 * @param unknown dependencies the fleet does not have, per repository
 */
record Plan(String key, Instant startedAt, String affectedSince, int parallel, List<List<String>> levels,
        Map<String, RepositoryBuilder.Job> jobs, Map<String, String> tasks, Map<String, List<String>> dependencies,
        List<RepositoryOutcome> settled, Map<String, List<String>> unknown) {
    Plan {
        levels = levels.stream().map(List::copyOf).toList();
        jobs = Map.copyOf(jobs);
        tasks = Map.copyOf(tasks);
        dependencies = Map.copyOf(dependencies);
        settled = List.copyOf(settled);
        unknown = Map.copyOf(unknown);
    }

    /** @return the repository whose task this is */
    String repositoryOf(String taskId) {
        return tasks.entrySet().stream().filter(e -> e.getValue().equals(taskId)).map(Map.Entry::getKey)
                .findFirst().orElseThrow(() -> new IllegalStateException("fleet build " + key + " has no task "
                        + taskId));
    }

    /** @return the repositories it builds, level by level */
    List<String> built() {
        return levels.stream().flatMap(List::stream).toList();
    }
}
