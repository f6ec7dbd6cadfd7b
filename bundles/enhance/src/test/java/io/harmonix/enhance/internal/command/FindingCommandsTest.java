package io.harmonix.enhance.internal.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.harmonix.shell.api.CommandLines;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** enhance:findings, enhance:show and enhance:rules over the cycles of real scans. */
class FindingCommandsTest extends ScanTestBase {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Scans, fixes the FIXME, scans again: one finding fixed, two persisting. */
    private void twoScans() throws Exception {
        fx.scan("--target", fx.repo.toString());
        fixTheSum();
        fx.scan("--target", fx.repo.toString());
    }

    private JsonNode findingsJson(String... args) throws Exception {
        List<String> all = new ArrayList<>(List.of(args));
        all.add("--json");
        return JSON.readTree(fx.findings(all.toArray(String[]::new)));
    }

    private String fingerprintOf(String rule) throws Exception {
        for (JsonNode f : findingsJson()) {
            if (f.path("ruleId").asText().equals(rule)) {
                return f.path("fingerprint").asText();
            }
        }
        throw new AssertionError("no finding of rule " + rule);
    }

    @Test
    void findingsListsTheLatestScanAndFiltersIt() throws Exception {
        assertEquals("no recorded enhancement findings: enhance:scan --target PATH makes some\n", fx.findings());
        twoScans();
        String text = fx.findings();
        assertTrue(text.contains("todo: 0 new, 2 persisting, 1 fixed; 2/2 files"), text);
        assertEquals(3, findingsJson().size());
        assertEquals(List.of("fixme"), rules(findingsJson("--status", "fixed")));
        assertEquals(List.of("todo", "todo"), rules(findingsJson("--status", "persisting")));
        assertEquals(List.of(), rules(findingsJson("--status", "new")));
        assertEquals(List.of("fixme"), rules(findingsJson("--severity", "medium")));
        assertEquals(3, findingsJson("--severity", "info", "--agent", "todo").size());
        String firstRun = fx.engine.runs().get(0).runId();
        JsonNode first = findingsJson("--run", firstRun);
        assertEquals(3, first.size());
        first.forEach(f -> assertEquals("new", f.path("status").asText()));
    }

    private static List<String> rules(JsonNode findings) {
        List<String> out = new ArrayList<>();
        findings.forEach(f -> out.add(f.path("ruleId").asText()));
        return out;
    }

    @Test
    void findingsSaysWhatIsWrongWithItsArguments() throws Exception {
        fx.scan("--target", fx.repo.toString());
        IllegalArgumentException run = assertThrows(IllegalArgumentException.class,
                () -> fx.findings("--run", "nope"));
        assertEquals("enhance:findings: unknown run 'nope'; cycle:runs lists the runs", run.getMessage());
        IllegalArgumentException agent = assertThrows(IllegalArgumentException.class,
                () -> fx.findings("--agent", "quality"));
        assertTrue(agent.getMessage().matches("enhance:findings: no agent 'quality' in cycle \\S+:1; its agents: "
                + "todo"), agent.getMessage());
        IllegalArgumentException status = assertThrows(IllegalArgumentException.class,
                () -> fx.findings("--status", "open"));
        assertTrue(status.getMessage().contains("--status"), status.getMessage());
        assertTrue(status.getMessage().contains("Usage: enhance:findings"), status.getMessage());
    }

    @Test
    void showGivesTheFindingItsCodeItsHistoryAndItsFix() throws Exception {
        twoScans();
        String todo = fingerprintOf("todo");
        String text = fx.show(todo.substring(0, 8));
        assertTrue(text.startsWith("finding " + todo + "\n  low todo (todo agent todo), risk low, persisting in "),
                text);
        assertTrue(text.contains("  at " + fx.repo.resolve("a.txt") + ":1\n"), text);
        assertTrue(text.contains("code (a.txt, as the working tree has it now):\n>     1 | TODO write the intro\n"
                + "      2 | all good\n      3 | the sum is right\n"), text);
        assertTrue(text.matches("(?s).*history:\n  RUN\\s+CYCLE\\s+TIME\\s+STATUS\n  \\S+\\s+1\\s+\\S+\\s+new\n"
                + "  \\S+\\s+2\\s+\\S+\\s+persisting\n.*"), text);
        assertTrue(text.contains("proposal: Remove the marker line (removes a finding of rule todo), against commit "
                + fx.git("rev-parse", "HEAD").strip() + "\n--- a/a.txt\n+++ b/a.txt\n@@ -1,2 +1,1 @@\n"
                + "-TODO write the intro\n all good\n"), text);

        JsonNode fixme = JSON.readTree(fx.show(fingerprintOf("fixme"), "--json"));
        assertEquals("fixed", fixme.path("status").asText());
        assertEquals(List.of("new", "fixed"), statuses(fixme.path("history")));
        assertEquals("the sum is right", fixme.at("/excerpt/2/text").asText(), "the line as it is now");
        assertEquals(3, fixme.path("excerpt").size(), "no line after the last line break: " + fixme);
        assertTrue(fixme.at("/proposal/diff").asText().contains("-FIXME the sum is wrong\n"), fixme.toString());
    }

    private static List<String> statuses(JsonNode history) {
        List<String> out = new ArrayList<>();
        history.forEach(h -> out.add(h.path("status").asText()));
        return out;
    }

    @Test
    void showSaysWhenTheFileIsGone() throws Exception {
        fx.scan("--target", fx.repo.toString());
        Files.delete(fx.repo.resolve("src/B.java"));
        String text = fx.show(bJavaFingerprint());
        assertTrue(text.contains("code: the file src/B.java is gone from " + fx.repo + "\n"), text);
    }

    @Test
    void showReadsNoFileThroughALinkThatLeavesTheTarget() throws Exception {
        fx.scan("--target", fx.repo.toString());
        Path outside = Files.writeString(fx.repo.getParent().resolve("credentials"), "password=hunter2\n");
        Files.delete(fx.repo.resolve("src/B.java"));
        Files.createSymbolicLink(fx.repo.resolve("src/B.java"), outside);
        String text = fx.show(bJavaFingerprint());
        assertTrue(text.contains("code: not shown: src/B.java is a link or lies outside the target\n"), text);
        assertFalse(text.contains("hunter2"), text);
    }

    private String bJavaFingerprint() throws Exception {
        for (JsonNode f : findingsJson()) {
            if (f.at("/location/file").asText().equals("src/B.java")) {
                return f.path("fingerprint").asText();
            }
        }
        throw new AssertionError("no finding in src/B.java");
    }

    @Test
    void showRefusesShortUnknownAndAmbiguousFingerprints() throws Exception {
        // the same marker twice in one file: one fingerprint, and the same with "-2", which it is a prefix of
        fx.write("twice.txt", "TODO again\nTODO again\n").commit("twice");
        fx.scan("--target", fx.repo.toString());
        IllegalArgumentException shortOne = assertThrows(IllegalArgumentException.class, () -> fx.show("abc123"));
        assertTrue(shortOne.getMessage().startsWith("enhance:show: FINGERPRINT 'abc123': expected at least 8 hex "
                + "digits"), shortOne.getMessage());
        IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class,
                () -> fx.show("0000000000"));
        assertEquals("enhance:show: no recorded finding has a fingerprint starting with '0000000000'",
                unknown.getMessage());
        String twice = null;
        for (JsonNode f : findingsJson()) {
            if (f.at("/location/file").asText().equals("twice.txt") && f.at("/location/line").asInt() == 1) {
                twice = f.path("fingerprint").asText();
            }
        }
        String prefix = twice;
        IllegalArgumentException ambiguous = assertThrows(IllegalArgumentException.class, () -> fx.show(prefix));
        assertEquals("enhance:show: '" + prefix + "' is ambiguous: 2 fingerprints start with it (" + prefix + ", "
                + prefix + "-2); give more digits", ambiguous.getMessage());
        assertTrue(fx.show(prefix + "-2").contains("  at " + fx.repo.resolve("twice.txt") + ":2\n"));
    }

    @Test
    void rulesListsTheAgentsRulesByIdOrType() throws Exception {
        FindingCommands commands = fx.findings;
        String text = CommandLines.output(commands, "rules", "todo");
        assertTrue(text.matches("RULE\\s+SEVERITY\\s+NAME\\s+DESCRIPTION\ntodo\\s+low\\s+TODO marker\\s+A TODO "
                + "marker: work left undone\nfixme\\s+high\\s+FIXME marker\\s+A FIXME marker: a known defect\n"), text);
        JsonNode json = JSON.readTree(CommandLines.output(commands, "rules", "todo", "--json"));
        assertEquals("Fix the defect the marker describes.", json.at("/1/help").asText());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> CommandLines.output(commands, "rules", "security"));
        assertEquals("enhance:rules: no enhancement agent 'security'; present: todo (todo)", e.getMessage());
    }
}
