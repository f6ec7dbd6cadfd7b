package io.harmonix.agent.workflow.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Edits made on the text at the parser's positions: what changes is the field, nothing around it. */
class YamlEditsTest {
    private static WorkflowYaml parse(String yaml) throws IOException {
        return WorkflowYaml.parse("wf.yaml", yaml).orElseThrow();
    }

    private static String setDeps(String yaml, String task, List<String> deps) throws IOException {
        WorkflowYaml d = parse(yaml);
        return YamlEdits.setDeps(d, d.tasks().get(task), deps);
    }

    @Test
    void aBlockListLosesTheLinesOfRemovedEntriesAndGainsNewOnesIndentedAlike() throws IOException {
        String yaml = """
                name: w
                tasks:
                  c:
                    depends_on:
                        - a   # first
                        # a note between entries
                        - b
                    component: t
                """;
        assertEquals("""
                name: w
                tasks:
                  c:
                    depends_on:
                        # a note between entries
                        - b
                        - x
                    component: t
                """, setDeps(yaml, "c", List.of("b", "x")));
    }

    @Test
    void aFlowListIsRewrittenInPlaceWithItsCommentKept() throws IOException {
        String yaml = "name: w\ntasks:\n  c: {action: t, depends_on: [a, \"no\", b]}  # three\n";
        assertEquals("name: w\ntasks:\n  c: {action: t, depends_on: [\"no\", b]}  # three\n",
                setDeps(yaml, "c", List.of("no", "b")), "an id YAML 1.1 reads as a boolean stays quoted");
        assertEquals("name: w\ntasks:\n  c: {action: t, depends_on: []}  # three\n",
                setDeps(yaml, "c", List.of()), "inside a one-line mapping the field stays, empty");
    }

    @Test
    void anEmptiedFieldOnItsOwnLinesGoesWithThem() throws IOException {
        String yaml = "name: w\ntasks:\n  c:\n    depends_on:\n      - a\n    action: t\n";
        assertEquals("name: w\ntasks:\n  c:\n    action: t\n", setDeps(yaml, "c", List.of()));
    }

    @Test
    void positionsCountCharactersNotBytes() throws IOException {
        String yaml = "name: w\ntasks:\n  c: {input: {m: \"héllo ✓\"}, depends_on: [a, x], timeout: \"30s\"}\n";
        assertEquals("name: w\ntasks:\n  c: {input: {m: \"héllo ✓\"}, depends_on: [x], timeout: \"30s\"}\n",
                setDeps(yaml, "c", List.of("x")));
        WorkflowYaml d = parse(yaml);
        assertEquals("name: w\ntasks:\n  c: {input: {m: \"héllo ✓\"}, depends_on: [a, x], timeout: 90ms}\n",
                YamlEdits.setTimeout(d, d.tasks().get("c"), "90ms"));
    }

    @Test
    void readsAreEveryWayAnExpressionNamesATask() throws IOException {
        WorkflowYaml d = parse("""
                name: w
                tasks:
                  c:
                    when: "${tasks.a?.state == 'succeeded'}"
                    input: {x: "${tasks['b'].output.x} and ${tasks . d.error}", y: [1, "${tasks[\\"e\\"].output}"]}
                """);
        assertEquals(java.util.Set.of("a", "b", "d", "e"), d.tasks().get("c").reads());
    }

    @Test
    void yamlThatIsNotAWorkflowIsNoDefinitionAndBrokenYamlSaysWhere() throws IOException {
        assertTrue(WorkflowYaml.parse("ci.yml", "jobs: {}\n").isEmpty());
        IOException e = assertThrows(IOException.class, () -> WorkflowYaml.parse("b.yaml", "name: [\n"));
        assertTrue(e.getMessage().startsWith("b.yaml: not valid YAML"), e.getMessage());
    }
}
