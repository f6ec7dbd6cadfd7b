package io.harmonix.propagator.internal.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.harmonix.propagator.api.Propagator;
import io.harmonix.propagator.internal.PropagatorTestKit;
import io.harmonix.shell.api.CommandLines;
import io.harmonix.shell.testing.Commands;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The propagate: commands on a real propagator (Derby, index, loopback receiver). */
class PropagateCommandsTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private PropagatorTestKit kit;
    private Propagator propagator;
    private PropagateCommands commands;

    @BeforeEach
    void setUp() throws Exception {
        kit = new PropagatorTestKit(dir);
        propagator = kit.propagator();
        commands = Commands.over(new PropagateCommands(), propagator);
    }

    @AfterEach
    void tearDown() throws Exception {
        kit.close();
    }



    @Test
    void statusEndpointsAttemptsAndTestShowWhatHappened() throws Exception {
        kit.append(3);
        String status = CommandLines.output(commands, "status", "--await-idle", "20s");
        assertTrue(status.matches("(?s)ENDPOINT\\s+STATE\\s+BREAKER\\s+CURSORS\\s+LAG\\s+DELIVERED.*\\n"
                + "e1\\s+idle\\s+closed\\s+\\{local=3}\\s+0\\s+3\\s+0\\s+.*delivered 200.*"), status);
        JsonNode json = JSON.readTree(CommandLines.output(commands, "status", "--json"));
        assertEquals(3, json.get(0).get("delivered").asInt());

        String endpoints = CommandLines.output(commands, "endpoints");
        assertTrue(endpoints.contains("e1") && endpoints.contains(kit.url()) && endpoints.contains("continuous"),
                endpoints);
        assertTrue(!endpoints.contains(PropagatorTestKit.secretValue()), "secrets by name only");

        JsonNode attempts = JSON.readTree(CommandLines.output(commands, "attempts", "e1", "--json"));
        assertEquals(3, attempts.size());
        assertEquals("delivered", attempts.get(0).get("outcome").asText());

        String ping = CommandLines.output(commands, "test", "e1");
        assertTrue(ping.startsWith("ping e1: HTTP 200 in "), ping);
        assertEquals("no dead letters\n", CommandLines.output(commands, "dead"));
    }

    @Test
    void badArgumentsSayWhatWasExpected() {
        IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class,
                () -> CommandLines.output(commands, "attempts", "nope"));
        assertEquals("unknown endpoint 'nope'; endpoints: e1", unknown.getMessage());
        IllegalArgumentException missing = assertThrows(IllegalArgumentException.class,
                () -> CommandLines.output(commands, "redeliver", "e1"));
        assertTrue(missing.getMessage().startsWith("propagate:redeliver: give either a CYCLE-ID or --all-dead"),
                missing.getMessage());
        // the rule the command checks itself reads like picocli's own errors: the usage follows the message
        assertEquals("propagate:redeliver: give either a CYCLE-ID or --all-dead\n"
                + CommandLines.usage(commands, "redeliver"), missing.getMessage());
        assertThrows(IllegalArgumentException.class, () -> CommandLines.output(commands, "redeliver", "e1", "r:1", "--all-dead"));
        IllegalArgumentException noCycle = assertThrows(IllegalArgumentException.class,
                () -> CommandLines.output(commands, "redeliver", "e1", "r:99"));
        assertEquals("cycle 'r:99' is not in the index", noCycle.getMessage());
    }

    @Test
    void pauseAndResume() throws Exception {
        assertEquals("endpoint e1 paused\n", CommandLines.output(commands, "pause", "e1"));
        assertTrue(CommandLines.output(commands, "status").contains("paused"));
        assertEquals("endpoint e1 resumed\n", CommandLines.output(commands, "resume", "e1"));
        assertTrue(propagator.awaitIdle(Duration.ofSeconds(10)));
    }
}
