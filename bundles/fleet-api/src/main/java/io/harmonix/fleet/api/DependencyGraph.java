package io.harmonix.fleet.api;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import org.jgrapht.Graph;
import org.jgrapht.Graphs;
import org.jgrapht.alg.connectivity.KosarajuStrongConnectivityInspector;
import org.jgrapht.graph.DefaultDirectedGraph;
import org.jgrapht.graph.DefaultEdge;
import org.jgrapht.traverse.BreadthFirstIterator;
import org.jgrapht.graph.EdgeReversedGraph;

/**
 * The fleet's dependency graph: which repository needs which, in what order they build, which cannot build because
 * of a cycle, and which a change affects. Edges point from a repository to what it depends on. Every list it returns
 * is sorted by name so that the same fleet always gives the same plan.
 */
public final class DependencyGraph {
    private final Graph<String, DefaultEdge> graph = new DefaultDirectedGraph<>(DefaultEdge.class);
    private final Map<String, List<String>> unknown = new TreeMap<>();
    private final List<List<String>> cycles = new ArrayList<>();
    private final Map<String, String> blocked = new TreeMap<>();

    private DependencyGraph(Collection<Repository> repositories) {
        repositories.forEach(r -> graph.addVertex(r.name()));
        for (Repository repository : repositories) {
            for (String dependency : repository.dependencies()) {
                if (graph.containsVertex(dependency)) {
                    graph.addEdge(repository.name(), dependency);
                } else {
                    unknown.computeIfAbsent(repository.name(), k -> new ArrayList<>()).add(dependency);
                }
            }
        }
        findCycles();
    }

    /** @return the graph of these repositories' dependencies (declared and inferred) */
    public static DependencyGraph of(Collection<Repository> repositories) {
        return new DependencyGraph(repositories);
    }

    /** @return every repository, by name */
    public List<String> names() {
        return sorted(graph.vertexSet());
    }

    /** @return the repositories {@code name} depends on directly (known ones), by name */
    public List<String> dependenciesOf(String name) {
        return sorted(Graphs.successorListOf(graph, name));
    }

    /** @return for each repository naming dependencies the fleet does not have, those names (left out of the graph) */
    public Map<String, List<String>> unknownDependencies() {
        return Collections.unmodifiableMap(unknown);
    }

    /**
     * @return one cycle per group of repositories that depend on each other, as a path that starts and ends with the
     *     same repository ({@code [a, b, a]}; a repository that depends on itself gives {@code [a, a]})
     */
    public List<List<String>> cycles() {
        return Collections.unmodifiableList(cycles);
    }

    /**
     * @return the repositories that cannot build: those in a cycle, and those depending on one, each with why (the
     *     cycle's path, or the dependency that is blocked)
     */
    public Map<String, String> blocked() {
        return Collections.unmodifiableMap(blocked);
    }

    /** @return the build levels of every repository that is not blocked (see {@link #levels(Collection)}) */
    public List<List<String>> levels() {
        return levels(graph.vertexSet());
    }

    /**
     * Build levels of some repositories: level 0 depends on none of them, level N only on repositories of lower
     * levels; repositories of one level may build at the same time. Dependencies outside {@code names} are taken as
     * built already. Blocked and unknown names are left out.
     */
    public List<List<String>> levels(Collection<String> names) {
        Set<String> wanted = new TreeSet<>(names);
        wanted.retainAll(graph.vertexSet());
        wanted.removeAll(blocked.keySet());
        Map<String, Integer> level = new HashMap<>();
        List<List<String>> levels = new ArrayList<>();
        for (String name : wanted) {
            int l = levelOf(name, wanted, level);
            while (levels.size() <= l) {
                levels.add(new ArrayList<>());
            }
            levels.get(l).add(name);
        }
        levels.forEach(Collections::sort);
        return levels;
    }

    /**
     * @return the repositories a change of {@code changed} affects: those (known) names and every repository that
     *     depends on one of them, directly or not, by name
     */
    public List<String> affectedBy(Collection<String> changed) {
        Graph<String, DefaultEdge> dependents = new EdgeReversedGraph<>(graph);
        Set<String> affected = new TreeSet<>();
        for (String name : changed) {
            if (graph.containsVertex(name)) {
                new BreadthFirstIterator<>(dependents, name).forEachRemaining(affected::add);
            }
        }
        return new ArrayList<>(affected);
    }

    /** @return every edge as {@code [from, to]}: {@code from} depends on {@code to}; by name */
    public List<List<String>> edges() {
        List<List<String>> edges = new ArrayList<>();
        for (DefaultEdge edge : graph.edgeSet()) {
            edges.add(List.of(graph.getEdgeSource(edge), graph.getEdgeTarget(edge)));
        }
        edges.sort((a, b) -> a.get(0).equals(b.get(0)) ? a.get(1).compareTo(b.get(1)) : a.get(0).compareTo(b.get(0)));
        return edges;
    }

    // The longest chain of dependencies below a repository; the graph restricted to `wanted` has no cycle.
    private int levelOf(String name, Set<String> wanted, Map<String, Integer> level) {
        Integer known = level.get(name);
        if (known != null) {
            return known;
        }
        int l = 0;
        for (String dependency : Graphs.successorListOf(graph, name)) {
            if (wanted.contains(dependency)) {
                l = Math.max(l, levelOf(dependency, wanted, level) + 1);
            }
        }
        level.put(name, l);
        return l;
    }

    private void findCycles() {
        List<Set<String>> components = new KosarajuStrongConnectivityInspector<>(graph).stronglyConnectedSets();
        Map<String, String> inCycle = new LinkedHashMap<>();
        List<Set<String>> cyclic = new ArrayList<>();
        for (Set<String> component : components) {
            String first = component.stream().sorted().findFirst().orElseThrow();
            if (component.size() > 1 || graph.containsEdge(first, first)) {
                cyclic.add(component);
            }
        }
        cyclic.sort((a, b) -> first(a).compareTo(first(b)));
        for (Set<String> component : cyclic) {
            List<String> path = cycleThrough(first(component), component);
            cycles.add(List.copyOf(path));
            String why = "in the dependency cycle " + String.join(" -> ", path);
            component.forEach(name -> inCycle.put(name, why));
        }
        blocked.putAll(inCycle);
        // Everything depending on a repository in a cycle cannot build either: say which dependency stops it.
        Graph<String, DefaultEdge> dependents = new EdgeReversedGraph<>(graph);
        Deque<String> queue = new ArrayDeque<>(sorted(inCycle.keySet()));
        while (!queue.isEmpty()) {
            String name = queue.removeFirst();
            for (String dependent : sorted(Graphs.successorListOf(dependents, name))) {
                if (!blocked.containsKey(dependent)) {
                    blocked.put(dependent, "depends on " + name + ", which cannot build (" + blocked.get(name) + ")");
                    queue.addLast(dependent);
                }
            }
        }
    }

    // The shortest way from `start` back to itself inside its component (breadth first, names in order).
    private List<String> cycleThrough(String start, Set<String> component) {
        if (graph.containsEdge(start, start)) {
            return List.of(start, start);
        }
        Map<String, String> cameFrom = new HashMap<>();
        Deque<String> queue = new ArrayDeque<>(List.of(start));
        while (!queue.isEmpty()) {
            String name = queue.removeFirst();
            for (String next : sorted(Graphs.successorListOf(graph, name))) {
                if (!component.contains(next)) {
                    continue;
                }
                if (next.equals(start)) {
                    List<String> path = new ArrayList<>(List.of(start));
                    for (String at = name; !at.equals(start); at = cameFrom.get(at)) {
                        path.add(1, at);
                    }
                    path.add(start);
                    return path;
                }
                if (!cameFrom.containsKey(next)) {
                    cameFrom.put(next, name);
                    queue.addLast(next);
                }
            }
        }
        throw new IllegalStateException("no cycle through " + start); // a strongly connected component has one
    }

    private static String first(Set<String> names) {
        return names.stream().sorted().findFirst().orElseThrow();
    }

    private static List<String> sorted(Collection<String> names) {
        List<String> list = new ArrayList<>(new TreeSet<>(names));
        return list;
    }
}
