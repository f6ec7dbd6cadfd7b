package io.harmonix.fleet.api;

import java.time.Instant;
import java.util.List;

/**
 * What one discovery found.
 *
 * @param finishedAt when it ended
 * @param repositories every repository of the catalogue after it, by name (those with a problem included)
 * @param added names new since the previous discovery
 * @param vanished names the previous discovery had that are gone or no longer open (kept, with their problem)
 * @param problems what was wrong with the manifest or a repository: each names the file, line and column, or the
 *     path, and what was expected
 */
public record DiscoveryReport(Instant finishedAt, List<Repository> repositories, List<String> added,
        List<String> vanished, List<String> problems) {
    public DiscoveryReport {
        repositories = List.copyOf(repositories);
        added = List.copyOf(added);
        vanished = List.copyOf(vanished);
        problems = List.copyOf(problems);
    }
}
