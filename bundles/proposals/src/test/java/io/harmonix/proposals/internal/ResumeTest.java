package io.harmonix.proposals.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.harmonix.fleet.api.CheckRecord;
import io.harmonix.fleet.api.Repository;
import io.harmonix.proposals.api.Enhancement;
import io.harmonix.proposals.api.EnhancementStatus;
import io.harmonix.proposals.api.ValidationStep;
import io.harmonix.workflow.api.InstanceInfo;
import io.harmonix.workflow.api.InstanceState;
import io.harmonix.workflow.api.TaskContext;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A validation interrupted in the middle (the engine gone while the tests run, as in a kill -9) resumes with a new
 * engine on the same database and ends validated once: no step that had recorded runs again, no second decision, no
 * second validation when asked again.
 */
class ResumeTest extends WithFixture {
    @Test
    void aStepAlreadyRecordedIsNotRunAgainByAnotherAttempt() throws Exception {
        Enhancement e = fx.submit(fx.handMade("a", Fixture.REMOVE_MAP_IMPORT));
        Handlers h = fx.proposals.handlers();
        Map<String, Object> first = h.execute(task(e.id(), "prepare", 1));
        Map<String, Object> again = h.execute(task(e.id(), "prepare", 2));
        assertEquals(first, again);
        h.execute(task(e.id(), "build", 1));
        h.execute(task(e.id(), "build", 2));
        assertEquals(1, fx.checks().size(), "the build ran once");
        Enhancement now = fx.ledger().enhancement(e.id()).orElseThrow();
        assertEquals(List.of("prepare", "build"), now.validation().stream().map(ValidationStep::name).toList());
    }

    @Test
    void anInterruptedValidationResumesAndIsDecidedOnce() throws Exception {
        // the tests wait for a gate the test opens once the engine is gone; outside /tmp, which the sandbox hides
        Path gate = Files.createDirectories(Path.of("target", "gates")).toAbsolutePath()
                .resolve(dir.getFileName() + "-gate");
        Repository slow = new Repository("shop", fx.repo.root().toString(), "java", "sh build.sh",
                "while [ ! -f " + gate + " ]; do sleep 0.05; done; sh test.sh", List.of(), List.of(), "manifest",
                null);
        var fix = fx.unusedImportFix(fx.qualityAgent(), Fixture.REMOVE_MAP_IMPORT);
        Enhancement e = fx.ledger().submit(null, null, slow, fix.getKey(), fix.getValue());
        String instance = fx.ledger().validate(e.id());
        long until = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        while (fx.ledger().enhancement(e.id()).orElseThrow().validation().size() < 2
                && System.nanoTime() < until) {
            Thread.sleep(20);
        }
        assertEquals(2, fx.ledger().enhancement(e.id()).orElseThrow().validation().size(), "prepared and built");
        while (fx.checks().stream().noneMatch(r -> r.kind().equals("enhancement-tests"))
                && System.nanoTime() < until) {
            Thread.sleep(20); // the tests start, and wait for the gate
        }
        fx.workflows.close(); // gone while the tests run: nothing more is recorded by it
        assertEquals(EnhancementStatus.VALIDATING, fx.ledger().enhancement(e.id()).orElseThrow().status());

        Files.createFile(gate);
        fx.startEngine();
        assertEquals(List.of(instance), fx.workflows.resumeInterrupted());
        InstanceInfo done = fx.engine.await(instance, Duration.ofMinutes(3));
        assertEquals(InstanceState.SUCCEEDED, done.state(), String.valueOf(done.error()));

        Enhancement validated = fx.status(e.id(), EnhancementStatus.VALIDATED);
        assertEquals(List.of("prepare", "build", "tests", "agent", "benchmark"), validated.validation().stream()
                .map(ValidationStep::name).toList());
        assertEquals(1, fx.checks().stream().filter(r -> r.kind().equals("enhancement-build")).count(),
                "the build had recorded: not run again");
        assertEquals(instance, fx.ledger().validate(e.id()), "asked again: the same validation, not a second");
        assertEquals(List.of(e.id() + ":proposed->validating", e.id() + ":validating->validated"), fx.changes,
                "decided once");
        List<CheckRecord> tests = fx.checks().stream().filter(r -> r.kind().equals("enhancement-tests")).toList();
        assertEquals(2, tests.size(), tests::toString);
        assertTrue(tests.get(0).passed(), "run again after the restart: passed");
        assertFalse(tests.get(1).passed(), "the first, killed with the engine");
        Files.delete(gate);
    }

    private static TaskContext task(long id, String action, int attempt) {
        return new TaskContext("wf-test", action, Handlers.COMPONENT, action, Map.of("id", id), attempt, null,
                "wf-test/" + action);
    }
}
