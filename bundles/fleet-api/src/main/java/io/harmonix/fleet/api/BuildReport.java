package io.harmonix.fleet.api;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A fleet build, as it stands or as it ended.
 *
 * @param instance the workflow instance that runs it
 * @param state {@code running}, {@code succeeded} (every planned repository built) or {@code failed} (one failed,
 *     was blocked or was not built), or {@code cancelled}
 * @param startedAt when it started
 * @param wallTime from its start to its end (or to now while it runs)
 * @param affectedSince the {@code --affected-since} it was asked for, or null
 * @param parallel at most this many repositories built at once
 * @param levels the build levels of the repositories it builds (level 0 first)
 * @param repositories each repository it considered, by name
 * @param unknownDependencies for each repository naming dependencies the fleet does not have, those names
 */
public record BuildReport(String instance, String state, Instant startedAt, Duration wallTime, String affectedSince,
        int parallel, List<List<String>> levels, List<RepositoryOutcome> repositories,
        Map<String, List<String>> unknownDependencies) {
    public BuildReport {
        levels = levels.stream().map(List::copyOf).toList();
        repositories = List.copyOf(repositories);
        unknownDependencies = Map.copyOf(unknownDependencies);
    }

    /** @return true when it has ended */
    public boolean ended() {
        return !"running".equals(state);
    }

    /** @return true when a repository failed, was blocked or was not built */
    public boolean failed() {
        return repositories.stream().anyMatch(r -> r.outcome().unsuccessful());
    }

    /** @return how many levels have every repository ended */
    public int levelsDone() {
        int done = 0;
        for (List<String> level : levels) {
            boolean ended = level.stream().allMatch(name -> repositories.stream()
                    .filter(r -> r.name().equals(name)).allMatch(r -> r.outcome().ended()));
            if (!ended) {
                break;
            }
            done++;
        }
        return done;
    }

    /** @return the sum of the durations of every check it ran (to compare with its wall time) */
    public Duration checkTime() {
        return repositories.stream().map(RepositoryOutcome::duration).reduce(Duration.ZERO, Duration::plus);
    }
}
