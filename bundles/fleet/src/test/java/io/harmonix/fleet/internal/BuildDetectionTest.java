package io.harmonix.fleet.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Language and commands of each build system, read from real repositories (working trees and bare). */
class BuildDetectionTest {
    @TempDir
    Path dir;
    private GitRepos git;
    private static final java.time.Duration GIT_TIMEOUT = FleetSettings.defaults().gitTimeout();

    @BeforeEach
    void init() throws Exception {
        git = new GitRepos(dir);
    }

    private BuildDetection.Detected detect(String... files) throws Exception {
        Path repo = git.workingTree(dir.resolve("r" + System.nanoTime()), files);
        return BuildDetection.detect(RepoFiles.of(repo, GIT_TIMEOUT));
    }

    @Test
    void eachBuildSystemGivesItsCommands() throws Exception {
        assertEquals(new BuildDetection.Detected("java", "mvn -B -q -o package -DskipTests", "mvn -B -q -o test"),
                detect("pom.xml", GitRepos.pom("g", "a")));
        assertEquals(new BuildDetection.Detected("java", "./gradlew --offline -q assemble",
                "./gradlew --offline -q test"), detect("gradlew", "#!/bin/sh\n", "build.gradle", ""));
        assertEquals("kotlin", detect("gradlew", "", "build.gradle.kts", "").language());
        assertEquals(new BuildDetection.Detected("javascript", "npm run build", "npm test"),
                detect("package.json", "{\"scripts\": {\"build\": \"tsc\", \"test\": \"jest\"}}"));
        assertEquals(new BuildDetection.Detected("typescript", null, "npm test"),
                detect("package.json", "{\"scripts\": {\"test\": \"jest\"}}", "tsconfig.json", "{}"));
        assertEquals(new BuildDetection.Detected("make", "make build", "make test"),
                detect("Makefile", "VAR := 1\nbuild: dep\n\techo\ntest:\n\techo\n.PHONY: build test\n"));
        assertEquals(new BuildDetection.Detected("go", "make all", "make check"),
                detect("Makefile", "all:\n\tgo build\ncheck:\n\tgo test\n", "go.mod", "module x\n"));
        assertEquals(new BuildDetection.Detected("shell", "sh build.sh", "sh test.sh"),
                detect("build.sh", "echo\n", "test.sh", "echo\n"));
        assertEquals(new BuildDetection.Detected("unknown", null, null), detect("README", "hello"));
    }

    @Test
    void aSystemWithoutATestCommandTakesTheNextOnesTestScript() throws Exception {
        assertEquals(new BuildDetection.Detected("javascript", "npm run build", "sh test.sh"),
                detect("package.json", "{\"scripts\": {\"build\": \"tsc\"}}", "test.sh", "echo\n"));
    }

    @Test
    void aBareRepositoryIsReadAtItsHead() throws Exception {
        Path bare = git.bare(dir.resolve("lib.git"), "pom.xml", GitRepos.pom("g", "a"), "test.sh", "echo\n");
        assertEquals("java", BuildDetection.detect(RepoFiles.of(bare, GIT_TIMEOUT)).language());
    }

    @Test
    void namedCommandsAreCheckedWhereTheyCanBe() throws Exception {
        RepoFiles files = RepoFiles.of(git.workingTree(dir.resolve("x"), "package.json",
                "{\"scripts\": {\"lint\": \"eslint\"}}", "Makefile", "deploy:\n\ttrue\n", "ci/run.sh", "true\n"),
                GIT_TIMEOUT);
        assertEquals(List.of(), BuildDetection.missing(files, "npm run lint && make deploy && sh ci/run.sh"));
        assertEquals(List.of(), BuildDetection.missing(files, "cargo build"), "not checked: unknown tool");
        List<String> m = BuildDetection.missing(files, "mvn package; npm test || make -j2 all && ./gradlew build "
                + "&& bash nope.sh");
        assertEquals(5, m.size(), m.toString());
        assertTrue(m.get(1).contains("package.json has no script 'test' (it has: lint)"), m.get(1));
        assertTrue(m.get(2).contains("'make all': the Makefile has no rule for 'all' (it has: deploy)"), m.get(2));
        assertTrue(m.get(3).contains("needs the Gradle wrapper"), m.get(3));
        assertTrue(m.get(4).contains("there is no file nope.sh"), m.get(4));
    }
}
