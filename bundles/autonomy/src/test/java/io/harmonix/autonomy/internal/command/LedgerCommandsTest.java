package io.harmonix.autonomy.internal.command;

import static io.harmonix.autonomy.internal.ledger.Items.item;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.harmonix.autonomy.api.BacklogItem;
import io.harmonix.autonomy.api.ItemStatus;
import io.harmonix.autonomy.api.ItemType;
import io.harmonix.autonomy.api.Risk;
import io.harmonix.autonomy.internal.ledger.FileBacklogLedger;
import io.harmonix.autonomy.internal.ledger.Items;
import io.harmonix.shell.api.CommandLines;
import io.harmonix.shell.testing.Commands;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** ledger:validate, ledger:list and ledger:show over a real ledger file. */
class LedgerCommandsTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private FileBacklogLedger ledger;
    private BacklogItem secret;
    private BacklogItem bug;

    @BeforeEach
    void fill() {
        ledger = new FileBacklogLedger(dir.resolve("data/ledger/backlog.json"),
                new Items.ManualClock("2026-11-26T10:00:00Z"));
        secret = ledger.upsert(item("shop", ItemType.SECURITY, "AWS key", 1, Risk.HIGH));
        bug = ledger.upsert(item("billing", ItemType.BUG, "failing test", 2, Risk.LOW));
        ledger.setStatus(bug.id(), ItemStatus.IN_PROGRESS, "decisions-2026-11-26:1", "run-1");
    }

    @Test
    void validateSaysValidOrListsEachProblemWithPointerAndLineAndFails() throws Exception {
        LedgerValidateCommand validate = Commands.over(new LedgerValidateCommand(), ledger);
        assertEquals(ledger.path() + ": valid, 2 item(s)\n", CommandLines.output(validate, "validate"));

        Path copy = dir.resolve("copy.json");
        Files.writeString(copy, Files.readString(ledger.path()).replace("\"risk\" : \"high\"", "\"risk\" : \"huge\"")
                .replace("\"priority\" : 2", "\"priority\" : 0"));
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        IllegalStateException failed = assertThrows(IllegalStateException.class, () -> CommandLines.run(validate,
                "validate", new PrintStream(bytes, true, StandardCharsets.UTF_8), copy.toString()));
        assertTrue(failed.getMessage().startsWith("ledger:validate: " + copy + " is invalid: 2 problem(s)"),
                failed.getMessage());
        String printed = bytes.toString(StandardCharsets.UTF_8);
        assertTrue(printed.contains(copy + ":8:5: /items/0/risk: does not have a value in the enumeration"),
                printed);
        assertTrue(printed.contains(copy + ":21:5: /items/1/priority: must have a minimum value of 1"), printed);

        ByteArrayOutputStream json = new ByteArrayOutputStream();
        assertThrows(IllegalStateException.class, () -> CommandLines.run(validate, "validate",
                new PrintStream(json, true, StandardCharsets.UTF_8), "--json", copy.toString()));
        JsonNode report = JSON.readTree(json.toString(StandardCharsets.UTF_8));
        assertEquals(false, report.get("valid").asBoolean());
        assertEquals("/items/0/risk", report.get("problems").get(0).get("pointer").asText());
        assertEquals(8, report.get("problems").get(0).get("line").asInt());

        IllegalArgumentException missing = assertThrows(IllegalArgumentException.class,
                () -> CommandLines.output(validate, "validate", dir.resolve("nope.json").toString()));
        assertTrue(missing.getMessage().startsWith("ledger:validate: no file "), missing.getMessage());
    }

    @Test
    void validateRefusesAFileOverTheLedgersLimitBeforeReadingIt() throws Exception {
        long size = Files.size(ledger.path());
        FileBacklogLedger small = new FileBacklogLedger(ledger.path(), new Items.ManualClock("2026-11-26T10:00:00Z"),
                size - 1);
        LedgerValidateCommand validate = Commands.over(new LedgerValidateCommand(), small);
        Path copy = Files.copy(ledger.path(), dir.resolve("copy.json"));

        IllegalStateException refused = assertThrows(IllegalStateException.class,
                () -> CommandLines.output(validate, "validate", copy.toString()));
        assertTrue(refused.getMessage().contains(copy + " is refused") && refused.getMessage().contains(size
                + " bytes, over the limit of " + (size - 1)), refused.getMessage());
        assertEquals(copy + ": valid, 2 item(s)\n", CommandLines.output(Commands.over(new LedgerValidateCommand(),
                ledger), "validate", copy.toString()), "under the default limit it is read");
    }

    @Test
    void listFiltersByStatusAndRepository() throws Exception {
        LedgerListCommand list = Commands.over(new LedgerListCommand(), ledger);
        String all = CommandLines.output(list, "list");
        assertTrue(all.indexOf(secret.id()) < all.indexOf(bug.id()), "priority 1 first:\n" + all);
        String inProgress = CommandLines.output(list, "list", "--status", "in_progress");
        assertTrue(inProgress.contains(bug.id()) && !inProgress.contains(secret.id()), inProgress);
        JsonNode shop = JSON.readTree(CommandLines.output(list, "list", "--repo", "shop", "--json"));
        assertEquals(1, shop.size());
        assertEquals(secret.id(), shop.get(0).get("id").asText());
        assertEquals("security", shop.get(0).get("type").asText());
        assertTrue(CommandLines.output(list, "list", "--repo", "none").contains("no backlog item matches"));
        IllegalArgumentException bad = assertThrows(IllegalArgumentException.class,
                () -> CommandLines.output(list, "list", "--status", "finished"));
        assertTrue(bad.getMessage().contains("--status"), bad.getMessage());
    }

    @Test
    void showPrintsEveryFieldAndRefusesAnUnknownId() throws Exception {
        LedgerShowCommand show = Commands.over(new LedgerShowCommand(), ledger);
        String text = CommandLines.output(show, "show", bug.id());
        for (String field : new String[] {"repo:                billing", "status:              in_progress",
                "policy_decision_ref: decisions-2026-11-26:1  (index:prove decisions-2026-11-26:1)",
                "run_id:              run-1", "evidence_links:"}) {
            assertTrue(text.contains(field), field + " in\n" + text);
        }
        JsonNode json = JSON.readTree(CommandLines.output(show, "show", bug.id().substring(0, 6), "--json"));
        assertEquals(bug.id(), json.get("id").asText(), "a unique prefix is enough");
        IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class,
                () -> CommandLines.output(show, "show", "ffffffffffffffff"));
        assertTrue(unknown.getMessage().startsWith("ledger:show: no backlog item 'ffffffffffffffff'"),
                unknown.getMessage());
    }

    @Test
    void aCorruptLedgerIsRefusedByListAndShowWithTheReason() throws Exception {
        Files.writeString(ledger.path(), "{\"version\": 1, \"items\": [");
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> CommandLines.output(Commands.over(new LedgerListCommand(), ledger), "list"));
        assertTrue(e.getMessage().startsWith("ledger:list: the backlog ledger ") && e.getMessage().contains(
                "not valid JSON"), e.getMessage());
    }
}
