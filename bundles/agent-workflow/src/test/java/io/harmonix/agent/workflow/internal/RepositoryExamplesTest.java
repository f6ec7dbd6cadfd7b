package io.harmonix.agent.workflow.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.harmonix.cycle.api.AgentContext;
import io.harmonix.enhance.api.CycleFindings;
import io.harmonix.enhance.api.FindingCycle;
import io.harmonix.workflow.internal.WorkflowEngine;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The agent over Harmonix's own repository (this build's working tree): its workflow examples are tight, and how
 * long an analysis takes is printed (a figure for the documentation, not asserted: the machine is shared).
 */
class RepositoryExamplesTest {
    @Test
    void harmonixOwnWorkflowExamplesGiveNoFindingAndTheAnalysisIsTimed() throws Exception {
        Path root = Path.of("../..").toAbsolutePath().normalize();
        // the build runs in a clone (CI clones main): a skip here would prove nothing
        assertTrue(Files.exists(root.resolve(".git")), "the build is not in a git working tree: " + root);
        try (WorkflowEngine engine = WorkflowEngine.inMemory()) {
            for (String components : List.of("docs/examples", "")) {
                WorkflowAgent agent = new WorkflowAgent(engine, root, new WorkflowAgent.Scope(root.toString(),
                        List.of(components.split(",")), Settings.defaults()));
                long start = System.nanoTime();
                CycleFindings c = FindingCycle.read(agent.step(new AgentContext("examples", 1, null,
                        JsonNodeFactory.instance.objectNode(), Instant.now().plusSeconds(120))).outputs())
                        .orElseThrow();
                long ms = (System.nanoTime() - start) / 1_000_000;
                System.out.printf("workflow agent over %s: %d ms, %d workflow definitions of %d YAML files, "
                        + "%d findings, not analysed %s%n", components.isEmpty() ? "the whole repository"
                        : components, ms, c.filesAnalysed() - count(c, "yaml ("), c.filesTotal(),
                        c.findings().size(), c.notAnalysed());
                assertEquals(false, c.partial());
                if (components.equals("docs/examples")) {
                    assertTrue(c.findings().isEmpty(), "files-report is tight: " + c.findings());
                } else {
                    c.findings().forEach(f -> System.out.println("  " + f.finding().location() + " "
                            + f.finding().ruleId() + ": " + f.finding().message()));
                }
            }
        }
    }

    private static int count(CycleFindings c, String prefix) {
        return c.notAnalysed().entrySet().stream().filter(e -> e.getKey().startsWith(prefix))
                .mapToInt(java.util.Map.Entry::getValue).sum();
    }
}
