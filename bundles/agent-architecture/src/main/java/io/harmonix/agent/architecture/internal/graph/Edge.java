package io.harmonix.agent.architecture.internal.graph;

/** A dependency between two nodes (packages or modules) of the graph: {@code from} uses {@code to}. */
public record Edge(String from, String to) implements Comparable<Edge> {
    @Override
    public int compareTo(Edge o) {
        int c = from.compareTo(o.from);
        return c != 0 ? c : to.compareTo(o.to);
    }

    @Override
    public String toString() {
        return from + " -> " + to;
    }
}
