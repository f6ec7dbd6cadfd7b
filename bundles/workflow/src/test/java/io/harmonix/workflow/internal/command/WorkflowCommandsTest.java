package io.harmonix.workflow.internal.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.harmonix.shell.api.CommandLines;
import io.harmonix.shell.testing.Commands;
import io.harmonix.workflow.internal.command.definition.DefinitionCommands;
import io.harmonix.workflow.internal.command.event.EventCommands;
import io.harmonix.workflow.internal.command.instance.InstanceCommands;
import io.harmonix.workflow.internal.WorkflowEngine;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The wf: commands on an engine with a no-op handler. */
class WorkflowCommandsTest {
    @TempDir
    Path dir;

    private WorkflowEngine engine;
    /** Where a command that fails after printing (validate) prints: what it printed is checked too. */
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);

    @BeforeEach
    void setUp() {
        engine = WorkflowEngine.inMemory();
        engine.addHandler("n", ctx -> ctx.input(), List.of("core"), List.of("noop"));
    }

    @AfterEach
    void tearDown() {
        engine.close();
    }



    @Test
    void deployRunAndShowAnInstance() throws Exception {
        Path f = Files.writeString(dir.resolve("w.yaml"), """
                name: w
                version: 3
                input:
                  n: {type: integer}
                tasks:
                  a: {component: core, action: noop, input: {n: "${input.n * 2}"}}
                  b: {component: core, action: noop, input: {}, depends_on: [a], when: "tasks.a.output.n > 100"}
                output:
                  n: ${tasks.a.output.n}
                """);
        assertEquals(f + ": valid\n", CommandLines.output(Commands.over(new DefinitionCommands(), engine), "validate", f.toString()));
        assertEquals("deployed w 3 (2 tasks)\n", CommandLines.output(Commands.over(new DefinitionCommands(), engine), "deploy", f.toString()));
        String ran = CommandLines.output(Commands.over(new InstanceCommands(), engine), "run", "w", "n=21");
        assertTrue(ran.contains("a running\n") && ran.contains("a succeeded ")
                && ran.contains("b skipped (when is false: tasks.a.output.n > 100)"), ran);
        assertTrue(ran.matches("(?s).*instance wf-\\w+ of w 3: succeeded in \\d+ms\n\\{\n  \"n\" : 42\n}\n"), ran);
        String id = engine.instances().get(0).id();
        String shown = CommandLines.output(Commands.over(new InstanceCommands(), engine), "instance", id);
        assertTrue(shown.startsWith(id + " w 3: succeeded\n[##############################] 2/2 tasks\n"), shown);
        assertTrue(shown.matches("(?s).*\nb\\s+skipped\\s+0\\s+when is false.*"), shown);
        String list = CommandLines.output(Commands.over(new DefinitionCommands(), engine), "list");
        assertTrue(list.matches("(?s)NAME\\s+VERSION\\s+TASKS.*\nw\\s+3\\s+2\\s+.*"), list);
    }

    @Test
    void anInstanceThatToleratedAFailureShowsSucceededWithFailuresEverywhere() throws Exception {
        engine.addHandler("f", ctx -> {
            throw new IllegalStateException("disk full");
        }, List.of("core"), List.of("fail"));
        Path f = Files.writeString(dir.resolve("t.yaml"), """
                name: t
                version: 1
                tasks:
                  a: {component: core, action: noop, input: {}}
                  b: {component: core, action: fail, input: {}, on_failure: continue}
                """);
        CommandLines.output(Commands.over(new DefinitionCommands(), engine), "deploy", f.toString());
        String ran = CommandLines.output(Commands.over(new InstanceCommands(), engine), "run", "t");
        assertTrue(ran.matches("(?s).*instance wf-\\w+ of t 1: succeeded with failures \\(task b failed: disk full\\) "
                + "in \\d+ms\n\\{ }\n"), ran);
        String id = engine.instances().get(0).id();
        String shown = CommandLines.output(Commands.over(new InstanceCommands(), engine), "instance", id);
        assertTrue(shown.startsWith(id + " t 1: succeeded with failures (task b failed: disk full)\n"), shown);
        String json = CommandLines.output(Commands.over(new InstanceCommands(), engine), "instance", id, "--json");
        assertTrue(json.contains("\"state\" : \"succeeded\"") && json.contains("\"succeededWithFailures\" : true"),
                json);
        String list = CommandLines.output(Commands.over(new InstanceCommands(), engine), "instances");
        assertTrue(list.matches("(?s).*\n" + id + "\\s+t\\s+1\\s+succeeded with failures\\s+2/2.*"), list);
        String listJson = CommandLines.output(Commands.over(new InstanceCommands(), engine), "instances", "--json");
        assertTrue(listJson.contains("\"succeededWithFailures\" : true"), listJson);
    }

    @Test
    void badInputAndFailuresExitNonZeroWithWhy() throws Exception {
        Path f = Files.writeString(dir.resolve("bad.yaml"), "name: x\nversion: 1\ntasks: {}\n");
        IllegalArgumentException invalid = assertThrows(IllegalArgumentException.class,
                () -> CommandLines.run(Commands.over(new DefinitionCommands(), engine), "validate", out, f.toString()));
        assertEquals(f + ": 1 problem(s)", invalid.getMessage());
        assertTrue(bytes.toString(StandardCharsets.UTF_8).contains("/tasks: must have at least 1 properties"),
                bytes.toString(StandardCharsets.UTF_8));
        IllegalArgumentException missing = assertThrows(IllegalArgumentException.class,
                () -> CommandLines.output(Commands.over(new DefinitionCommands(), engine), "deploy",
                        dir.resolve("none.yaml").toString()));
        assertTrue(missing.getMessage().startsWith("no file "), missing.getMessage());
        IllegalArgumentException kv = assertThrows(IllegalArgumentException.class,
                () -> CommandLines.output(Commands.over(new InstanceCommands(), engine), "run", "x", "n"));
        assertEquals("wf:run: 'n': expected NAME=VALUE", kv.getMessage());
        IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class,
                () -> CommandLines.output(Commands.over(new InstanceCommands(), engine), "run", "nope"));
        assertTrue(unknown.getMessage().startsWith("unknown workflow 'nope'"), unknown.getMessage());
    }

    /** The commands are the @Command methods: the same 16 names in scope wf as when each was a class. */
    @Test
    void everyCommandKeepsItsNameInScopeWf() {
        assertEquals(Set.of("deploy", "graph", "list", "show", "validate"),
                CommandLines.commands(DefinitionCommands.class).keySet());
        assertEquals(Set.of("cancel", "history", "instance", "instances", "pause", "replay", "resume", "retry", "run"),
                CommandLines.commands(InstanceCommands.class).keySet());
        assertEquals(Set.of("emit", "events"), CommandLines.commands(EventCommands.class).keySet());
        for (Class<?> type : List.of(DefinitionCommands.class, InstanceCommands.class, EventCommands.class)) {
            assertEquals("wf", CommandLines.scope(type));
        }
        assertTrue(CommandLines.usage(Commands.over(new InstanceCommands(), engine), "pause")
                .startsWith("Usage: wf:pause [-h] [--json] INSTANCE\n"), "the INSTANCE mixin's parameter");
    }

    /** Commands taking INSTANCE (a mixin) get it per call. */
    @Test
    void instanceCommandsReadTheirInstanceId() throws Exception {
        Path f = Files.writeString(dir.resolve("w.yaml"), """
                name: w
                version: 1
                tasks:
                  a: {component: core, action: noop, input: {}}
                """);
        CommandLines.output(Commands.over(new DefinitionCommands(), engine), "deploy", f.toString());
        String id = CommandLines.output(Commands.over(new InstanceCommands(), engine), "run", "w", "--detach").trim();
        String shown = CommandLines.output(Commands.over(new InstanceCommands(), engine), "instance", id, "--await", "10s");
        assertTrue(shown.startsWith(id + " w 1: succeeded\n"), shown);
        // the in-memory engine keeps no history
        String history = CommandLines.output(Commands.over(new InstanceCommands(), engine), "history", id);
        assertTrue(history.contains("no history for " + id), history);
        IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class,
                () -> CommandLines.output(Commands.over(new InstanceCommands(), engine), "instance", "nope"));
        assertEquals("unknown instance 'nope'", unknown.getMessage());
    }
}
