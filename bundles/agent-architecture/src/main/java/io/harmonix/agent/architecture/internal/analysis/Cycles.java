package io.harmonix.agent.architecture.internal.analysis;

import io.harmonix.agent.architecture.internal.graph.Edge;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.jgrapht.Graph;
import org.jgrapht.alg.connectivity.KosarajuStrongConnectivityInspector;
import org.jgrapht.alg.cycle.CycleDetector;
import org.jgrapht.graph.DefaultEdge;
import org.jgrapht.graph.DefaultDirectedGraph;

/**
 * Dependency cycles: the strongly connected components of a graph with more than one node, each with a set of
 * edges whose removal breaks every cycle in it at a low total cost (the number of references of the edges).
 *
 * <p>The minimum feedback arc set is NP-hard. A component of at most {@value #EXACT_LIMIT} edges (the usual case)
 * gets the exact minimum, by trying the subsets of its edges; a larger one a greedy approximation: while it still
 * has a cycle, remove its cheapest edge that lies on one (ties by name, so the answer is stable); then put back
 * every removed edge that does not close a cycle again, most expensive first, so that no edge is cut needlessly.
 */
public final class Cycles {
    /** Components with at most this many edges get the exact minimum cut (2^n subsets tried). */
    static final int EXACT_LIMIT = 14;
    /**
     * One cycle (strongly connected component).
     *
     * @param members its nodes, sorted
     * @param edges its edges with their costs
     * @param cut the edges to cut, cheapest first
     */
    public record Cycle(List<String> members, Map<Edge, Integer> edges, List<Edge> cut) {
        /** @return a key that names the cycle whatever the order its members were found in */
        public String key() {
            return String.join(",", members);
        }

        /** @return the total cost of the cut: references to change */
        public int cutCost() {
            return cut.stream().mapToInt(edges::get).sum();
        }
    }

    private Cycles() {
    }

    /** @return the cycles of the graph whose edges (with their costs) are {@code costs}, by first member */
    public static List<Cycle> find(Map<Edge, Integer> costs) {
        Graph<String, DefaultEdge> g = graph(costs.keySet());
        List<Cycle> out = new ArrayList<>();
        for (Set<String> scc : new KosarajuStrongConnectivityInspector<>(g).stronglyConnectedSets()) {
            if (scc.size() < 2) {
                continue; // a package cannot depend on itself: edges join different nodes
            }
            Map<Edge, Integer> inside = new java.util.TreeMap<>();
            costs.forEach((e, c) -> {
                if (scc.contains(e.from()) && scc.contains(e.to())) {
                    inside.put(e, c);
                }
            });
            out.add(new Cycle(List.copyOf(new TreeSet<>(scc)), inside, cut(inside)));
        }
        out.sort(Comparator.comparing(c -> c.members().get(0)));
        return out;
    }

    static List<Edge> cut(Map<Edge, Integer> edges) {
        return edges.size() <= EXACT_LIMIT ? exact(edges) : greedy(edges);
    }

    /** The cheapest set of edges whose removal leaves no cycle; among equals, the one with the earliest names. */
    static List<Edge> exact(Map<Edge, Integer> edges) {
        List<Edge> all = new ArrayList<>(new TreeSet<>(edges.keySet()));
        int best = -1;
        int bestCost = Integer.MAX_VALUE;
        for (int mask = 1; mask < 1 << all.size(); mask++) {
            int cost = 0;
            Set<Edge> kept = new TreeSet<>();
            for (int i = 0; i < all.size(); i++) {
                if ((mask & 1 << i) != 0) {
                    cost += edges.get(all.get(i));
                } else {
                    kept.add(all.get(i));
                }
            }
            if (cost < bestCost && !new CycleDetector<>(graph(kept)).detectCycles()) {
                best = mask;
                bestCost = cost;
            }
        }
        List<Edge> cut = new ArrayList<>();
        for (int i = 0; i < all.size(); i++) {
            if ((best & 1 << i) != 0) {
                cut.add(all.get(i));
            }
        }
        cut.sort(Comparator.<Edge>comparingInt(edges::get).thenComparing(Comparator.naturalOrder()));
        return List.copyOf(cut);
    }

    static List<Edge> greedy(Map<Edge, Integer> edges) {
        Comparator<Edge> cheapest = Comparator.<Edge>comparingInt(edges::get).thenComparing(Comparator.naturalOrder());
        Set<Edge> kept = new TreeSet<>(edges.keySet());
        List<Edge> removed = new ArrayList<>();
        while (true) {
            Graph<String, DefaultEdge> g = graph(kept);
            List<Edge> onCycle = new ArrayList<>();
            for (Set<String> scc : new KosarajuStrongConnectivityInspector<>(g).stronglyConnectedSets()) {
                for (Edge e : kept) {
                    if (scc.size() > 1 && scc.contains(e.from()) && scc.contains(e.to())) {
                        onCycle.add(e);
                    }
                }
            }
            if (onCycle.isEmpty()) {
                break;
            }
            Edge e = onCycle.stream().min(cheapest).orElseThrow();
            kept.remove(e);
            removed.add(e);
        }
        removed.sort(cheapest.reversed());
        for (Edge e : List.copyOf(removed)) {
            kept.add(e);
            if (new CycleDetector<>(graph(kept)).detectCycles()) {
                kept.remove(e);
            } else {
                removed.remove(e);
            }
        }
        removed.sort(cheapest);
        return List.copyOf(removed);
    }

    private static Graph<String, DefaultEdge> graph(Set<Edge> edges) {
        Graph<String, DefaultEdge> g = new DefaultDirectedGraph<>(DefaultEdge.class);
        for (Edge e : edges) {
            g.addVertex(e.from());
            g.addVertex(e.to());
            g.addEdge(e.from(), e.to());
        }
        return g;
    }
}
