package io.harmonix.workflow.handlers.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.harmonix.workflow.api.InstanceInfo;
import io.harmonix.workflow.api.InstanceState;
import io.harmonix.workflow.api.TaskState;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * shell/exec with real processes that leave children behind: when its program exits the task ends, at once and
 * the same way every time, and nothing of its process group is left running; timeout and cancel kill the group.
 */
class ShellExecProcessTest {
    /** Liveness bound: far below the background children's sleeps, far above what a task takes. */
    private static final Duration LIVENESS = Duration.ofSeconds(20);

    @TempDir
    Path dir;

    @RegisterExtension
    final InMemoryEngine engine = InMemoryEngine.withShellExec();

    private InstanceInfo run(String command, String timeout) throws Exception {
        return engine.get().await(start(command, timeout), Duration.ofSeconds(120));
    }

    private String start(String command, String timeout) throws Exception {
        var d = engine.get().deploy("t.yaml", """
                name: bg
                version: 1
                input:
                  dir: {type: string}
                tasks:
                  x:
                    component: shell
                    action: exec
                    %s
                    input: {command: [sh, -c, '%s'], directory: "${input.dir}"}
                """.formatted(timeout == null ? "" : "timeout: " + timeout, command));
        return engine.get().start(d.name(), null, Map.of("dir", dir.toString()), null).id();
    }

    /** @return the pids the script wrote to {@code pids}, one a line */
    private List<Long> pids() throws IOException {
        List<Long> out = new ArrayList<>();
        for (String l : Files.readAllLines(dir.resolve("pids"))) {
            out.add(Long.parseLong(l.trim()));
        }
        return out;
    }

    /** Alive: in /proc and not a zombie (a killed orphan may wait there for a parent that never reaps it). */
    private static boolean alive(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            return stat.charAt(stat.lastIndexOf(')') + 2) != 'Z';
        } catch (IOException e) {
            return false;
        }
    }

    private static String stat(long pid) {
        try {
            return Files.readString(Path.of("/proc/" + pid + "/stat"));
        } catch (IOException e) {
            return e.toString();
        }
    }

    /** The script wrote the pids of its two background children, and neither is alive. */
    private void assertBothChildrenGone() throws IOException {
        List<Long> pids = pids();
        assertEquals(2, pids.size());
        assertNoneOutlivedItsTask(pids);
    }

    private static void assertNoneOutlivedItsTask(List<Long> pids) {
        for (long pid : pids) {
            assertFalse(alive(pid), () -> "process " + pid + " outlived its task: " + stat(pid));
        }
    }

    @Test
    void backgroundChildrenAreKilledWhenTheProgramExitsAndTheOutcomeIsTheSameEveryTime() throws Exception {
        for (int run = 0; run < 3; run++) {
            Files.deleteIfExists(dir.resolve("pids"));
            // a background job holding stdout open, and one in a subshell, both outliving the program
            Instant begun = Instant.now();
            InstanceInfo i = run("sleep 62 & echo $! >> pids; (sleep 63 & echo $! >> pids); echo done", "30s");
            Duration took = Duration.between(begun, Instant.now());
            assertEquals(InstanceState.SUCCEEDED, i.state(), String.valueOf(i.error()));
            assertEquals("done\n", i.tasks().get(0).output().get("stdout"));
            assertEquals(false, i.tasks().get(0).output().get("truncated"));
            assertTrue(took.compareTo(LIVENESS) < 0, "took " + took);
            assertBothChildrenGone();
        }
    }

    @Test
    void aTimeoutKillsTheWholeGroupBeforeTheTaskEnds() throws Exception {
        InstanceInfo i = run("sleep 64 & echo $! >> pids; (sleep 65 & echo $! >> pids); sleep 66", "1s");
        assertEquals(InstanceState.FAILED, i.state());
        assertTrue(i.tasks().get(0).reason().contains("timed out"), i.tasks().get(0).reason());
        assertBothChildrenGone();
    }

    @Test
    void aCancelKillsTheWholeGroupBeforeTheTaskEnds() throws Exception {
        String id = start("sleep 67 & echo $! >> pids; (sleep 68 & echo $! >> pids); echo started > ready; sleep 69",
                null);
        long until = System.nanoTime() + LIVENESS.toNanos();
        while (!Files.exists(dir.resolve("ready")) && System.nanoTime() < until) {
            Thread.sleep(10); // polls a condition (the script started its children), not a guessed time
        }
        assertTrue(Files.exists(dir.resolve("ready")), "the script did not start");
        engine.get().cancel(id);
        InstanceInfo i = engine.get().await(id, Duration.ofSeconds(60));
        assertEquals(InstanceState.CANCELLED, i.state());
        assertEquals(TaskState.CANCELLED, i.tasks().get(0).state());
        assertNoneOutlivedItsTask(pids());
    }
}
