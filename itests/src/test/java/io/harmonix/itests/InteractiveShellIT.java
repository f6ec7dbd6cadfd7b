package io.harmonix.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The interactive shell ({@code bin/harmonix} without a mode) in a real terminal (tmux): Ctrl-C interrupts the
 * running command and leaves the runtime running, {@code quit} and {@code exit [N]} leave cleanly; and Ctrl-C
 * still stops run and exec modes.
 */
class InteractiveShellIT {
    private static final String PROMPT = "g!";
    private static final Duration START = Duration.ofMinutes(2);
    private static final Duration ANSWER = Duration.ofSeconds(60);

    @TempDir
    Path dir;

    private PackagedRuntime runtime;

    @BeforeEach
    void copyDistribution() throws Exception {
        runtime = PackagedRuntime.copyInto(dir);
    }

    @Test
    void ctrlCInterruptsTheRunningCommandOrTheLineBeingTypedAndTheRuntimeGoesOnUntilQuit() throws Exception {
        Path data = dir.resolve("data");
        try (Tmux t = Tmux.start(dir, runtime.home, runtime.script().toString(), "--data", data.toString(), "shell")) {
            t.await("the prompt", l -> last(l).equals(PROMPT), START);

            t.type("cycle:run --id follow --agents files --cycles forever --interval 1s --follow");
            t.await("two cycles followed", l -> l.stream().anyMatch(s -> s.startsWith("follow cycle 2 ")), ANSWER);
            t.send("C-c");
            List<String> after = t.await("'interrupted', then the prompt", InteractiveShellIT::interruptedThenPrompt,
                    ANSWER);
            assertTrue(after.stream().noneMatch(s -> s.contains("Exception")), String.join("\n", after));

            // Ctrl-C at the prompt drops the line being typed and gives a new prompt, nothing else
            t.typePartly("agent:li");
            t.await("the typed text", l -> last(l).equals(PROMPT + " agent:li"), ANSWER);
            t.send("C-c");
            t.await("a new prompt", l -> last(l).equals(PROMPT) && l.get(l.size() - 2).startsWith(PROMPT + " agent:li"),
                    ANSWER);

            // the runtime kept running: the run goes on, and a command answers (the dropped text is not in it)
            t.type("cycle:runs");
            t.await("the run, still running", l -> last(l).equals(PROMPT)
                    && l.stream().anyMatch(s -> s.matches("follow\\s+running\\s+.*")), ANSWER);

            t.type("cycle:await follow --timeout 10m");
            t.await("the command typed", l -> last(l).equals(PROMPT + " cycle:await follow --timeout 10m"), ANSWER);
            Thread.sleep(1000); // the command waits for the run, which never ends
            t.send("C-c");
            t.await("'interrupted', then the prompt", InteractiveShellIT::interruptedThenPrompt, ANSWER);

            t.type("quit");
            assertEquals("status 0", t.awaitEnd(ANSWER), t.screen());
            String screen = t.screen();
            assertEquals(1, screen.split("Welcome to Apache Felix Gogo", -1).length - 1, "one start:\n" + screen);
            assertFalse(screen.contains("Exception"), screen);
        }
        assertStoppedCleanly(data);
    }

    @Test
    void exitLeavesWithStatusZeroAndExitNWithN() throws Exception {
        Path first = dir.resolve("first");
        try (Tmux t = Tmux.start(Files.createDirectories(dir.resolve("t1")), runtime.home,
                runtime.script().toString(), "--data", first.toString())) {
            t.await("the prompt", l -> last(l).equals(PROMPT), START);
            t.type("exit");
            assertEquals("status 0", t.awaitEnd(ANSWER), t.screen());
            assertFalse(t.screen().contains("Exception"), t.screen());
        }
        assertStoppedCleanly(first);

        Path second = dir.resolve("second");
        try (Tmux t = Tmux.start(Files.createDirectories(dir.resolve("t2")), runtime.home,
                runtime.script().toString(), "--data", second.toString(), "shell")) {
            t.await("the prompt", l -> last(l).equals(PROMPT), START);
            t.type("exit 3");
            assertEquals("status 3", t.awaitEnd(ANSWER), t.screen());
        }
        assertStoppedCleanly(second);
    }

    @Test
    void ctrlCStillStopsRunAndExecModes() throws Exception {
        Path runData = dir.resolve("run");
        try (Tmux t = Tmux.start(Files.createDirectories(dir.resolve("t1")), runtime.home,
                runtime.script().toString(), "--data", runData.toString(), "run")) {
            t.await("the runtime running", l -> l.stream().anyMatch(s -> s.startsWith("Harmonix running")), START);
            t.send("C-c");
            assertEquals("status 130", t.awaitEnd(ANSWER), t.screen());
        }
        assertStoppedCleanly(runData);

        Path execData = dir.resolve("exec");
        try (Tmux t = Tmux.start(Files.createDirectories(dir.resolve("t2")), runtime.home,
                runtime.script().toString(), "--data", execData.toString(), "exec",
                "cycle:run --id x --agents files --cycles forever --interval 1s --follow")) {
            t.await("a cycle", l -> l.stream().anyMatch(s -> s.startsWith("x cycle 1 ")), START);
            t.send("C-c");
            assertEquals("status 130", t.awaitEnd(ANSWER), t.screen());
        }
        assertStoppedCleanly(execData);
    }

    /** The last lines are "interrupted" and a prompt (before them, the terminal's echo of Ctrl-C). */
    private static boolean interruptedThenPrompt(List<String> lines) {
        return lines.size() >= 2 && last(lines).equals(PROMPT) && lines.get(lines.size() - 2).equals("interrupted");
    }

    private static String last(List<String> lines) {
        return lines.isEmpty() ? "" : lines.get(lines.size() - 1);
    }

    /** The framework went down in order: the store, one of the last bundles to stop, closed its database. */
    private static void assertStoppedCleanly(Path data) throws Exception {
        String log = Files.readString(data.resolve("log/harmonix.log"));
        assertTrue(log.contains("Derby database " + data.resolve("derby") + " shut down"), log);
    }
}
