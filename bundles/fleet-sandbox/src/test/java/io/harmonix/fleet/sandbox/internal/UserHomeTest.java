package io.harmonix.fleet.sandbox.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.harmonix.config.api.ConfigCheck;
import io.harmonix.fleet.api.CheckRecord;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The runtime user's home (Maven and npm credentials, the git configuration) is hidden from a build. */
class UserHomeTest {
    @TempDir
    Path dir;

    @Test
    void theRuntimeUsersHomeLooksEmptyToABuildByDefault() throws Exception {
        Path userHome = Path.of(System.getProperty("user.home"));
        try (var entries = Files.list(userHome)) {
            assertTrue(entries.findAny().isPresent(), "the precondition: " + userHome + " holds files");
        }
        try (SandboxFixture f = new SandboxFixture(dir, SandboxFixture.defaults())) {
            f.repo.write("README", "app\n").commit("first");
            CheckRecord r = f.run("HEAD", "ls -A " + userHome + "; echo listed; cat README");
            assertEquals("listed\napp\n", r.log(), "nothing of " + userHome + " is listed");
            assertTrue(r.passed(), r.toString());
        }
    }

    @Test
    void hiddenPathsAreAbsoluteOrStartWithTheTilde() {
        ConfigCheck.Result<SandboxSettings> r = SandboxSettingsTest.read(Map.of("hiddenPaths", "~/.m2, relative"));
        assertFalse(r.accepted());
        assertTrue(String.join("\n", r.problems()).contains("hiddenPaths = 'relative'"), r.problems().toString());
        assertEquals(List.of(Path.of(System.getProperty("user.home"), ".m2"), Path.of("/srv/keys")),
                SandboxSettingsTest.read(Map.of("hiddenPaths", "~/.m2, /srv/keys")).orElseThrow().hiddenPaths());
    }

    /**
     * A folder inside the hidden home named in {@code readOnlyPaths} is seen again, read-only (an offline Maven
     * build reads {@code ~/.m2/repository} so), while the rest of the home stays hidden. The folders are made in the
     * real home, since that is what is hidden by default, and deleted after.
     */
    @Test
    void aReadOnlyPathInsideTheHiddenHomeIsSeenAgainButNotWritable() throws Exception {
        Path userHome = Path.of(System.getProperty("user.home"));
        Path made = Files.createTempDirectory(userHome, "harmonix-sandbox-test-");
        try {
            Path shared = Files.createDirectories(made.resolve("repository"));
            Files.writeString(shared.resolve("artifact.pom"), "the artifact\n");
            Files.writeString(made.resolve("settings.xml"), "a credential\n");
            SandboxSettings settings = SandboxFixture.defaults().withReadOnlyPaths(List.of(shared,
                    made.resolve("missing")));
            try (SandboxFixture f = new SandboxFixture(dir, settings)) {
                f.repo.write("README", "app\n").commit("first");
                CheckRecord r = f.run("HEAD", "cat " + shared.resolve("artifact.pom") + "; ls -A " + made
                        + "; touch " + shared.resolve("written") + " 2>/dev/null || echo not writable; test -e "
                        + made.resolve("settings.xml") + " || echo settings hidden");
                assertEquals("the artifact\nrepository\nnot writable\nsettings hidden\n", r.log(), r.toString());
                assertTrue(r.passed(), r.toString());
                assertFalse(Files.exists(shared.resolve("written")));
            }
        } finally {
            Worktrees.delete(made);
        }
    }

    @Test
    void readOnlyPathsAreReadLikeHiddenPaths() {
        ConfigCheck.Result<SandboxSettings> r = SandboxSettingsTest.read(Map.of("readOnlyPaths", "m2"));
        assertFalse(r.accepted());
        assertTrue(String.join("\n", r.problems()).contains("readOnlyPaths = 'm2'"), r.problems().toString());
        assertEquals(List.of(Path.of(System.getProperty("user.home"), ".m2/repository")),
                SandboxSettingsTest.read(Map.of("readOnlyPaths", "~/.m2/repository")).orElseThrow().readOnlyPaths());
        assertEquals(List.of(), SandboxSettingsTest.read(Map.of()).orElseThrow().readOnlyPaths(), "none by default");
    }
}
