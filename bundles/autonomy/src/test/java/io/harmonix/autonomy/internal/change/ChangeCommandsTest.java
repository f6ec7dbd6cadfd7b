package io.harmonix.autonomy.internal.change;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.harmonix.autonomy.api.ChangeRequest;
import io.harmonix.autonomy.api.ChangeState;
import io.harmonix.autonomy.api.Risk;
import io.harmonix.autonomy.internal.command.ChangeCommands;
import io.harmonix.shell.api.CommandLines;
import io.harmonix.shell.testing.Commands;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** change:list, change:show and change:approve as the shell runs them, over real change requests. */
class ChangeCommandsTest extends OnChangeFixture {
    private static final ObjectMapper JSON = new ObjectMapper();
    ChangeCommands commands;

    @BeforeEach
    void setUp() throws Exception {
        commands = Commands.over(new ChangeCommands(), f.changes, f.sandbox().history(), f.decisions);
    }

    @Test
    void listShowAndApprove() throws Exception {
        assertTrue(CommandLines.output(commands, "list").contains("no change requests"));
        ChangeRequest c = f.changes.open(List.of(f.fix("00000000000000a1", "make it fixed", Risk.HIGH, null,
                f.fixDiff(""))), false, "run-1").get(0);
        f.changes.verify(c.id(), "run-1");

        String table = CommandLines.output(commands, "list", "--state", "AWAITING_APPROVAL");
        assertTrue(table.lines().skip(1).findFirst().orElseThrow().matches(" *" + c.id()
                + " +app +AWAITING_APPROVAL +high +1 +harmonix/00000000000000a1 +[0-9a-f]{12} +make it fixed *"),
                table);
        assertTrue(CommandLines.output(commands, "list", "--repo", "other").contains("no change requests match"));

        String show = CommandLines.output(commands, "show", Long.toString(c.id()));
        ChangeRequest v = f.changes.change(c.id()).orElseThrow();
        assertTrue(show.contains("\n  build: green on " + v.verifiedCommit() + " (check #"), show);
        assertTrue(show.contains("\n  test: green on " + v.verifiedCommit()), show);
        assertTrue(show.contains("+fixed"), show);
        JsonNode json = JSON.readTree(CommandLines.output(commands, "show", Long.toString(c.id()), "--json"));
        assertEquals(v.verifiedCommit(), json.get("checks").get(0).get("commit").asText());

        Exception nobody = assertThrows(Exception.class, () -> CommandLines.output(commands, "approve",
                Long.toString(c.id()), "--reason", "read it"));
        assertTrue(nobody.getMessage().contains("this session has no user (exec mode): give your name with --as NAME"),
                nobody.getMessage());
        assertEquals(ChangeState.AWAITING_APPROVAL, f.changes.change(c.id()).orElseThrow().state(),
                "never approved in the runtime's name");
        String approved = CommandLines.output(commands, "approve", Long.toString(c.id()), "--as", "alice",
                "--reason", "read it");
        assertTrue(approved.startsWith("change " + c.id() + " approved by alice: read it (decision "), approved);
        assertTrue(CommandLines.output(commands, "show", Long.toString(c.id())).contains(" approve: allowed - read it"));
        Exception again = assertThrows(Exception.class, () -> CommandLines.output(commands, "approve",
                Long.toString(c.id()), "--as", "alice", "--reason", "twice"));
        assertTrue(again.getMessage().startsWith("change:approve: change request " + c.id() + " is VERIFIED"),
                again.getMessage());
        assertThrows(Exception.class, () -> CommandLines.output(commands, "show", "999"));
    }
}
