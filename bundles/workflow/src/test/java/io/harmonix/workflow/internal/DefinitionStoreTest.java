package io.harmonix.workflow.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.harmonix.store.testing.DerbyFixture;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Definitions on a real embedded Derby: kept by name and version, loaded again by a new engine. */
class DefinitionStoreTest {
    @TempDir
    Path dir;

    @Test
    void definitionsOutliveTheEngineAndTheLatestVersionIsTheLastDeployed() throws Exception {
        try (DerbyFixture db = DerbyFixture.open(dir)) {
            db.migrator().migrate(DefinitionStore.COMPONENT, DefinitionStore.MIGRATIONS);
            try (WorkflowEngine first = new WorkflowEngine(new DefinitionStore(db.dataSource()))) {
                first.addHandler("n", ctx -> ctx.input(), List.of("core"), List.of("noop"));
                for (String v : List.of("1.0", "2.0", "1.5")) {
                    first.deploy("w" + v + ".yaml", "name: w\nversion: " + v + "\ntasks:\n  a: {component: core, "
                            + "action: noop, input: {v: \"" + v + "\"}}\noutput: {v: \"${tasks.a.output.v}\"}\n");
                }
                first.deploy("again.yaml", "name: w\nversion: 1.0\ndescription: again\ntasks:\n  a: {component: "
                        + "core, action: noop, input: {v: \"1.0\"}}\n");
            }
            try (WorkflowEngine second = new WorkflowEngine(new DefinitionStore(db.dataSource()))) {
                second.addHandler("n", ctx -> ctx.input(), List.of("core"), List.of("noop"));
                assertEquals(List.of("2.0", "1.5", "1.0"), second.definitions().stream().map(d -> d.version())
                        .toList(), "in deployment order; a re-deploy moves to the end");
                assertEquals("1.0", second.definition("w", null).orElseThrow().version());
                assertEquals("again", second.definition("w", null).orElseThrow().description());
                var run = second.start("w", "1.5", Map.of(), null);
                assertEquals("1.5", second.await(run.id(), java.time.Duration.ofSeconds(10)).output().get("v"));
            }
        }
    }
}
