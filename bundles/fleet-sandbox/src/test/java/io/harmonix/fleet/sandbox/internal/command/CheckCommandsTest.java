package io.harmonix.fleet.sandbox.internal.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.harmonix.fleet.api.CheckRecord;
import io.harmonix.fleet.sandbox.internal.SandboxFixture;
import io.harmonix.shell.api.CommandLines;
import io.harmonix.shell.testing.Commands;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** repo:check over real records of the sandbox. */
class CheckCommandsTest {
    @TempDir
    Path dir;
    private SandboxFixture f;
    private CheckCommands commands;

    @BeforeEach
    void setUp() throws Exception {
        f = new SandboxFixture(dir, SandboxFixture.defaults());
        f.repo.write("build.sh", "i=1; while [ $i -le 30 ]; do echo line $i; i=$((i+1)); done; exit 2\n")
                .commit("one");
        commands = Commands.over(new CheckCommands(), f.checks());
    }

    @AfterEach
    void tearDown() {
        f.close();
    }

    @Test
    void showsARecordWithTheTailOfItsLogOrAllOfIt() throws Exception {
        CheckRecord r = f.run("HEAD", "sh build.sh");
        String out = CommandLines.output(commands, "check", Long.toString(r.id()));
        assertTrue(out.startsWith("check:     " + r.id() + " did not pass\nrepository:app\ncommit:    "
                + f.repo.head() + "\nkind:      build\ncommand:   sh build.sh\n"), out);
        assertTrue(out.contains("exit code: 2\ntimed out: no\nisolation: SANDBOX\nlimits:    memory 536870912 "
                + "bytes, 256 processes\nlog: last 20 of 30 lines (--log for all):\nline 11\n"), out);
        assertTrue(out.endsWith("line 30\n") && !out.contains("line 10\n"), out);
        String all = CommandLines.output(commands, "check", Long.toString(r.id()), "--log");
        assertTrue(all.contains("log:\nline 1\nline 2\n") && all.endsWith("line 30\n"), all);
    }

    @Test
    void jsonHasEveryFieldAndTheLogOnlyWhenAsked() throws Exception {
        CheckRecord r = f.run("no-such-commit", "true");
        JsonNode j = new ObjectMapper().readTree(CommandLines.output(commands, "check", "--json",
                Long.toString(r.id())));
        assertEquals(r.id(), j.get("id").asLong());
        assertEquals("app", j.get("repository").asText());
        assertTrue(j.get("commit").isNull());
        assertFalse(j.get("passed").asBoolean());
        assertTrue(j.get("error").asText().contains("no commit 'no-such-commit'"), j.toString());
        assertEquals("SANDBOX", j.get("isolation").asText());
        assertFalse(j.has("log"));
        JsonNode withLog = new ObjectMapper().readTree(CommandLines.output(commands, "check", "--json", "--log",
                Long.toString(r.id())));
        assertEquals("", withLog.get("log").asText());
    }

    @Test
    void anUnknownIdIsAnErrorNamingTheNewest() throws Exception {
        IllegalArgumentException none = assertThrows(IllegalArgumentException.class,
                () -> CommandLines.output(commands, "check", "7"));
        assertEquals("repo:check: no check 7 (no check was recorded yet)", none.getMessage());
        long id = f.run("HEAD", "true").id();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> CommandLines.output(commands, "check", "99"));
        assertEquals("repo:check: no check 99 (the newest is " + id + ")", e.getMessage());
    }
}
