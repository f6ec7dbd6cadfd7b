package io.harmonix.fleet.sandbox.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.harmonix.enhance.api.testing.GitRepo;
import io.harmonix.fleet.api.CheckRecord;
import io.harmonix.fleet.api.ExecutionRequest;
import io.harmonix.fleet.sandbox.testing.TestSandbox;
import io.harmonix.store.testing.DerbyFixture;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** TestSandbox, the fixture other bundles' tests run commands with: the real executor, its settings applied. */
class TestSandboxTest {
    @TempDir
    Path dir;

    @Test
    void runsACommandInTheSandboxWithTheSettingsGivenAndRecordsIt() throws Exception {
        GitRepo repo = GitRepo.init(dir.resolve("repos/app")).write("a", "a").commit("a");
        List<String> logged = new ArrayList<>();
        TestSandbox closed;
        try (DerbyFixture derby = DerbyFixture.open(dir.resolve("db"));
                TestSandbox sandbox = TestSandbox.settings().timeLimit(Duration.ofSeconds(1)).log(logged::add)
                        .data(dir.resolve("data")).open(dir.resolve("home"), derby.dataSource(), derby.migrator())) {
            closed = sandbox;
            CheckRecord passed = sandbox.executor().execute(new ExecutionRequest("app", repo.root().toString(),
                    "HEAD", "build", "test -f a && echo built", null, Map.of()));
            CheckRecord slow = sandbox.executor().execute(new ExecutionRequest("app", repo.root().toString(),
                    "HEAD", "test", "sleep 30", null, Map.of()));

            assertTrue(passed.passed(), passed.toString());
            assertTrue(passed.log().contains("built"), passed.log());
            assertTrue(slow.timedOut(), "the time limit given applies: " + slow);
            assertEquals(List.of(slow.id(), passed.id()),
                    sandbox.history().checks("app", 10).stream().map(CheckRecord::id).toList());
            assertTrue(logged.stream().anyMatch(l -> l.startsWith("info fleet sandbox: isolation")), logged.toString());
            assertTrue(Files.isDirectory(dir.resolve("data/fleet/worktrees")), "the data folder given holds them");
            assertFalse(Files.exists(dir.resolve("home/data")), "not the home's data/");
        }
        IllegalStateException stopped = assertThrows(IllegalStateException.class, () -> closed.executor().execute(
                new ExecutionRequest("app", repo.root().toString(), "HEAD", "build", "true", null, Map.of())));
        assertEquals("the fleet sandbox is stopped", stopped.getMessage(), "closing stopped the component");
    }

    @Test
    void anExecutorIsOnlyHadOnceOpened() {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> TestSandbox.settings().executor());
        assertTrue(e.getMessage().contains("call open"), e.getMessage());
    }
}
