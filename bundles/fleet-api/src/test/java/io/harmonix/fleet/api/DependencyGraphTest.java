package io.harmonix.fleet.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

class DependencyGraphTest {

    private static Repository repo(String name, String... dependencies) {
        return new Repository(name, "/fleet/" + name, "unknown", null, null, Arrays.asList(dependencies), List.of(),
                "manifest", null);
    }

    @Test
    void repositoriesBuildLevelByLevelAfterWhatTheyDependOn() {
        DependencyGraph graph = DependencyGraph.of(List.of(repo("app", "lib", "util"), repo("lib", "util"),
                repo("util"), repo("tool"), repo("web", "lib")));

        assertEquals(List.of(List.of("tool", "util"), List.of("lib"), List.of("app", "web")), graph.levels());
        assertEquals(List.of("lib", "util"), graph.dependenciesOf("app"));
        assertTrue(graph.cycles().isEmpty());
        assertTrue(graph.blocked().isEmpty());
    }

    @Test
    void inferredDependenciesCountLikeDeclaredOnes() {
        Repository app = new Repository("app", "/fleet/app", "java", null, null, List.of(), List.of("lib"),
                "discovered", null);
        DependencyGraph graph = DependencyGraph.of(List.of(app, repo("lib")));

        assertEquals(List.of(List.of("lib"), List.of("app")), graph.levels());
    }

    @Test
    void levelsOfSomeRepositoriesTakeTheOthersAsBuilt() {
        DependencyGraph graph = DependencyGraph.of(List.of(repo("app", "lib"), repo("lib", "util"), repo("util")));

        assertEquals(List.of(List.of("app")), graph.levels(List.of("app")));
        assertEquals(List.of(List.of("lib"), List.of("app")), graph.levels(List.of("app", "lib", "nope")));
    }

    @Test
    void aChangeAffectsTheRepositoryAndEverythingThatDependsOnItDirectlyOrNot() {
        DependencyGraph graph = DependencyGraph.of(List.of(repo("app", "lib"), repo("lib", "util"), repo("util"),
                repo("tool"), repo("web", "lib")));

        assertEquals(List.of("app", "lib", "util", "web"), graph.affectedBy(List.of("util")));
        assertEquals(List.of("app"), graph.affectedBy(List.of("app")));
        assertEquals(List.of(), graph.affectedBy(List.of("gone")));
    }

    @Test
    void aCycleIsReportedWithItsPathAndBlocksItsMembersAndTheirDependents() {
        DependencyGraph graph = DependencyGraph.of(List.of(repo("a", "b"), repo("b", "c"), repo("c", "a"),
                repo("d", "c"), repo("e", "d"), repo("f")));

        assertEquals(List.of(List.of("a", "b", "c", "a")), graph.cycles());
        assertEquals(List.of("a", "b", "c", "d", "e"), List.copyOf(graph.blocked().keySet()));
        assertEquals("in the dependency cycle a -> b -> c -> a", graph.blocked().get("b"));
        assertTrue(graph.blocked().get("d").startsWith("depends on c, which cannot build"), graph.blocked().get("d"));
        assertTrue(graph.blocked().get("e").startsWith("depends on d"), graph.blocked().get("e"));
        assertEquals(List.of(List.of("f")), graph.levels());
    }

    @Test
    void aRepositoryDependingOnItselfIsACycleOfOne() {
        DependencyGraph graph = DependencyGraph.of(List.of(repo("a", "a"), repo("b")));

        assertEquals(List.of(List.of("a", "a")), graph.cycles());
        assertEquals(List.of(List.of("b")), graph.levels());
    }

    @Test
    void twoSeparateCyclesAreTwoReports() {
        DependencyGraph graph = DependencyGraph.of(List.of(repo("a", "b"), repo("b", "a"), repo("x", "y"),
                repo("y", "x")));

        assertEquals(List.of(List.of("a", "b", "a"), List.of("x", "y", "x")), graph.cycles());
        assertEquals(List.of(), graph.levels());
    }

    @Test
    void unknownDependenciesAreReportedAndLeftOutOfTheOrder() {
        DependencyGraph graph = DependencyGraph.of(List.of(repo("app", "lib", "ghost"), repo("lib")));

        assertEquals(Map.of("app", List.of("ghost")), graph.unknownDependencies());
        assertEquals(List.of(List.of("lib"), List.of("app")), graph.levels());
        assertEquals(List.of(List.of("app", "lib")), graph.edges());
    }
}
