package io.harmonix.autonomy.internal.command;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.harmonix.autonomy.internal.ledger.Items;
import io.harmonix.autonomy.internal.policy.IndexDecisionLog;
import io.harmonix.autonomy.internal.policy.PolicyStore;
import io.harmonix.index.testing.IndexFixture;
import io.harmonix.shell.api.CommandLines;
import io.harmonix.shell.testing.Commands;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** ledger:policies: the policies in force, and a refused policy file reported while they stay. */
class LedgerPoliciesCommandTest {
    @TempDir
    Path dir;

    @Test
    void showsThePoliciesInForceAndFailsWithTheProblemsOfARefusedFile() throws Exception {
        Path file = dir.resolve("etc/autonomy-policies.yaml");
        try (IndexFixture index = IndexFixture.open(dir.resolve("index"), m -> { })) {
            IndexDecisionLog log = new IndexDecisionLog(index.index(), new PolicyStore(file, m -> { }),
                    new Items.ManualClock("2026-11-26T10:00:00Z"));
            LedgerPoliciesCommand command = Commands.over(new LedgerPoliciesCommand(), log);
            String shown = CommandLines.output(command, "policies");
            assertTrue(shown.contains("P-003") && shown.contains("harmonix@localhost") && shown.contains("G-08"),
                    shown);

            Files.createDirectories(file.getParent());
            Files.writeString(file, "version: 1\npolicies:\n  G-99:\n    title: x\n");
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> CommandLines.run(command,
                    "policies", new PrintStream(out, true, StandardCharsets.UTF_8)));
            assertTrue(e.getMessage().startsWith("ledger:policies: " + file + " was refused: 1 problem(s)"),
                    e.getMessage());
            String printed = out.toString(StandardCharsets.UTF_8);
            assertTrue(printed.contains(file + ":3:3: /policies/G-99: unknown policy id 'G-99'")
                    && printed.contains("P-001"), "the problem, and the defaults still in force:\n" + printed);
        }
    }
}
