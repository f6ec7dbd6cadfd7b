package io.harmonix.fleet.builds.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.harmonix.fleet.api.Repository;
import io.harmonix.fleet.api.RepositoryOutcome;
import io.harmonix.fleet.api.RepositoryOutcome.Outcome;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Plans over real repositories: what builds, in which level, from which commit, and what is settled and why. */
class PlannerTest {
    @TempDir
    Path dir;
    private GitRepos repos;
    private final List<Repository> catalogue = new ArrayList<>();

    @BeforeEach
    void fleet() {
        repos = new GitRepos(dir);
    }

    @Test
    void levelsCommitsAndTasksFollowTheDependencies() throws Exception {
        add("core", "sh build.sh");
        add("api", "sh build.sh", "core");
        add("app", "sh build.sh", "api", "core", "ghost");
        add("tool", "sh build.sh");
        Plan plan = plan(List.of(), null);
        assertEquals(List.of(List.of("core", "tool"), List.of("api"), List.of("app")), plan.levels());
        assertEquals(repos.head(dir.resolve("app")), plan.jobs().get("app").commit());
        assertEquals(List.of("api", "core"), plan.dependencies().get("app"));
        assertEquals(Map.of("app", List.of("ghost")), plan.unknown());
        assertTrue(plan.tasks().get("app").matches("r[0-9]+_app"), plan.tasks().toString());
        assertTrue(plan.settled().isEmpty());
    }

    @Test
    void aCycleIsBlockedWithItsPathAndItsDependentsToo() throws Exception {
        add("a", "sh build.sh", "b");
        add("b", "sh build.sh", "a");
        add("c", "sh build.sh", "a");
        add("d", "sh build.sh");
        Plan plan = plan(List.of(), null);
        Map<String, RepositoryOutcome> settled = settled(plan);
        assertEquals(Outcome.BLOCKED, settled.get("a").outcome());
        assertEquals("blocked: in the dependency cycle a -> b -> a", settled.get("a").reason());
        assertEquals(Outcome.BLOCKED, settled.get("c").outcome());
        assertTrue(settled.get("c").reason().contains("depends on a"), settled.get("c").reason());
        assertEquals(List.of(List.of("d")), plan.levels());
    }

    @Test
    void noBuildCommandIsNotBuiltAndNeitherAreItsDependents() throws Exception {
        add("docs", null);
        add("site", "sh build.sh", "docs");
        add("other", "sh build.sh");
        Map<String, RepositoryOutcome> settled = settled(plan(List.of(), null));
        assertEquals("not built: has no build command", settled.get("docs").reason());
        assertEquals(Outcome.NOT_BUILT, settled.get("site").outcome());
        assertEquals("not built: depends on docs, which is not built", settled.get("site").reason());
        assertTrue(!settled.containsKey("other"));
    }

    @Test
    void affectedSinceARefBuildsTheChangedAndTheirDependentsOnly() throws Exception {
        add("core", "sh build.sh");
        add("api", "sh build.sh", "core");
        add("tool", "sh build.sh");
        for (String name : List.of("core", "api", "tool")) {
            repos.git(dir.resolve(name), "tag", "v1");
        }
        repos.commit(dir.resolve("core"), "core changes", "echo core 2", null);
        repos.git(dir.resolve("tool"), "tag", "-d", "v1"); // a repository without the ref counts as changed
        Plan plan = plan(List.of(), "v1");
        assertEquals(List.of(List.of("core", "tool"), List.of("api")), plan.levels());
        assertTrue(plan.settled().isEmpty());
        repos.git(dir.resolve("tool"), "tag", "v1");
        Plan again = plan(List.of(), "v1");
        assertEquals(List.of(List.of("core"), List.of("api")), again.levels());
        assertEquals(Outcome.SKIPPED, settled(again).get("tool").outcome());
    }

    @Test
    void aRepositoryThatDoesNotOpenOrHasNoCommitIsNotBuiltAndSaysWhy() throws Exception {
        add("core", "sh build.sh");
        catalogue.add(new Repository("gone", dir.resolve("gone").toString(), "unknown", "make", null, List.of(),
                List.of(), "manifest", dir.resolve("gone") + ": not a git repository"));
        java.nio.file.Files.createDirectories(dir.resolve("empty"));
        repos.git(repos.create("seed", "true", "true"), "init", "-q", dir.resolve("empty").toString());
        catalogue.add(new Repository("empty", dir.resolve("empty").toString(), "shell", "sh build.sh", null,
                List.of(), List.of(), "manifest", null));
        Map<String, RepositoryOutcome> settled = settled(plan(List.of("core", "gone", "empty"), null));
        assertEquals("not built: " + dir.resolve("gone") + ": not a git repository", settled.get("gone").reason());
        assertEquals("not built: " + dir.resolve("empty") + ": HEAD names no commit", settled.get("empty").reason());
        assertTrue(!settled.containsKey("core"));
    }

    @Test
    void unknownNamesAreRefusedWithTheKnownOnes() throws Exception {
        add("core", "sh build.sh");
        add("api", "sh build.sh", "core");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> plan(List.of("api", "nope"), null));
        assertEquals("repo:build: unknown repository nope; known: api, core", e.getMessage());
    }

    @Test
    void namedRepositoriesBuildAloneTheirDependenciesTakenAsBuilt() throws Exception {
        add("core", "sh build.sh");
        add("api", "sh build.sh", "core");
        Plan plan = plan(List.of("api"), null);
        assertEquals(List.of(List.of("api")), plan.levels());
        assertEquals(List.of(), plan.dependencies().get("api"));
    }

    private Plan plan(List<String> names, String since) throws Exception {
        return new Planner(null).plan("k", Instant.now(), catalogue, names, since, 2);
    }

    private void add(String name, String build, String... dependencies) throws Exception {
        Path repo = repos.create(name, "echo " + name, "echo test " + name);
        catalogue.add(new Repository(name, repo.toString(), "shell", build, "sh test.sh", List.of(dependencies),
                List.of(), "manifest", null));
    }

    private static Map<String, RepositoryOutcome> settled(Plan plan) {
        Map<String, RepositoryOutcome> map = new TreeMap<>();
        plan.settled().forEach(o -> map.put(o.name(), o));
        return map;
    }
}
