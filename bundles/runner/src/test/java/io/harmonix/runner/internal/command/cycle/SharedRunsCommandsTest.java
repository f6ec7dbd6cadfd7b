package io.harmonix.runner.internal.command.cycle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.LongNode;
import io.harmonix.cluster.testing.ClusterFixture;
import io.harmonix.cycle.api.Agent;
import io.harmonix.cycle.api.AgentResult;
import io.harmonix.runner.api.AgentInfo;
import io.harmonix.runner.api.RunRequest;
import io.harmonix.runner.internal.RunEngine;
import io.harmonix.runner.internal.RunnersOnOneDatabase;
import io.harmonix.runner.internal.RunnerSettings;
import io.harmonix.shell.api.CommandLines;
import io.harmonix.shell.testing.Commands;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code cycle:runs} and {@code cycle:show} in a cluster: two runners, each its own node, over one real Derby
 * database. A run the other runtime drives is "running on" that node (the owner of its {@code run:ID} lease), not
 * "interrupted" as the journal alone would say; once that node died and its lease expired, the run shows it.
 */
class SharedRunsCommandsTest {
    private static final Agent COUNT = ctx -> AgentResult.of(LongNode.valueOf(ctx.cycle()));

    @TempDir
    Path dir;

    @RegisterExtension
    final RunnersOnOneDatabase shared = new RunnersOnOneDatabase(() -> dir, id -> id.equals("count") ? COUNT : null);

    /** @param claims whether the runner takes over the runs of runtimes that died */
    private RunEngine runner(ClusterFixture node, boolean claims) {
        return runner(node, claims, 0);
    }

    /** @param maxRuns the runner's room (0: no limit) */
    private RunEngine runner(ClusterFixture node, boolean claims, int maxRuns) {
        RunEngine e = shared.runner(new RunnerSettings(4, Duration.ofSeconds(10), 5, true, maxRuns,
                Duration.ofMillis(100)));
        e.addAgent(new AgentInfo("count", "test", 1, "test"), COUNT, 1);
        e.addRecorder(s -> { }); // a durable run's cycles go to the index too: here, nowhere
        e.shareRuns(node, !claims);
        return e;
    }

    private ClusterFixture node(String id) throws Exception {
        return shared.join(id);
    }

    private static JsonNode runJson(CycleCommands commands, String run) throws Exception {
        for (JsonNode r : new ObjectMapper().readTree(CommandLines.output(commands, "runs", "--json"))) {
            if (r.get("runId").asText().equals(run)) {
                return r;
            }
        }
        throw new AssertionError("cycle:runs lists " + run);
    }

    private static String runLine(CycleCommands commands, String run) throws Exception {
        return CommandLines.output(commands, "runs").lines().filter(l -> l.startsWith(run + " ")).findFirst()
                .orElseThrow(() -> new AssertionError("cycle:runs lists " + run));
    }

    @Test
    void aRunAnotherRuntimeDrivesIsRunningThereAndOnceItsOwnerDiedItsExpiredLeaseShows() throws Exception {
        ClusterFixture nodeA = node("node-a");
        ClusterFixture nodeB = node("node-b");
        RunEngine a = runner(nodeA, true);
        RunEngine b = runner(nodeB, false); // takes nothing over: the run stays where its lease says
        CycleCommands onA = Commands.over(new CycleCommands(), a, nodeA);
        CycleCommands onB = Commands.over(new CycleCommands(), b, nodeB);
        a.start(new RunRequest("r", List.of("count"), RunRequest.UNTIL_STOPPED, Duration.ofMillis(20), null, null));
        long end = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (a.run("r").orElseThrow().completedCycles() < 2) {
            assertTrue(System.nanoTime() < end, "r went on node-a");
            Thread.sleep(5);
        }

        assertTrue(runLine(onB, "r").matches("r\\s+running on node-a\\s+\\d+/forever\\s+count\\s.*"),
                runLine(onB, "r"));
        JsonNode seenByB = runJson(onB, "r");
        assertEquals("running", seenByB.get("state").asText());
        assertEquals("node-a", seenByB.get("node").asText());
        assertEquals(false, seenByB.get("leaseExpired").asBoolean());
        assertEquals(true, seenByB.get("nodeAlive").asBoolean());
        assertTrue(CommandLines.output(onB, "show", "r").startsWith("run r: running on node-a, cycles "),
                CommandLines.output(onB, "show", "r"));

        // where it goes: its own state, and its node in JSON
        assertTrue(runLine(onA, "r").matches("r\\s+running\\s+\\d+/forever\\s.*"), runLine(onA, "r"));
        assertEquals("node-a", runJson(onA, "r").get("node").asText());
        assertEquals(false, runJson(onA, "r").has("leaseExpired"));

        // node-a goes away abruptly: no renewal, no heartbeat; its lease stays until it expires, unclaimed by node-b
        nodeA.close();
        a.close(Duration.ofSeconds(5));
        end = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        JsonNode left = runJson(onB, "r");
        while (!left.get("leaseExpired").asBoolean() || left.get("nodeAlive").asBoolean()) {
            assertTrue(System.nanoTime() < end, "node-a's lease expired and node-a is down: " + left);
            Thread.sleep(100);
            left = runJson(onB, "r");
        }
        assertEquals("interrupted", left.get("state").asText());
        assertEquals("node-a", left.get("node").asText());
        assertTrue(runLine(onB, "r").matches("r\\s+interrupted \\(lease of node-a expired, node down\\)\\s.*"),
                runLine(onB, "r"));
    }

    /**
     * A run started where there was no room ({@code maxRuns}) is offered: so it shows, on the runtime that offered it
     * and on any other, with why, until a runtime with room starts it (here none claims: node-b takes nothing).
     */
    @Test
    void aRunStartedWhereThereWasNoRoomShowsAsOfferedWithWhyEverywhere() throws Exception {
        ClusterFixture nodeA = node("node-a");
        ClusterFixture nodeB = node("node-b");
        RunEngine a = runner(nodeA, true, 1);
        runner(nodeB, false);
        CycleCommands onA = Commands.over(new CycleCommands(), a, nodeA);
        CycleCommands onB = Commands.over(new CycleCommands(), shared.engines().get(1), nodeB);
        a.start(new RunRequest("busy", List.of("count"), RunRequest.UNTIL_STOPPED, Duration.ofMillis(20), null,
                null));
        String started = CommandLines.output(onA, "run", "--id", "waits", "--agents", "count", "--cycles", "3");
        assertTrue(started.startsWith("started run waits: offered, cycles 0/3, agents count"), started);
        assertTrue(started.contains("(no room on node-a (maxRuns 1): the first runtime with room starts it)"),
                started);
        for (CycleCommands on : List.of(onA, onB)) {
            assertTrue(runLine(on, "waits").matches("waits\\s+offered\\s+0/3\\s+count\\s.*"),
                    runLine(on, "waits"));
            JsonNode json = runJson(on, "waits");
            assertEquals("offered", json.get("state").asText());
            assertTrue(json.get("node").isNull(), "nobody holds it: " + json);
            assertTrue(CommandLines.output(on, "show", "waits").startsWith("run waits: offered, cycles 0/3"),
                    CommandLines.output(on, "show", "waits"));
        }
        a.stop("busy");
        assertEquals(io.harmonix.runner.api.RunState.COMPLETED, a.await("waits", Duration.ofSeconds(30)).state(),
                "node-a starts it once busy has ended");
        assertTrue(runLine(onB, "waits").matches("waits\\s+completed\\s+3/3\\s.*"), runLine(onB, "waits"));
    }

    @Test
    void withoutAClusterNodeEveryRunIsTheRunnersOwnAsBefore() throws Exception {
        RunEngine solo = runner(node("solo"), true);
        CycleCommands commands = Commands.over(new CycleCommands(), solo); // no cluster node bound
        solo.start(new RunRequest("s", List.of("count"), 2, Duration.ofMillis(1), null, null));
        solo.await("s", Duration.ofSeconds(30));
        assertTrue(runLine(commands, "s").matches("s\\s+completed\\s+2/2\\s.*"), runLine(commands, "s"));
        assertTrue(runJson(commands, "s").get("node").isNull());
    }
}
