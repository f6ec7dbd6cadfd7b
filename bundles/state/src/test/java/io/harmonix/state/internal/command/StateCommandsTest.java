package io.harmonix.state.internal.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.IntNode;
import io.harmonix.agent.files.FileStatsAgent;
import io.harmonix.cycle.api.Agent;
import io.harmonix.cycle.api.StateStore;
import io.harmonix.shell.api.CommandLines;
import io.harmonix.shell.testing.Commands;
import io.harmonix.state.api.StateAdmin;
import io.harmonix.state.testing.StateFixture;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The state: commands on a real Derby database. */
class StateCommandsTest {
    @TempDir
    java.nio.file.Path dir;

    private StateFixture fixture;
    private final Map<String, Agent> agents = new ConcurrentHashMap<>();
    /** Where the test saves states, as the runner does. */
    private StateStore store;
    /** What the commands read and rewrite. */
    private StateAdmin states;

    @BeforeEach
    void open() throws Exception {
        fixture = StateFixture.open(dir, agents::get);
        store = fixture.states();
        states = fixture.admin();
    }

    @AfterEach
    void close() {
        fixture.close();
    }

    @Test
    void migrateReportsOnADryRunThenRewritesEverything() throws Exception {
        var v1 = new ObjectMapper().readTree("{\"stateVersion\":1,\"directory\":\"/x\",\"files\":3,\"lines\":9,"
                + "\"todos\":0}");
        store.saveState("files", "r", 1, v1);
        store.saveState("files", "r", 2, v1);
        agents.put("files", new FileStatsAgent());

        assertEquals("files v1 -> v2: 2 state(s) to migrate\ndry run: nothing was rewritten\n",
                CommandLines.output(Commands.over(new StateCommands(), states), "migrate", "--dry-run"));
        assertTrue(states.allRaw().stream().allMatch(s -> s.stateVersion() == 1));

        assertEquals("files v1 -> v2: 2 state(s) migrated\n",
                CommandLines.output(Commands.over(new StateCommands(), states), "migrate"));
        assertTrue(states.allRaw().stream().allMatch(s -> s.stateVersion() == 2));

        assertEquals("every stored state is at its agent's current version\n",
                CommandLines.output(Commands.over(new StateCommands(), states), "migrate"));
    }

    @Test
    void migrateRewritesNothingWhenOneStateCannotBeMigrated() throws Exception {
        store.saveState("files", "r", 1, new ObjectMapper().readTree("{\"stateVersion\":1,\"files\":1}"));
        store.saveState("odd", "r", 1, IntNode.valueOf(5)); // saved as version 1 by an agent since gone
        agents.put("files", new FileStatsAgent());
        agents.put("odd", new FileStatsAgent()); // now version 2, and it cannot migrate a number
        // what it printed before failing: run, not output, which answers only a command's success
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> CommandLines.run(
                Commands.over(new StateCommands(), states), "migrate", new PrintStream(bytes, true, StandardCharsets.UTF_8)));
        assertEquals("state:migrate: 1 state(s) cannot be migrated; nothing was rewritten", e.getMessage());
        assertTrue(bytes.toString(StandardCharsets.UTF_8).contains("cannot migrate: state of agent 'odd' (run r "
                + "cycle 1) cannot be migrated from version 1 to 2"));
        assertTrue(states.allRaw().stream().allMatch(s -> s.stateVersion() == 1));
    }

    @Test
    void showAndHistoryNameWhatIsMissing() throws Exception {
        store.saveState("a", "r", 1, IntNode.valueOf(1));
        store.saveState("a", "r", 2, IntNode.valueOf(2));
        assertTrue(CommandLines.output(Commands.over(new StateCommands(), states), "show", "a", "r", "--json")
                .contains("\"cycle\" : 2"));
        IllegalArgumentException missing = assertThrows(IllegalArgumentException.class,
                () -> CommandLines.output(Commands.over(new StateCommands(), states), "show", "a", "r", "9"));
        assertEquals("state:show: no state of agent 'a' in run 'r' at cycle 9; state:list shows what is stored",
                missing.getMessage());
        String history = CommandLines.output(Commands.over(new StateCommands(), states), "history", "a", "r", "--limit", "1");
        assertTrue(history.startsWith("CYCLE  VERSION  DIGEST"), history);
        assertEquals(2, history.lines().count());
        assertTrue(CommandLines.output(Commands.over(new StateCommands(), states), "list")
                .contains("r    a                 2        1       2"));
    }
}
