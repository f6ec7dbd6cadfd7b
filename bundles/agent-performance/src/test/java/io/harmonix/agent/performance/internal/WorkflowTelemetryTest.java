package io.harmonix.agent.performance.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.harmonix.enhance.api.Finding;
import io.harmonix.workflow.api.InstanceInfo;
import io.harmonix.workflow.api.InstanceState;
import io.harmonix.workflow.api.TaskHandler;
import io.harmonix.workflow.internal.WorkflowEngine;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Workflow telemetry from a real (in-memory) workflow engine: 40 instances of a workflow whose {@code call} task
 * starts needing a retry in most of the last 20, and whose {@code work} task goes from 20 ms to 30 ms.
 */
class WorkflowTelemetryTest {
    private final WorkflowEngine engine = WorkflowEngine.inMemory();

    @AfterEach
    void close() {
        engine.close();
    }

    @Test
    void retriesThatBecameCommonAndASlowerTaskAreFound() throws Exception {
        // fails its first `fails` attempts: a service that became flaky
        TaskHandler flaky = c -> {
            if (c.attempt() <= ((Number) c.input().get("fails")).intValue()) {
                throw new IllegalStateException("attempt " + c.attempt() + " failed on purpose");
            }
            return Map.of("x", c.attempt());
        };
        TaskHandler sleep = c -> {
            Thread.sleep(((Number) c.input().get("ms")).longValue());
            return Map.of("x", 1);
        };
        engine.addHandler("flaky", flaky, List.of("test"), List.of("flaky"));
        engine.addHandler("sleep", sleep, List.of("test"), List.of("sleep"));
        engine.deploy("nightly.yaml", """
                name: nightly
                version: 1
                input:
                  fails: {type: integer}
                  ms: {type: integer}
                tasks:
                  call:
                    component: test
                    action: flaky
                    input: {fails: "${input.fails}"}
                    retry: {attempts: 3, backoff: fixed, delay: 1ms}
                  work:
                    component: test
                    action: sleep
                    input: {ms: "${input.ms}"}
                """);
        for (int i = 0; i < 40; i++) {
            Map<String, Object> input = new HashMap<>();
            input.put("fails", i >= 20 && i % 4 != 0 ? 1 : 0); // 15 of the last 20 need a retry
            input.put("ms", i < 20 ? 20 : 30);
            InstanceInfo done = engine.await(engine.start("nightly", null, input, null).id(), Duration.ofSeconds(30));
            assertEquals(InstanceState.SUCCEEDED, done.state(), done::toString);
        }

        Analyser analyser = new Analyser(Settings.defaults());
        Map<String, Finding> found = new HashMap<>();
        Map<String, Integer> notAnalysed = new HashMap<>();
        for (Series s : new Telemetry(40).workflows(engine)) {
            analyser.analyse(s, notAnalysed).forEach(f -> found.put(f.location().file() + " " + f.ruleId(), f));
        }
        assertEquals(List.of("telemetry/workflow/nightly/call failure-rate-rising",
                "telemetry/workflow/nightly/work duration-regression"), found.keySet().stream().sorted().toList());
        assertTrue(found.get("telemetry/workflow/nightly/call failure-rate-rising").message()
                .contains("15 of the last 20 failed, against 0 of the 20 before"));
        assertEquals(Map.of(), notAnalysed);
    }
}
