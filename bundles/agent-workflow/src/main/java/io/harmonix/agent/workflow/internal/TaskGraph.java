package io.harmonix.agent.workflow.internal;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The task graph of a definition: each task to the tasks it depends on. Small on purpose: a workflow has tens of
 * tasks, and the two questions asked of it (is an edge implied by the others: the transitive reduction of a DAG;
 * what a task still waits for without one of its edges) are a reachability search each, so a graph library
 * (JGraphT and its two dependencies) would add three bundles for forty lines. A cycle (an invalid definition) does
 * not loop: the searches keep a visited set.
 */
final class TaskGraph {
    private final Map<String, List<String>> deps;

    TaskGraph(Map<String, List<String>> deps) {
        this.deps = Map.copyOf(deps);
    }

    static TaskGraph of(WorkflowYaml definition) {
        Map<String, List<String>> deps = new HashMap<>();
        definition.tasks().forEach((id, t) -> deps.put(id, t.depIds()));
        return new TaskGraph(deps);
    }

    /** @return the direct dependencies of {@code task} */
    List<String> deps(String task) {
        return deps.getOrDefault(task, List.of());
    }

    /** @return every task {@code task} waits for, directly or not, through {@code through} (its dependencies) */
    Set<String> upstream(List<String> through) {
        Set<String> seen = new LinkedHashSet<>();
        Deque<String> todo = new ArrayDeque<>(through);
        while (!todo.isEmpty()) {
            String t = todo.pop();
            if (seen.add(t)) {
                todo.addAll(deps(t));
            }
        }
        return seen;
    }

    /**
     * Whether the edge {@code task -> dep} is redundant: {@code dep} is waited for anyway through another dependency.
     *
     * @return the path that makes it redundant ({@code task, b, ..., dep}), or empty when the edge is needed
     */
    Optional<List<String>> redundancy(String task, String dep) {
        for (String other : deps(task)) {
            if (!other.equals(dep)) {
                Optional<List<String>> path = path(other, dep);
                if (path.isPresent()) {
                    List<String> full = new ArrayList<>(List.of(task));
                    full.addAll(path.get());
                    return Optional.of(full);
                }
            }
        }
        return Optional.empty();
    }

    /** @return a path of dependencies from {@code from} to {@code to} (both included), or empty */
    Optional<List<String>> path(String from, String to) {
        Map<String, String> cameFrom = new HashMap<>();
        Deque<String> todo = new ArrayDeque<>(List.of(from));
        cameFrom.put(from, from);
        while (!todo.isEmpty()) {
            String t = todo.pop();
            if (t.equals(to)) {
                List<String> path = new ArrayList<>();
                for (String at = to; ; at = cameFrom.get(at)) {
                    path.add(0, at);
                    if (at.equals(from)) {
                        return Optional.of(path);
                    }
                }
            }
            for (String d : deps(t)) {
                if (cameFrom.putIfAbsent(d, t) == null) {
                    todo.add(d);
                }
            }
        }
        return Optional.empty();
    }

    /**
     * The dependencies {@code task} would need without its edge to {@code dep}, keeping every task it reads waited
     * for: its other dependencies, plus the tasks it reads that only {@code dep} made it wait for (the nearest
     * ones: a read task already upstream of another added one is not added).
     */
    List<String> depsWithout(String task, String dep, Set<String> reads) {
        List<String> kept = new ArrayList<>(deps(task));
        kept.remove(dep);
        Set<String> still = upstream(kept);
        List<String> lost = reads.stream().filter(r -> !still.contains(r) && upstream(List.of(dep)).contains(r))
                .toList();
        for (String r : lost) {
            boolean implied = lost.stream().anyMatch(o -> !o.equals(r) && upstream(deps(o)).contains(r));
            if (!implied) {
                kept.add(r);
            }
        }
        return kept;
    }
}
