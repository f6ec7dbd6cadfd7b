package io.harmonix.agent.architecture.internal.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.harmonix.agent.architecture.internal.analysis.Cycles.Cycle;
import io.harmonix.agent.architecture.internal.graph.Edge;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CyclesTest {
    @Test
    void anAcyclicGraphHasNoCycle() {
        assertEquals(List.of(), Cycles.find(costs("a>b:1", "b>c:1", "a>c:5")));
    }

    @Test
    void eachStronglyConnectedComponentIsOneCycleCutAtItsCheapestEdge() {
        List<Cycle> cycles = Cycles.find(costs("a>b:4", "b>a:1", "c>d:2", "d>e:3", "e>c:7", "b>c:1"));
        assertEquals(2, cycles.size());
        assertEquals(List.of("a", "b"), cycles.get(0).members());
        assertEquals(List.of(new Edge("b", "a")), cycles.get(0).cut());
        assertEquals(List.of("c", "d", "e"), cycles.get(1).members());
        assertEquals(List.of(new Edge("c", "d")), cycles.get(1).cut());
        assertEquals(2, cycles.get(1).cutCost());
        assertEquals("c,d,e", cycles.get(1).key());
    }

    @Test
    void twoCyclesSharingAnEdgeAreBrokenByThatEdgeWhenItIsCheaperThanTheirOwn() {
        // a -> b -> a and a -> b -> c -> a share a -> b (3); their other edges cost 2 each: cutting both costs 4
        List<Cycle> cycles = Cycles.find(costs("a>b:3", "b>a:2", "b>c:2", "c>a:2"));
        assertEquals(List.of(new Edge("a", "b")), cycles.get(0).cut());
    }

    @Test
    void theGreedyCutOfALargeComponentBreaksEveryCycleAndCutsNoEdgeNeedlessly() {
        // a ring of 16 packages (each edge 5 references) with a cheap back edge between each neighbour pair
        Map<Edge, Integer> edges = new LinkedHashMap<>();
        for (int i = 0; i < 16; i++) {
            String from = "p" + (char) ('a' + i);
            String to = "p" + (char) ('a' + (i + 1) % 16);
            edges.put(new Edge(from, to), 5);
            if (i % 2 == 0) {
                edges.put(new Edge(to, from), 1);
            }
        }
        assertEquals(true, edges.size() > Cycles.EXACT_LIMIT, "large enough for the greedy cut");
        List<Edge> cut = Cycles.find(edges).get(0).cut();
        Map<Edge, Integer> left = new LinkedHashMap<>(edges);
        cut.forEach(left::remove);
        assertEquals(List.of(), Cycles.find(left), "the cut breaks every cycle");
        for (Edge e : cut) {
            Map<Edge, Integer> back = new LinkedHashMap<>(left);
            back.put(e, edges.get(e));
            assertEquals(1, Cycles.find(back).size(), "putting back " + e + " closes a cycle: it was needed");
        }
        // greedy takes the 8 back edges, then pa -> pb for the ring; pb -> pa is then put back: pa -> pb is cut
        assertEquals(7 + 5, cut.stream().mapToInt(edges::get).sum(), "7 back edges and one ring edge");
    }

    private static Map<Edge, Integer> costs(String... edges) {
        Map<Edge, Integer> out = new LinkedHashMap<>();
        for (String e : edges) {
            String[] ft = e.split("[>:]");
            out.put(new Edge(ft[0], ft[1]), Integer.parseInt(ft[2]));
        }
        return out;
    }
}
