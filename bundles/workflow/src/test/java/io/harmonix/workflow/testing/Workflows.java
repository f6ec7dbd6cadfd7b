package io.harmonix.workflow.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.harmonix.workflow.api.DefinitionInfo;
import io.harmonix.workflow.api.InstanceInfo;
import io.harmonix.workflow.api.InstanceState;
import io.harmonix.workflow.api.TaskInfo;
import io.harmonix.workflow.api.WorkflowService;
import java.time.Duration;
import java.util.Map;

/**
 * What the tests of the engine and of the task handlers do alike with a workflow: run one to its end, and look at
 * the instance it gave. Through {@link WorkflowService} only, so that it serves any engine a test builds.
 */
public final class Workflows {
    private Workflows() {
    }

    /** @return the YAML of workflow {@code name}, version 1, whose {@code body} holds its tasks and what follows */
    public static String v1(String name, String body) {
        return "name: " + name + "\nversion: 1\n" + body;
    }

    /** Deploys the YAML, starts its workflow with {@code input} and waits (30 s at most) for the instance's end. */
    public static InstanceInfo run(WorkflowService workflows, String yaml, Map<String, Object> input)
            throws Exception {
        DefinitionInfo d = workflows.deploy("test.yaml", yaml);
        return workflows.await(workflows.start(d.name(), null, input, null).id(), Duration.ofSeconds(30));
    }

    /** The instance succeeded; its error shows when it did not. */
    public static void assertSucceeded(InstanceInfo i) {
        assertEquals(InstanceState.SUCCEEDED, i.state(), String.valueOf(i.error()));
    }

    /** @return the task {@code id} of the instance (fails when it has none) */
    public static TaskInfo task(InstanceInfo i, String id) {
        return i.tasks().stream().filter(t -> t.id().equals(id)).findFirst().orElseThrow();
    }
}
