package io.harmonix.enhance.internal.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** enhance:scan on a real git repository with a real enhancement agent and a journaled runner. */
class ScanCommandsTest extends ScanTestBase {

    @Test
    void findingsArePrintedGroupedByFileWithASummaryPerAgent() throws Exception {
        String text = fx.scan("--target", fx.repo.toString());
        String a = text.substring(text.indexOf("a.txt\n"), text.indexOf("src/B.java\n"));
        assertTrue(a.matches("(?s)a\\.txt\n  SEVERITY\\s+LINE\\s+RULE\\s+STATUS\\s+AGENT\\s+MESSAGE\n"
                + "  low\\s+1\\s+todo\\s+new\\s+todo\\s+A TODO marker is left in the code\n"
                + "  high\\s+3\\s+fixme\\s+new\\s+todo\\s+A FIXME marker is left in the code\n"), a);
        assertTrue(text.matches("(?s).*src/B\\.java\n  SEVERITY[^\n]*\n  low\\s+2\\s+todo\\s+new\\s.*"), text);
        assertTrue(text.endsWith("todo: 3 new, 0 persisting, 0 fixed; 2/2 files; not analysed: md 1\n"), text);
        assertTrue(!text.contains("notes.md"), "a file the agent does not analyse has no findings: " + text);
    }

    @Test
    void failOnFailsOnlyWhenAFindingIsAtOrAboveIt() {
        ScanFixture.Outcome high = fx.scanOutcome("--target", fx.repo.toString(), "--fail-on", "high", "--fresh");
        assertInstanceOf(IllegalStateException.class, high.failure());
        assertEquals("enhance:scan: 1 finding(s) at or above high (--fail-on high)", high.message());
        assertTrue(high.output().contains("FIXME marker"), "the findings are printed before it fails: "
                + high.output());
        ScanFixture.Outcome low = fx.scanOutcome("--target", fx.repo.toString(), "--fail-on", "LOW", "--fresh");
        assertEquals("enhance:scan: 3 finding(s) at or above low (--fail-on low)", low.message());
        ScanFixture.Outcome critical = fx.scanOutcome("--target", fx.repo.toString(), "--fail-on", "critical",
                "--fresh");
        assertNull(critical.failure(), critical.message());
        assertTrue(critical.output().contains("todo: 3 new"), critical.output());
    }

    @Test
    void badTargetsAreAnsweredClearlyAndStartNothing() throws Exception {
        Path plain = Files.createDirectories(dir.resolve("plain"));
        Path file = Files.writeString(dir.resolve("file.txt"), "x");
        assertBadTarget("target " + dir.resolve("nowhere") + " does not exist", "--target",
                dir.resolve("nowhere").toString());
        assertBadTarget("target " + file + " is not a directory", "--target", file.toString());
        assertBadTarget("target " + plain + " is not a git repository", "--target", plain.toString());
        assertBadTarget("unknown component 'lib' in target " + fx.repo + ": expected a folder inside it",
                "--target", fx.repo.toString(), "--components", "src,lib");
        IllegalArgumentException type = assertThrows(IllegalArgumentException.class,
                () -> fx.scan("--target", fx.repo.toString(), "--agents", "quality"));
        assertEquals("enhance:scan: no enhancement agent of type 'quality'; present: todo (todo)",
                type.getMessage());
        assertEquals(List.of(), fx.engine.runs(), "no run was started");
    }

    private void assertBadTarget(String expected, String... args) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> fx.scan(args));
        assertTrue(e.getMessage().startsWith("enhance:scan: " + expected), e.getMessage());
    }

    @Test
    void componentsLimitTheScan() throws Exception {
        String text = fx.scan("--target", fx.repo.toString(), "--components", "src/");
        assertTrue(text.contains("src/B.java"), text);
        assertTrue(!text.contains("a.txt"), text);
        assertTrue(text.contains("todo: 1 new, 0 persisting, 0 fixed; 1/1 files"), text);
    }

    @Test
    void aFailedAgentIsShownWithItsErrorAndFailsTheScan() throws Exception {
        Files.write(fx.repo.resolve("broken.txt"), new byte[] {'T', 'O', (byte) 0xC3, (byte) 0x28});
        ScanFixture.Outcome out = fx.scanOutcome("--target", fx.repo.toString());
        assertTrue(out.message().startsWith("enhance:scan: todo: failed: "), out.message());
        assertTrue(out.message().contains("MalformedInputException"), out.message());
        assertTrue(out.output().contains("no findings\ntodo: failed: "), out.output());
    }

    @Test
    void aSecondScanReportsFindingsPersistingAndFixedSinceTheFirst() throws Exception {
        String first = fx.scan("--target", fx.repo.toString());
        assertTrue(first.contains("todo: 3 new, 0 persisting, 0 fixed"), first);
        fixTheSum();
        String second = fx.scan("--target", fx.repo.toString());
        assertTrue(second.matches("(?s)run \\S+ cycle 2 \\(since \\S+:1\\)\n.*"), second);
        assertTrue(second.contains("todo: 0 new, 2 persisting, 1 fixed"), second);
        assertTrue(second.matches("(?s).*high\\s+3\\s+fixme\\s+fixed\\s.*"), second);
        String fresh = fx.scan("--target", fx.repo.toString(), "--fresh");
        assertTrue(fresh.contains("todo: 2 new, 0 persisting, 0 fixed"), fresh);
    }

    @Test
    void jsonHoldsTheRunTheAgentsAndTheFindings() throws Exception {
        // progress lines (JSON Lines) may come first; the scan's result is the last document
        List<JsonNode> documents = new ObjectMapper().readerFor(JsonNode.class)
                .<JsonNode>readValues(fx.scan("--target", fx.repo.toString(), "--json")).readAll();
        documents.subList(0, documents.size() - 1).forEach(p -> assertEquals("todo", p.path("agentId").asText()));
        JsonNode json = documents.get(documents.size() - 1);
        assertEquals(1, json.path("cycle").asInt());
        assertEquals("todo", json.at("/agents/0/agentId").asText());
        assertEquals(3, json.at("/agents/0/new").asInt());
        assertEquals(1, json.at("/agents/0/notAnalysed/md").asInt());
        assertEquals(3, json.path("findings").size());
        assertEquals("a.txt", json.at("/findings/0/location/file").asText());
        assertEquals("new", json.at("/findings/0/status").asText());
    }

    @Test
    void progressIsShownAtMostEveryTwoSecondsPerAgent() throws Exception {
        for (int i = 0; i < 6; i++) {
            fx.write("slow/f" + i + ".txt", "line " + i + "\n");
        }
        fx.commit("more files");
        fx.agent.perFile = java.time.Duration.ofMillis(600); // a slow disk: the scan takes about 5 s
        long start = System.nanoTime();
        String text = fx.scan("--target", fx.repo.toString());
        double seconds = (System.nanoTime() - start) / 1e9;
        List<String> progress = text.lines().filter(l -> l.matches("todo: \\d+/8 files")).toList();
        assertTrue(!progress.isEmpty(), text);
        assertTrue(progress.size() <= 1 + (int) (seconds / 2), seconds + " s, " + progress);
        assertTrue(text.indexOf(progress.get(0)) < text.indexOf("run "), "progress comes before the findings");
    }
}
