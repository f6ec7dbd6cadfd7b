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
}
