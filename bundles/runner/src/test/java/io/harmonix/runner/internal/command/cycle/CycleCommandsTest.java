package io.harmonix.runner.internal.command.cycle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.IntNode;
import io.harmonix.cycle.api.AgentResult;
import io.harmonix.runner.api.AgentInfo;
import io.harmonix.runner.internal.RunEngine;
import io.harmonix.runner.internal.RunnerLog;
import io.harmonix.runner.internal.RunnerSettings;
import io.harmonix.shell.api.CommandLines;
import io.harmonix.shell.testing.Commands;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class CycleCommandsTest {
    private final RunEngine engine = new RunEngine(new RunnerSettings(8, Duration.ofSeconds(30), 100, true),
            RunnerLog.console());
    private final CycleCommands commands = Commands.over(new CycleCommands(), engine);

    CycleCommandsTest() {
        engine.addAgent(new AgentInfo("count", "test", 7, "test.bundle"),
                ctx -> AgentResult.of(IntNode.valueOf(ctx.firstCycle() ? 1 : ctx.previousState().asInt() + 1)), 1);
    }

    @AfterEach
    void close() throws InterruptedException {
        engine.close(Duration.ofSeconds(5));
    }

    @Test
    void runWaitPrintsEveryCycleAndTheSummary() throws Exception {
        String text = CommandLines.output(commands, "run",
                "--id", "demo", "--cycles", "3", "--interval", "1ms", "--wait");
        assertTrue(text.startsWith("CYCLE  STATUS"), text);
        assertEquals(3, text.lines().filter(l -> l.matches("\\s*\\d+\\s+ok\\s.*")).count(), text);
        assertTrue(text.contains("run demo: completed, cycles 3/3, agents all"), text);
    }

    @Test
    void inputsReachEveryAgentEachCycle() throws Exception {
        java.util.List<JsonNode> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
        engine.addAgent(new AgentInfo("echo", "test", 7, "test.bundle"), ctx -> {
            seen.add(ctx.inputs());
            return AgentResult.of(IntNode.valueOf((int) ctx.cycle()));
        }, 3);
        CommandLines.output(commands, "run", "--id", "in", "--agents", "echo", "-n", "2", "-i", "0ms",
                "--input", "target=/src/app", "--input", "components=a,b", "--wait");
        assertEquals(2, seen.size());
        for (JsonNode inputs : seen) {
            assertEquals("/src/app", inputs.path("target").asText());
            assertEquals("a,b", inputs.path("components").asText(), "a value keeps its commas");
        }
        Exception bad = assertThrows(Exception.class, () -> CommandLines.output(commands, "run", "--agents",
                "echo", "--input", "no-equals-sign"));
        assertTrue(bad.getMessage().contains("--input"), "the error names the option: " + bad.getMessage());
    }

    @Test
    void pauseShowsTheRunPausedAndResumeShowsItRunning() throws Exception {
        java.util.concurrent.CountDownLatch inCycle2 = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        engine.addAgent(new AgentInfo("slow", "test", 7, "test.bundle"), ctx -> {
            if (ctx.cycle() == 2) {
                inCycle2.countDown();
                release.await();
            }
            return AgentResult.of(IntNode.valueOf((int) ctx.cycle()));
        }, 2);
        CommandLines.output(commands, "run", "--id", "p", "--agents", "slow", "-n", "forever", "-i", "0ms");
        assertTrue(inCycle2.await(1, java.util.concurrent.TimeUnit.MINUTES));
        // pause while cycle 2 is under way: the command answers with the state the run is in after it, paused
        java.util.concurrent.FutureTask<String> pause = new java.util.concurrent.FutureTask<>(
                () -> CommandLines.output(commands, "pause", "p"));
        Thread t = new Thread(pause);
        t.start();
        // the command has asked for the pause once it waits (timed) for the cycle to end, or it has answered
        long end = System.nanoTime() + Duration.ofMinutes(1).toNanos();
        while (t.getState() != Thread.State.TIMED_WAITING && t.getState() != Thread.State.TERMINATED) {
            assertTrue(System.nanoTime() < end, "the pause command neither waits nor answers: " + t.getState());
            Thread.onSpinWait();
        }
        release.countDown();
        String paused = pause.get(1, java.util.concurrent.TimeUnit.MINUTES);
        assertTrue(paused.startsWith("run p: paused, cycles 2/forever"), paused);
        String resumed = CommandLines.output(commands, "resume", "p");
        assertTrue(resumed.startsWith("run p: running, cycles "), resumed); // it goes on at once
        assertTrue(CommandLines.output(commands, "stop", "p").startsWith("run p: stopped"));
    }

    @Test
    void followPrintsOneLinePerCycle() throws Exception {
        String text = CommandLines.output(commands, "run", "--id", "f", "-n", "2", "-i", "0ms",
                "--follow");
        assertTrue(text.contains("f cycle 1/2 ok"), text);
        assertTrue(text.contains("f cycle 2/2 ok"), text);
    }

    @Test
    void showJsonHoldsTheRunAndItsSnapshots() throws Exception {
        CommandLines.output(commands, "run", "--id", "j", "-n", "2", "-i", "0ms", "-w");
        JsonNode json = new ObjectMapper().readTree(CommandLines.output(commands, "show", "j", "--json"));
        assertEquals("completed", json.get("state").asText());
        assertEquals(2, json.get("snapshots").size());
        assertEquals("j:2", json.at("/snapshots/1/cycleId").asText());
    }

    @Test
    void runsListsRunsAsATable() throws Exception {
        assertEquals("no runs\n", CommandLines.output(commands, "runs"));
        CommandLines.output(commands, "run", "--id", "t", "-n", "1", "-w");
        String text = CommandLines.output(commands, "runs");
        assertTrue(text.startsWith("RUN  STATE      CYCLES  AGENTS"), text);
        assertTrue(text.contains("t    completed  1/1     all"), text);
    }

    @Test
    void badArgumentsSayWhatWasExpected() {
        IllegalArgumentException cycles = assertThrows(IllegalArgumentException.class,
                () -> CommandLines.output(commands, "run", "--cycles", "abc"));
        assertTrue(cycles.getMessage().contains("--cycles 'abc': expected a whole number of at least 1, or 'forever'"),
                cycles.getMessage());
        IllegalArgumentException interval = assertThrows(IllegalArgumentException.class,
                () -> CommandLines.output(commands, "run", "--interval", "fast"));
        assertTrue(interval.getMessage().contains("'fast' is not a duration"), interval.getMessage());
        assertTrue(interval.getMessage().contains("Usage: cycle:run"), interval.getMessage());
        IllegalArgumentException unknownOption = assertThrows(IllegalArgumentException.class,
                () -> CommandLines.output(commands, "runs", "--bogus"));
        assertTrue(unknownOption.getMessage().startsWith("cycle:runs: Unknown option: '--bogus'"),
                unknownOption.getMessage());
        IllegalArgumentException missing = assertThrows(IllegalArgumentException.class,
                () -> CommandLines.output(commands, "stop"));
        assertTrue(missing.getMessage().startsWith("cycle:stop: Missing required parameter: 'RUN'"),
                missing.getMessage());
    }

    @Test
    void agentsAreNamedOnceAndNotBlankAndLastIsNotNegative() throws Exception {
        IllegalArgumentException blank = assertThrows(IllegalArgumentException.class,
                () -> CommandLines.output(commands, "run", "--agents", ",", "-n", "1"));
        assertTrue(blank.getMessage().startsWith("cycle:run: --agents names no agent; leave it out to call every "
                + "agent\nUsage: cycle:run"), blank.getMessage());
        IllegalArgumentException empty = assertThrows(IllegalArgumentException.class,
                () -> CommandLines.output(commands, "run", "--agents", ",count", "-n", "1"));
        assertTrue(empty.getMessage().startsWith("cycle:run: --agents: '' is not an agent id\nUsage:"),
                empty.getMessage());
        IllegalArgumentException twice = assertThrows(IllegalArgumentException.class,
                () -> CommandLines.output(commands, "run", "--agents", "count,count", "-n", "1"));
        assertTrue(twice.getMessage().startsWith("cycle:run: --agents: 'count' is named twice\nUsage:"),
                twice.getMessage());
        IllegalArgumentException deadline = assertThrows(IllegalArgumentException.class,
                () -> CommandLines.output(commands, "run", "--deadline", "9999999999999d", "-n", "1"));
        assertTrue(deadline.getMessage().startsWith("cycle:run: Invalid value for option '--deadline': "
                + "'9999999999999d' is too long a duration: at most 3650d\n"), deadline.getMessage());
        assertEquals("no runs\n", CommandLines.output(commands, "runs"), "neither started a run");
        CommandLines.output(commands, "run", "--id", "l", "-n", "1", "-w");
        IllegalArgumentException last = assertThrows(IllegalArgumentException.class,
                () -> CommandLines.output(commands, "show", "l", "-l", "-5"));
        assertTrue(last.getMessage().startsWith("cycle:show: --last must be 0 or more, not -5\nUsage: cycle:show"),
                last.getMessage());
    }

    @Test
    void stopShowsTheRunStoppedNotTheRunningItWasWhenAsked() throws Exception {
        CommandLines.output(commands, "run", "--id", "s", "-n", "forever", "-i", "5ms");
        String stopped = CommandLines.output(commands, "stop", "s");
        assertTrue(stopped.startsWith("run s: stopped, cycles "), stopped);
        assertTrue(CommandLines.output(commands, "show", "s").startsWith("run s: stopped"));
    }

    @Test
    void helpPrintsUsage() throws Exception {
        String text = CommandLines.output(commands, "run", "--help");
        assertTrue(text.startsWith("Usage: cycle:run"), text);
        assertTrue(text.contains("--deadline=DURATION"), text);
    }
}
