package io.harmonix.fleet.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.harmonix.fleet.api.DiscoveryReport;
import io.harmonix.fleet.api.Repository;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Discovery under roots and from the manifest, on real git repositories and a real Derby database. */
class DiscoveryTest extends FleetUnderOneRoot {
    private List<String> names() {
        return fleet.engine.repositories().stream().map(Repository::name).toList();
    }

    @Test
    void findsWorkingTreesAndBareRepositoriesButNotNestedOnesNorThroughLinksNorTooDeep() throws Exception {
        fleet.git.workingTree(root.resolve("app"), "build.sh", "echo ok\n");
        fleet.git.workingTree(root.resolve("app/vendor/lib"), "x", "y"); // nested in app's working tree: skipped
        fleet.git.bare(root.resolve("group/lib.git"), "Makefile", "build:\n\techo\n");
        fleet.git.workingTree(root.resolve("a/b/too-deep"), "x", "y"); // depth 3
        Path outside = fleet.git.workingTree(dir.resolve("outside/elsewhere"), "x", "y");
        Files.createSymbolicLink(root.resolve("link"), outside.getParent());
        Files.createSymbolicLink(root.resolve("elsewhere"), outside);

        DiscoveryReport r = fleet.engine.discover();
        assertEquals(List.of("app", "lib"), names(), r.toString());
        assertEquals(List.of("app", "lib"), r.added());
        Repository lib = fleet.engine.repository("lib").orElseThrow();
        assertEquals("make build", lib.buildCommand(), "a bare repository is read at its HEAD");
        assertEquals("discovered", lib.origin());
        assertTrue(lib.healthy());
        assertEquals(40, fleet.engine.known().get(0).head().length());

        fleet.depth(3);
        fleet.engine.discover();
        assertEquals(List.of("app", "lib", "too-deep"), names());
    }

    @Test
    void aPageOfTheCatalogueIsCutFromTheDiscoveredListByName() throws Exception {
        for (String name : List.of("e", "a", "d", "c", "b")) {
            fleet.git.workingTree(root.resolve(name), "x", "y");
        }
        fleet.engine.discover();
        assertEquals(5, fleet.engine.size());
        assertEquals(List.of("b", "c"), fleet.engine.repositories(1, 2).stream().map(Repository::name).toList());
        assertEquals(List.of("e"), fleet.engine.repositories(4, 50).stream().map(Repository::name).toList());
        assertEquals(List.of(), fleet.engine.repositories(9, 50));
        assertEquals("limit: expected 1 or more, got 0", org.junit.jupiter.api.Assertions.assertThrows(
                IllegalArgumentException.class, () -> fleet.engine.repositories(0, 0)).getMessage());
        fleet.engine = fleet.newEngine();
        assertEquals(List.of("a", "b"), fleet.engine.repositories(0, 2).stream().map(Repository::name).toList(),
                "a restarted runtime: the same pages, from Derby");
    }

    @Test
    void theManifestNamesRepositoriesAndWinsOverDetectionWhereItSpeaks() throws Exception {
        fleet.git.workingTree(root.resolve("api-service"), "pom.xml", GitRepos.pom("org.acme", "api"));
        Path web = fleet.git.workingTree(dir.resolve("elsewhere/web"), "package.json",
                "{\"name\": \"web\", \"scripts\": {\"build\": \"tsc\", \"test\": \"jest\"}}");
        fleet.manifest("""
                {"repositories": [
                  {"name": "api", "path": "repos/api-service", "language": "kotlin", "dependencies": []},
                  {"name": "web", "path": "%s", "test_command": "npm test -- --ci", "dependencies": ["api"]}
                ]}""".formatted(web));
        DiscoveryReport r = fleet.engine.discover();
        assertEquals(List.of(), r.problems());
        Repository api = fleet.engine.repository("api").orElseThrow();
        assertEquals("both", api.origin(), "named by the manifest and found under the root");
        assertEquals("kotlin", api.language());
        assertEquals(BuildDetection.MAVEN_BUILD, api.buildCommand(), "detected where the manifest is silent");
        Repository w = fleet.engine.repository("web").orElseThrow();
        assertEquals("manifest", w.origin());
        assertEquals("npm run build", w.buildCommand());
        assertEquals("npm test -- --ci", w.testCommand());
        assertEquals(List.of("api"), w.declaredDependencies());
        assertEquals(List.of("api", "web"), names(), "api-service is not listed a second time");
    }

    @Test
    void aRepositoryThatDisappearsStaysWithItsProblemAndComesBackHealthy() throws Exception {
        Path lib = fleet.git.workingTree(root.resolve("lib"), "build.sh", "echo\n");
        fleet.git.workingTree(root.resolve("app"), "build.sh", "echo\n");
        fleet.engine.discover();
        Path moved = dir.resolve("moved-away");
        Files.move(lib, moved);

        DiscoveryReport gone = fleet.engine.discover();
        assertEquals(List.of("lib"), gone.vanished());
        assertEquals(List.of("app", "lib"), names(), "never dropped silently");
        Repository r = fleet.engine.repository("lib").orElseThrow();
        assertTrue(r.problem().contains("no longer there"), r.problem());
        assertEquals("sh build.sh", r.buildCommand(), "what was known of it is kept");
        assertTrue(gone.problems().stream().anyMatch(p -> p.startsWith("lib: ")), gone.problems().toString());
        assertEquals(2, fleet.events.size(), "added, then vanished");
        assertEquals(List.of("lib"), fleet.events.get(1).vanished());

        DiscoveryReport still = fleet.engine.discover();
        assertEquals(List.of(), still.vanished(), "reported once, when it went");
        assertEquals(2, fleet.events.size());

        Files.move(moved, lib);
        DiscoveryReport back = fleet.engine.discover();
        assertTrue(fleet.engine.repository("lib").orElseThrow().healthy());
        assertEquals(List.of(), back.added());
        assertEquals(List.of(), back.problems());

        // a restarted runtime has the same catalogue (Derby), and the last report
        FleetEngine restarted = fleet.newEngine();
        assertEquals(fleet.engine.repositories(), restarted.repositories());
        assertEquals(back, restarted.lastDiscovery().orElseThrow());
    }

    @Test
    void aFolderThatIsNoLongerARepositoryIsReportedWithWhatGitSays() throws Exception {
        Path lib = fleet.git.workingTree(root.resolve("lib"), "x", "y");
        fleet.engine.discover();
        Files.writeString(lib.resolve(".git/HEAD"), "garbage\n"); // still looks like a repository, git refuses it
        DiscoveryReport r = fleet.engine.discover();
        assertEquals(List.of("lib"), r.vanished());
        String problem = fleet.engine.repository("lib").orElseThrow().problem();
        assertTrue(problem.contains("git cannot read its HEAD commit"), problem);
    }

    @Test
    void theIndexFilesAreWrittenWholeAndMatchTheirSchema() throws Exception {
        fleet.git.workingTree(root.resolve("app"), "build.sh", "echo\n", "test.sh", "echo\n");
        fleet.engine.discover();
        Path data = fleet.home.resolve("data/fleet");
        JsonNode index = new ObjectMapper().readTree(data.resolve(IndexFiles.JSON_NAME).toFile());
        assertEquals(List.of(), Schemas.errors("org-repo-index.schema.json", index));
        assertEquals("app", index.at("/repositories/0/name").asText());
        assertEquals("sh test.sh", index.at("/repositories/0/test_command").asText());
        assertEquals("discovered", index.at("/repositories/0/origin").asText());
        String md = Files.readString(data.resolve(IndexFiles.MD_NAME));
        assertTrue(md.contains("| app | shell | `sh build.sh` | `sh test.sh` |"), md);
        try (Stream<Path> s = Files.list(data)) {
            assertEquals(List.of(IndexFiles.JSON_NAME, IndexFiles.MD_NAME),
                    s.map(p -> p.getFileName().toString()).sorted().toList(), "no temporary file left");
        }
        // a schema violation is caught by the same check (the check can fail)
        ((com.fasterxml.jackson.databind.node.ObjectNode) index.at("/repositories/0")).put("origin", "guessed");
        assertEquals(1, Schemas.errors("org-repo-index.schema.json", index).size());
    }

    @Test
    void aFolderWhoseNameIsNoRepositoryNameIsLeftOutAndReported() throws Exception {
        fleet.git.workingTree(root.resolve("app"), "x", "y");
        fleet.git.workingTree(root.resolve("-x"), "x", "y"); // repo:show -x would take it for an option
        fleet.git.workingTree(root.resolve("lib|pipe"), "x", "y"); // a cell of ORG_REPO_INDEX.md
        fleet.git.workingTree(root.resolve("two\nlines"), "x", "y"); // a line of it
        fleet.git.bare(root.resolve(".hidden.git"), "x", "y");
        DiscoveryReport r = fleet.engine.discover();
        assertEquals(List.of("app"), names(), r.toString());
        assertEquals(4, r.problems().size(), r.problems().toString());
        assertTrue(r.problems().contains(root.resolve("-x") + ": left out, its folder's name '-x' is no repository "
                + "name (expected letters, digits, '.', '_' and '-', starting with a letter or digit, at most 100; "
                + "name it in the manifest to keep it)"), r.problems().toString());
        assertTrue(r.problems().stream().anyMatch(p -> p.contains("'lib|pipe' is no repository name")));
        assertTrue(r.problems().stream().anyMatch(p -> p.contains("'two\\u000alines' is no repository name")),
                "the problem stays on one line: " + r.problems());
        assertTrue(r.problems().stream().anyMatch(p -> p.contains("'.hidden' is no repository name")));
        String md = Files.readString(fleet.home.resolve("data/fleet").resolve(IndexFiles.MD_NAME));
        assertTrue(!md.contains("pipe") && !md.contains("lines"), md);
    }

    @Test
    void aSecondDiscoveryWhileOneRunsIsRefusedSayingSinceWhen() throws Exception {
        Path one = fleet.git.workingTree(root.resolve("r00"), "x", "y");
        for (int i = 1; i <= Discovery.PROGRESS_EVERY; i++) {
            copy(one, root.resolve(String.format("r%02d", i)));
        }
        List<String> progress = new ArrayList<>();
        List<RuntimeException> refused = new ArrayList<>();
        DiscoveryReport r = fleet.engine.discover(p -> {
            progress.add(p);
            refused.add(assertThrows(IllegalStateException.class, () -> fleet.engine.discover()));
        });
        assertEquals(26, r.repositories().size());
        assertEquals(List.of("inspected 25/26 repositories"), progress);
        assertTrue(refused.get(0).getMessage().startsWith("a discovery is running since 20"),
                refused.get(0).getMessage());
        assertNotNull(fleet.engine.discover(), "free again once it ended");
    }

    @Test
    void aBadManifestLeavesTheCatalogueAsItWas() throws Exception {
        fleet.git.workingTree(root.resolve("app"), "x", "y");
        Path lib = fleet.git.workingTree(dir.resolve("lib"), "x", "y");
        fleet.manifest("{\"repositories\": [{\"name\": \"lib\", \"path\": \"" + lib + "\"}]}");
        fleet.engine.discover();
        assertEquals(List.of("app", "lib"), names());
        fleet.manifest("{\"repositories\": [{\"name\": \"lib\", \"path\": \"" + lib + "\"},]}");
        DiscoveryReport r = fleet.engine.discover();
        assertEquals(List.of("app", "lib"), names(), "still both");
        assertEquals(List.of("app", "lib"), r.repositories().stream().map(Repository::name).toList());
        assertTrue(r.problems().get(0).startsWith("etc/repositories.json:1:"), r.problems().toString());
        assertTrue(r.problems().get(1).contains("the catalogue is left as it was (2 repositories)"),
                r.problems().toString());
        assertNull(r.repositories().get(1).problem());
    }

    private static void copy(Path from, Path to) throws Exception {
        try (Stream<Path> s = Files.walk(from)) {
            for (Path p : s.toList()) {
                Path t = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(t);
                } else {
                    Files.copy(p, t);
                }
            }
        }
    }
}
