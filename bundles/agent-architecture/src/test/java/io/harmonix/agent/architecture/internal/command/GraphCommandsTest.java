package io.harmonix.agent.architecture.internal.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.harmonix.agent.architecture.internal.FixtureAccess;
import io.harmonix.shell.api.CommandLines;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GraphCommandsTest {
    private static final Pattern NODE = Pattern.compile("^  (m\\d+)\\[\"([^\"]+)\"\\]$");
    private static final Pattern LINK = Pattern.compile("^  (m\\d+) (-->|-\\.->)\\|(\\d+)( cut)?\\| (m\\d+)$");
    private static final Pattern STYLE = Pattern.compile("^  linkStyle (\\d+) stroke:red,stroke-width:3px$");

    @TempDir
    Path dir;

    @Test
    void mermaidDrawsModulesEdgesWithCountsAndTheCycleInRed() throws Exception {
        Path root = FixtureAccess.modular(dir);
        String out = CommandLines.output(new GraphCommands(), "graph", root.toString());

        List<String> lines = out.lines().toList();
        assertEquals("%% 1 cycle(s), edges in red, edges to cut dashed:", lines.get(0));
        assertEquals("%% cycle: alpha, beta; cut alpha -> beta (1)", lines.get(1));
        assertEquals("graph LR", lines.get(2));
        Map<String, String> nodes = new LinkedHashMap<>();
        List<String> links = new ArrayList<>();
        List<Integer> red = new ArrayList<>();
        for (String l : lines.subList(3, lines.size())) {
            Matcher n = NODE.matcher(l);
            Matcher e = LINK.matcher(l);
            Matcher s = STYLE.matcher(l);
            if (n.matches()) {
                nodes.put(n.group(1), n.group(2));
            } else if (e.matches()) {
                assertTrue(nodes.containsKey(e.group(1)) && nodes.containsKey(e.group(5)), "declared nodes: " + l);
                links.add(nodes.get(e.group(1)) + " " + e.group(2) + " " + nodes.get(e.group(5)) + " " + e.group(3));
            } else if (s.matches()) {
                red.add(Integer.parseInt(s.group(1)));
            } else {
                throw new AssertionError("not a line of the Mermaid graph: '" + l + "'");
            }
        }
        assertEquals(List.of("fixture-parent", "alpha", "beta").stream().sorted().toList(),
                nodes.values().stream().sorted().toList());
        assertEquals(List.of("alpha -.-> beta 1", "beta --> alpha 2"), links);
        assertEquals(List.of(0, 1), red, "both edges of the cycle are red");
    }

    @Test
    void dotIsValidAndMarksTheCycle() throws Exception {
        Path root = FixtureAccess.modular(dir);
        String dot = CommandLines.output(new GraphCommands(), "graph", root.toString(), "--format", "dot");

        DotCheck.parse(dot);
        assertTrue(dot.contains("\"alpha\" -> \"beta\" [label=\"1\", color=red, penwidth=2, style=\"bold,dashed\"];"),
                dot);
        assertTrue(dot.contains("\"beta\" -> \"alpha\" [label=\"2\", color=red, penwidth=2, style=bold];"), dot);
        assertTrue(dot.startsWith("// 1 cycle(s)"), dot);
        Path binary = graphviz();
        if (binary != null) {
            // the real parser too, where Graphviz is installed
            Process p = new ProcessBuilder(binary.toString(), "-Tsvg").redirectErrorStream(true).start();
            p.getOutputStream().write(dot.getBytes(StandardCharsets.UTF_8));
            p.getOutputStream().close();
            String svg = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(p.waitFor(30, TimeUnit.SECONDS));
            assertEquals(0, p.exitValue(), svg);
        }
    }

    @Test
    void theFixedFixtureHasNoRedEdgeAndJsonListsTheGraph() throws Exception {
        Path root = FixtureAccess.fixed(dir);
        String json = CommandLines.output(new GraphCommands(), "graph", root.toString(), "--format", "DOT",
                "--json");
        JsonNode n = new ObjectMapper().readTree(json);
        assertEquals("dot", n.path("format").asText());
        assertEquals(0, n.path("cycles").size());
        assertEquals(1, n.path("edges").size(), n.path("edges").toString());
        String dot = n.path("graph").asText();
        DotCheck.parse(dot);
        assertTrue(dot.startsWith("// no cycles\n"), dot);
        assertFalse(dot.contains("red"), dot);
    }

    @Test
    void badInputIsRefusedSayingWhatWasExpected() throws Exception {
        Path root = FixtureAccess.fixed(dir);
        IllegalArgumentException format = assertThrows(IllegalArgumentException.class, () -> CommandLines.output(
                new GraphCommands(), "graph", root.toString(), "--format", "svg"));
        assertEquals("enhance:graph: --format must be mermaid or dot; was 'svg'", format.getMessage());
        Path plain = Files.createDirectories(dir.resolve("plain"));
        IllegalArgumentException target = assertThrows(IllegalArgumentException.class, () -> CommandLines.output(
                new GraphCommands(), "graph", plain.toString()));
        assertTrue(target.getMessage().startsWith("enhance:graph: target " + plain + " is not a git repository"),
                target.getMessage());
    }

    private static Path graphviz() {
        for (String d : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            Path p = Path.of(d, "dot");
            if (Files.isExecutable(p)) {
                return p;
            }
        }
        return null;
    }
}
