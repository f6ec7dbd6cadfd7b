package io.harmonix.agent.architecture.internal.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.harmonix.agent.architecture.internal.analysis.Metrics.Row;
import io.harmonix.agent.architecture.internal.graph.CodeGraph;
import io.harmonix.agent.architecture.internal.graph.Module;
import io.harmonix.agent.architecture.internal.graph.Reference;
import io.harmonix.agent.architecture.internal.graph.TypeInfo;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Martin's metrics on a graph small enough to count by hand:
 *
 * <pre>
 * module m1: package a { A1 (interface), A2 }     module m2: package b { B1, B2 (abstract), B3 }
 *                                                                package c { C1 }
 * B1 -> A1, B2 -> A1, B1 -> A2 (B1 counted once), A2 -> C1, C1 -> B3, A2 -> A1 (inside a: not coupling)
 * </pre>
 *
 * a: Ca = {B1, B2} = 2, Ce = {A2} = 1, I = 1/3, A = 1/2, D = |1/2 + 1/3 - 1| = 1/6.
 * b: Ca = {C1} = 1, Ce = {B1, B2} = 2, I = 2/3, A = 1/3, D = 0.
 * c: Ca = {A2} = 1, Ce = {C1} = 1, I = 1/2, A = 0, D = 1/2.
 * m1 (a): Ca = {B1, B2, C1? no: C1 uses b, in m2} = {B1, B2} = 2, Ce = {A2} = 1, I = 1/3.
 * m2 (b, c): Ca = {A2} = 1, Ce = {B1, B2} = 2 (C1 -> B3 stays inside m2), I = 2/3, A = 1/4, D = |1/4 + 2/3 - 1| = 1/12.
 */
class MetricsTest {
    private static final double EPS = 1e-9;

    @Test
    void packageMetricsMatchTheHandCount() {
        Map<String, Row> rows = Metrics.packages(graph());
        check(rows.get("a"), 2, 1, 2, 1, 1.0 / 3, 0.5, 1.0 / 6);
        check(rows.get("b"), 3, 1, 1, 2, 2.0 / 3, 1.0 / 3, 0);
        check(rows.get("c"), 1, 0, 1, 1, 0.5, 0, 0.5);
    }

    @Test
    void moduleMetricsMatchTheHandCount() {
        Map<String, Row> rows = Metrics.modules(graph());
        assertEquals(Set.of("m1", "m2"), rows.keySet());
        check(rows.get("m1"), 2, 1, 2, 1, 1.0 / 3, 0.5, 1.0 / 6);
        check(rows.get("m2"), 4, 1, 1, 2, 2.0 / 3, 0.25, 1.0 / 12);
    }

    @Test
    void aUnitNothingCouplesIsStableByConvention() {
        Row alone = Metrics.row("x", 4, 4, 0, 0);
        assertEquals(0, alone.instability(), EPS);
        assertEquals(0, alone.distance(), EPS, "all abstract and stable: on the main sequence");
        assertEquals(1, Metrics.row("y", 2, 0, 3, 0).distance(), EPS, "concrete and only depended upon");
    }

    private static void check(Row r, int types, int abstractTypes, int ca, int ce, double i, double a, double d) {
        assertEquals(types, r.types(), r.name() + " types");
        assertEquals(abstractTypes, r.abstractTypes(), r.name() + " abstract");
        assertEquals(ca, r.ca(), r.name() + " Ca");
        assertEquals(ce, r.ce(), r.name() + " Ce");
        assertEquals(i, r.instability(), EPS, r.name() + " I");
        assertEquals(a, r.abstractness(), EPS, r.name() + " A");
        assertEquals(d, r.distance(), EPS, r.name() + " D");
    }

    static CodeGraph graph() {
        CodeGraph g = new CodeGraph();
        g.addModule(new Module("m1", "m1", false, Set.of(), null, List.of()));
        g.addModule(new Module("m2", "m2", false, Set.of(), null, List.of()));
        type(g, "a.A1", "m1", true);
        type(g, "a.A2", "m1", false);
        type(g, "b.B1", "m2", false);
        type(g, "b.B2", "m2", true);
        type(g, "b.B3", "m2", false);
        type(g, "c.C1", "m2", false);
        ref(g, "b.B1", "a.A1");
        ref(g, "b.B2", "a.A1");
        ref(g, "b.B1", "a.A2");
        ref(g, "a.A2", "c.C1");
        ref(g, "c.C1", "b.B3");
        ref(g, "a.A2", "a.A1");
        return g;
    }

    private static void type(CodeGraph g, String name, String module, boolean abstractType) {
        g.addType(new TypeInfo(name, pkg(name), module, name.replace('.', '/') + ".java", 1, abstractType));
    }

    private static void ref(CodeGraph g, String from, String to) {
        g.addReference(new Reference(from, pkg(from), to, pkg(to), from.replace('.', '/') + ".java", 3));
    }

    private static String pkg(String type) {
        return type.substring(0, type.lastIndexOf('.'));
    }
}
