package io.harmonix.proposals.internal.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.harmonix.proposals.api.Enhancement;
import io.harmonix.proposals.internal.Fixture;
import io.harmonix.proposals.internal.WithFixture;
import io.harmonix.shell.api.CommandLines;
import io.harmonix.shell.testing.Commands;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The enhance: proposal commands over a real ledger, engine and sandbox. */
class ProposalCommandsTest extends WithFixture {
    private ProposalCommands commands;

    @BeforeEach
    void setUp() {
        commands = Commands.over(new ProposalCommands(), fx.api());
    }

    @Test
    void listShowValidateAndStats() throws Exception {
        assertEquals("no enhancement\n", CommandLines.output(commands, "proposals"));
        Enhancement e = fx.submit(fx.unusedImportFix(fx.qualityAgent(), Fixture.REMOVE_MAP_IMPORT));
        Enhancement other = fx.submit(fx.handMade("b", "--- a/x\n+++ b/x\n@@ -1 +1 @@\n-a\n+b\n"));

        String started = CommandLines.output(commands, "validate", Long.toString(e.id()));
        assertTrue(started.startsWith("enhancement " + e.id() + ": validation wf-"), started);
        fx.validate(e.id());

        String list = CommandLines.output(commands, "proposals", "--status", "validated");
        assertTrue(list.lines().count() == 2 && list.contains(" validated ") && list.contains("quality"), list);
        JsonNode all = new ObjectMapper().readTree(CommandLines.output(commands, "proposals", "--json",
                "--wave", "wave-1"));
        assertEquals(2, all.size());
        assertEquals(other.id(), all.get(0).get("id").asLong(), "newest first");
        assertEquals("proposed", all.get(0).get("status").asText());

        String shown = CommandLines.output(commands, "proposal", Long.toString(e.id()));
        assertTrue(shown.startsWith("enhancement:" + e.id() + " validated: validated: prepare, build, tests, agent, "
                + "benchmark passed\n"), shown);
        assertTrue(shown.matches("(?s).*\n  tests      passed +[0-9.]+ s  check \\d+: tests passed in .*"), shown);
        assertTrue(shown.contains("result:     ") && shown.contains(" on harmonix/enhance/" + e.id() + "\n"), shown);
        assertTrue(shown.endsWith("diff:\n" + Fixture.REMOVE_MAP_IMPORT), shown);
        JsonNode j = new ObjectMapper().readTree(CommandLines.output(commands, "proposal", "--json",
                Long.toString(e.id())));
        assertEquals("tests", j.get("validation").get(2).get("name").asText());
        assertTrue(j.get("validation").get(2).get("checkId").isNumber());

        String stats = CommandLines.output(commands, "stats");
        assertTrue(stats.lines().skip(1).findFirst().orElseThrow().matches("quality +UnnecessaryImport +2 +1 +0 +0 "
                + "+0 +100 % +[0-9.]+ s"), stats);
    }

    @Test
    void proposalsAwaitWaitsUntilNoneIsValidating() throws Exception {
        Enhancement e = fx.submit(fx.unusedImportFix(fx.qualityAgent(), Fixture.REMOVE_MAP_IMPORT));
        CommandLines.output(commands, "validate", Long.toString(e.id()));
        // validation builds and tests in the sandbox, seconds: without --await it would be listed validating
        JsonNode listed = new ObjectMapper().readTree(CommandLines.output(commands, "proposals", "--wave", "wave-1",
                "--await", "5m", "--json"));
        assertEquals("validated", listed.get(0).get("status").asText(), listed.toString());
    }

    @Test
    void anAppliedEnhancementWhoseRollbackIsValidatedSaysItWaitsForTheMerge() throws Exception {
        Enhancement e = fx.submit(fx.unusedImportFix(fx.qualityAgent(), Fixture.REMOVE_MAP_IMPORT));
        fx.validate(e.id());
        fx.merge(e.id());
        String proposed = CommandLines.output(commands, "rollback", Long.toString(e.id()));
        long revert = fx.api().enhancement(e.id()).orElseThrow().revertedBy();
        assertTrue(proposed.startsWith("enhancement " + e.id() + ": rollback proposed as enhancement " + revert),
                proposed);
        assertEquals("validated", fx.validate(revert).status().id());

        String waiting = CommandLines.output(commands, "proposal", Long.toString(e.id()));
        assertTrue(waiting.startsWith("enhancement:" + e.id() + " applied: "), waiting);
        assertTrue(waiting.contains("\nrollback:   enhancement " + revert + ", rollback validated: waits on "
                + "harmonix/enhance/" + revert + " to be merged (then this one is rolled_back)\n"), waiting);
        assertEquals("validated", new ObjectMapper().readTree(CommandLines.output(commands, "proposal", "--json",
                Long.toString(e.id()))).get("rollbackStatus").asText());

        fx.merge(revert);
        String done = CommandLines.output(commands, "proposal", Long.toString(e.id()));
        assertTrue(done.startsWith("enhancement:" + e.id() + " rolled_back: rolled back by enhancement " + revert),
                done);
        assertTrue(done.contains("\nrollback:   enhancement " + revert + ", rolled back at "), done);
    }

    @Test
    void wrongIdsStatusesAndStatesAreSaid() throws Exception {
        IllegalArgumentException none = assertThrows(IllegalArgumentException.class,
                () -> CommandLines.output(commands, "proposal", "7"));
        assertEquals("enhance:proposal: no enhancement 7 (none was proposed yet)", none.getMessage());
        IllegalArgumentException status = assertThrows(IllegalArgumentException.class,
                () -> CommandLines.output(commands, "proposals", "--status", "merged"));
        assertTrue(status.getMessage().startsWith("enhance:proposals: --status: status must be one of proposed, "),
                status.getMessage());
        Enhancement e = fx.submit(fx.handMade("a", Fixture.REMOVE_MAP_IMPORT));
        IllegalStateException notApplied = assertThrows(IllegalStateException.class,
                () -> CommandLines.output(commands, "rollback", Long.toString(e.id())));
        assertEquals("enhance:rollback: enhancement " + e.id() + " is proposed: only an applied one is rolled back",
                notApplied.getMessage());
    }
}
