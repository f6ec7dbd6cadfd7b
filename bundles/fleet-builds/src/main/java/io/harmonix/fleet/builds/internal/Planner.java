package io.harmonix.fleet.builds.internal;

import io.harmonix.fleet.api.CheckHistory;
import io.harmonix.fleet.api.DependencyGraph;
import io.harmonix.fleet.api.FleetBuilds;
import io.harmonix.fleet.api.Repository;
import io.harmonix.fleet.api.RepositoryOutcome;
import io.harmonix.fleet.api.RepositoryOutcome.Outcome;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Plans a fleet build from the catalogue: which repositories it considers (those named, or all), which of them
 * changed (with {@code --affected-since}) and what depends on them, which are blocked by a dependency cycle, which
 * cannot build (no build command, not a repository, no HEAD) and everything depending on those, and for the rest
 * the commit each builds (HEAD now, once) and its level. The graph logic is {@link DependencyGraph}'s.
 */
final class Planner {
    private final CheckHistory history;

    Planner(CheckHistory history) {
        this.history = history;
    }

    Plan plan(String key, Instant now, List<Repository> catalogue, List<String> names, String affectedSince,
            int parallel) throws IOException {
        Map<String, Repository> byName = new TreeMap<>();
        catalogue.forEach(r -> byName.put(r.name(), r));
        List<String> unknownNames = names.stream().filter(n -> !byName.containsKey(n)).distinct().toList();
        if (!unknownNames.isEmpty()) {
            throw new IllegalArgumentException("repo:build: unknown repositor" + (unknownNames.size() == 1 ? "y "
                    : "ies ") + String.join(", ", unknownNames) + "; known: "
                    + (byName.isEmpty() ? "none (repo:discover first)" : String.join(", ", byName.keySet())));
        }
        DependencyGraph graph = DependencyGraph.of(catalogue);
        TreeSet<String> considered = new TreeSet<>(names.isEmpty() ? byName.keySet() : names);
        Map<String, RepositoryOutcome> settled = new TreeMap<>();
        Map<String, String> heads = new TreeMap<>();
        for (String name : considered) {
            Repository r = byName.get(name);
            String why = r.problem() != null ? r.problem()
                    : r.buildCommand() == null || r.buildCommand().isBlank() ? "has no build command" : null;
            if (why == null) {
                try {
                    heads.put(name, Git.head(r.path()));
                } catch (IOException e) {
                    why = e.getMessage();
                }
            }
            if (why != null) {
                settled.put(name, settle(name, Outcome.NOT_BUILT, null, "not built: " + why));
            }
        }
        if (affectedSince != null) {
            List<String> changed = new ArrayList<>();
            for (String name : heads.keySet()) {
                Optional<String> why = changedSince(byName.get(name), heads.get(name), affectedSince);
                if (why.isPresent()) {
                    changed.add(name);
                }
            }
            List<String> affected = graph.affectedBy(changed);
            for (String name : heads.keySet()) {
                if (!affected.contains(name)) {
                    settled.put(name, settle(name, Outcome.SKIPPED, heads.get(name), "skipped: unchanged since "
                            + affectedSince + ", and no dependency changed"));
                }
            }
        }
        for (String name : considered) {
            String why = graph.blocked().get(name);
            if (why != null && !settled.containsKey(name)) {
                settled.put(name, settle(name, Outcome.BLOCKED, heads.get(name), "blocked: " + why));
            }
        }
        TreeSet<String> candidates = new TreeSet<>(considered);
        candidates.removeAll(settled.keySet());
        // a repository whose dependency cannot build is not built either; level order sees dependencies first
        for (List<String> level : graph.levels(candidates)) {
            for (String name : level) {
                for (String dependency : graph.dependenciesOf(name)) {
                    RepositoryOutcome d = settled.get(dependency);
                    if (d != null && d.outcome().unsuccessful() && !settled.containsKey(name)) {
                        settled.put(name, settle(name, Outcome.NOT_BUILT, heads.get(name), "not built: depends on "
                                + dependency + ", which " + (d.outcome() == Outcome.BLOCKED ? "is blocked"
                                        : "is not built")));
                    }
                }
            }
        }
        candidates.removeAll(settled.keySet());
        List<List<String>> levels = graph.levels(candidates);
        Map<String, RepositoryBuilder.Job> jobs = new LinkedHashMap<>();
        Map<String, String> tasks = new LinkedHashMap<>();
        Map<String, List<String>> dependencies = new LinkedHashMap<>();
        int index = 0;
        for (List<String> level : levels) {
            for (String name : level) {
                Repository r = byName.get(name);
                jobs.put(name, new RepositoryBuilder.Job(key, name, r.path(), heads.get(name), r.buildCommand(),
                        r.testCommand() == null || r.testCommand().isBlank() ? null : r.testCommand()));
                tasks.put(name, "r" + index++ + "_" + name.replaceAll("[^A-Za-z0-9]", "_"));
                dependencies.put(name, graph.dependenciesOf(name).stream().filter(candidates::contains).toList());
            }
        }
        Map<String, List<String>> unknown = new TreeMap<>(graph.unknownDependencies());
        unknown.keySet().retainAll(considered);
        return new Plan(key, now, affectedSince, parallel, levels, jobs, tasks, dependencies,
                new ArrayList<>(settled.values()), unknown);
    }

    /** @return why the repository counts as changed since the ref, or empty when it does not */
    private Optional<String> changedSince(Repository r, String head, String since) throws IOException {
        Optional<String> from = FleetBuilds.LAST_GREEN.equals(since)
                ? Bisection.lastGreen(history, r.name(), r.path(), r.testCommand() != null
                        && !r.testCommand().isBlank(), null)
                : Git.resolve(r.path(), since);
        if (from.isEmpty()) {
            return Optional.of(FleetBuilds.LAST_GREEN.equals(since) ? "no green build yet" : since + " not found");
        }
        if (FleetBuilds.LAST_GREEN.equals(since)) {
            // a commit that did not build green yet is built, even one whose tree a green commit had (a revert)
            return from.get().equals(head) ? Optional.empty() : Optional.of("HEAD is not its last green commit");
        }
        return Git.differ(r.path(), from.get(), head) ? Optional.of("changed since " + from.get())
                : Optional.empty();
    }

    private static RepositoryOutcome settle(String name, Outcome outcome, String commit, String reason) {
        return new RepositoryOutcome(name, outcome, commit, reason, List.of(), null, false, null);
    }
}
