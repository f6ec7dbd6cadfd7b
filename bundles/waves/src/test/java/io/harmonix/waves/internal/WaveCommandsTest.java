package io.harmonix.waves.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.harmonix.shell.api.CommandLines;
import io.harmonix.shell.testing.Commands;
import io.harmonix.waves.api.WaveStatus;
import io.harmonix.waves.internal.command.WaveCommands;
import io.harmonix.waves.internal.command.WaveViewCommands;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WaveCommandsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    @TempDir
    Path dir;
    WaveFixture fx;
    WaveCommands commands;
    WaveViewCommands views;

    @BeforeEach
    void open() throws Exception {
        fx = WaveFixture.open(dir, 8);
        commands = Commands.over(new WaveCommands(), fx.waves);
        views = Commands.over(new WaveViewCommands(), fx.waves);
    }

    @AfterEach
    void close() throws Exception {
        fx.close();
    }

    @Test
    void startWaitingShowsEachInstanceAtWorkThenTheMergedReport() throws Exception {
        // each cycle lasts longer than the command's 200 ms poll, so the poll sees the wave in its first cycle: with
        // agents that take no time the whole wave can end between two polls (it did on PostgreSQL)
        fx.deployment.work = Duration.ofMillis(500);
        String out = CommandLines.output(commands, "start", "--target", fx.repo().toString(), "--size", "large",
                "--components", "alpha,beta,gamma,delta", "--cycles", "2", "--wait");
        assertTrue(out.matches("(?s)quality\\.w-[0-9a-f]{8}-1: (running|cycle 1 of 2)\n.*"), out);
        assertTrue(out.contains(": cycle 1 of 2"), "progress while it runs: " + out);
        assertTrue(out.contains("-1: done\n"), out);
        assertTrue(out.contains("conflicts: 3\n"), "a conflict found again next cycle is recorded once: " + out);
        assertTrue(out.contains("findings (merged by fingerprint): 7"), out);
        assertTrue(out.contains("hack-commit"), out);
        assertTrue(out.contains("severity high over low"), out);
        assertTrue(out.contains("proposals: 3"), out);
    }

    @Test
    void startListShowAgentsAndStopSpeakJson() throws Exception {
        fx.deployment.work = Duration.ofMillis(200);
        JsonNode started = JSON.readTree(CommandLines.output(commands, "start", "--target", fx.repo().toString(),
                "--size", "small", "--focus", "security", "--cycles", "50", "--json"));
        String id = started.path("id").asText();
        assertEquals("security", started.path("focus").asText());
        assertEquals(5, started.path("instances").size());

        JsonNode agents = JSON.readTree(CommandLines.output(views, "agents", "--json"));
        assertEquals(5, agents.size());
        assertTrue(agents.get(0).path("leaseExpiry").asText().endsWith("Z"), agents.toString());
        String table = CommandLines.output(views, "agents");
        assertTrue(table.contains("AGENT") && table.contains("LEASE UNTIL") && table.contains(id), table);

        JsonNode list = JSON.readTree(CommandLines.output(views, "list", "--json"));
        assertEquals(id, list.path("waves").get(0).path("id").asText());
        assertEquals("running", list.path("waves").get(0).path("status").asText());

        String stopped = CommandLines.output(commands, "stop", id);
        assertEquals("wave " + id + " stopped: stopped on request", stopped.strip());
        JsonNode shown = JSON.readTree(CommandLines.output(views, "show", id, "--json"));
        assertEquals("stopped", shown.path("wave").path("status").asText());
        assertEquals(WaveStatus.STOPPED, fx.waves.wave(id).orElseThrow().status());
        assertEquals("no agent instance is active (no wave is running)", CommandLines.output(views, "agents").strip());
    }

    @Test
    void infiniteModeStartsAndStopsBySeries() throws Exception {
        fx.deployment.work = Duration.ofMillis(200);
        JsonNode s = JSON.readTree(CommandLines.output(commands, "infinite", "--target", fx.repo().toString(),
                "--throttle", "2", "--interval", "1h", "--json"));
        String id = s.path("id").asText();
        assertTrue(s.path("lastDecision").asText().startsWith("started w-"), s.toString());
        assertTrue(CommandLines.output(views, "list").contains("infinite mode:"));
        String out = CommandLines.output(commands, "stop", id);
        assertEquals("infinite mode " + id + " stopped after 1 waves", out.strip());
    }

    @Test
    void badArgumentsAreRefusedSayingWhatWasExpected() {
        Exception e = assertThrows(Exception.class, () -> CommandLines.output(commands, "start", "--target",
                fx.repo().toString(), "--size", "medium"));
        assertTrue(e.getMessage().contains("--size: unknown wave size 'medium': expected small, large or infinite"),
                e.getMessage());
        e = assertThrows(Exception.class, () -> CommandLines.output(commands, "start", "--target",
                fx.repo().toString(), "--size", "small", "--focus", "style"));
        assertTrue(e.getMessage().contains("unknown focus 'style'"), e.getMessage());
        e = assertThrows(Exception.class, () -> CommandLines.output(views, "show", "w-nothere"));
        assertTrue(e.getMessage().contains("wave:show: no wave 'w-nothere'"), e.getMessage());
        e = assertThrows(Exception.class, () -> CommandLines.output(commands, "start", "--target",
                dir.resolve("none").toString(), "--size", "small"));
        assertTrue(e.getMessage().startsWith("wave:start: target ") && e.getMessage().contains("does not exist"),
                e.getMessage());
    }
}
