package io.harmonix.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Workflows on the packaged runtime: validation errors with their place, deploy, run with real processes. */
class WorkflowIT {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    void aBadFileIsRefusedWithLinesAndColumnsAndAGoodOneRunsAndStaysDeployed() throws Exception {
        PackagedRuntime runtime = PackagedRuntime.copyInto(dir);
        Path bad = Files.writeString(dir.resolve("bad.yaml"), """
                name: bad
                version: 1
                tasks:
                  a: {component: shell, action: exec, input: {command: [true]}, depends_on: [b]}
                  b: {component: shell, action: exec, input: {command: ["${input.nope}"]}, depends_on: [a]}
                  c: {component: nobody, action: x}
                """);
        PackagedRuntime.Result refused = runtime.exec("wf:validate " + bad);
        assertEquals(1, refused.exit(), refused.toString());
        assertTrue(refused.out().contains(bad + ":4:65: /tasks/a/depends_on: dependency cycle: a -> b -> a"),
                refused.toString());
        assertTrue(refused.out().contains(bad + ":5:57: /tasks/b/input/command/0: 'input.nope': unknown input "
                + "'nope'; inputs: none"), refused.toString());
        assertTrue(refused.out().contains(bad + ":6:7: /tasks/c/component: no task handler serves component "
                + "'nobody', action 'x'"), refused.toString());
        assertTrue(refused.err().contains("3 problem(s)"), refused.toString());

        Path example = HarmonixContainer.distribution().resolve("../../../docs/examples/files-report.yaml")
                .normalize();
        PackagedRuntime.Result ran = runtime.exec("wf:deploy " + example + "; wf:run files_report dir=etc "
                + "--json");
        assertEquals(0, ran.exit(), ran.toString());
        JsonNode instance = JSON.readTree(ran.out().substring(ran.out().indexOf('{')));
        assertEquals("SUCCEEDED", instance.get("state").asText());
        JsonNode files = instance.at("/output/files");
        assertTrue(files.size() >= 5, instance.toString());
        assertEquals(files.size(), instance.at("/output/counts").size(), "one count per file");
        assertEquals("0", instance.at("/output/counts/0/exit_code").asText());

        // stored in the runtime's database: there after a restart
        PackagedRuntime.Result listed = runtime.exec("wf:list; wf:show files_report");
        assertEquals(0, listed.exit(), listed.toString());
        assertTrue(listed.out().matches("(?s)NAME\\s+VERSION\\s+TASKS.*files_report\\s+1.0\\s+3.*"), listed.out());
        assertTrue(listed.out().contains("name: files_report"), listed.out());
    }
}
