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
        assertEquals("succeeded", instance.get("state").asText());
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

    @Test
    void aWorkflowDroppedIntoDeployIsDeployedAnInvalidOneIsNotAndARemovedOneIsWithdrawn() throws Exception {
        PackagedRuntime runtime = PackagedRuntime.copyInto(dir);
        Process shell = runtime.start(dir, "shell");
        PackagedRuntime.Output out = new PackagedRuntime.Output(shell.getInputStream());
        new PackagedRuntime.Output(shell.getErrorStream());
        java.io.Writer in = new java.io.OutputStreamWriter(shell.getOutputStream(),
                java.nio.charset.StandardCharsets.UTF_8);
        try {
            out.await("Welcome to Apache Felix Gogo"); // the prompt itself ends no line
            Path deploy = runtime.home.resolve("deploy");
            Files.writeString(deploy.resolve("hot.yaml"), "name: hot\nversion: 2\ntasks:\n  a: {component: core, "
                    + "action: noop, input: {x: 1}}\noutput: {x: \"${tasks.a.output.x}\"}\n");
            Files.writeString(deploy.resolve("broken.yml"), "name: broken\nversion: 1\ntasks:\n  a: {component: "
                    + "nobody, action: x}\n");
            long end = System.currentTimeMillis() + 20_000;
            Path logFile = runtime.home.resolve("log/harmonix.log");
            while (System.currentTimeMillis() < end && !(Files.exists(logFile)
                    && Files.readString(logFile).contains("workflow hot 2 deployed from"))) {
                Thread.sleep(100);
            }
            in.write("wf:run hot\n");
            in.flush();
            out.await("instance wf-");
            out.await("\"x\" : 1");
            String log = Files.readString(logFile);
            assertTrue(log.contains("workflow file " + deploy.resolve("broken.yml") + " not deployed: 1 problem(s)"),
                    log);
            assertTrue(log.contains("broken.yml:4:7: /tasks/a/component: no task handler serves component "
                    + "'nobody', action 'x'"), log);

            // the deployer restarts (as when its bundle is updated): FileInstall does not hand it hot.yaml again,
            // and the removal must still withdraw what the file deployed
            String deployer = "io.harmonix.workflow.internal.WorkflowDeployer";
            in.write("scr:disable " + deployer + "\n");
            in.flush();
            awaitState(in, out, deployer, "\\A(?s)(?!.*State:\\s+ACTIVE)", end); // SCR keeps saying "Enabled: true"
            in.write("scr:enable " + deployer + "\n");
            in.flush();
            awaitState(in, out, deployer, "State:\\s+ACTIVE", end);
            Files.delete(deploy.resolve("hot.yaml"));
            while (System.currentTimeMillis() < end + 10_000
                    && !Files.readString(logFile).contains("workflow hot 2 withdrawn")) {
                Thread.sleep(100);
            }
            // what is left deployed: the workflows bundles ship (enhancement-validation), and no longer hot
            int before = out.text().length();
            in.write("wf:list\n");
            in.write("echo listed-all\n");
            in.flush();
            out.await("listed-all");
            String listed = out.text().substring(before);
            assertTrue(listed.contains("enhancement-validation"), listed);
            assertTrue(listed.lines().noneMatch(l -> l.startsWith("hot ")), listed);
            in.write("exit 0\n");
            in.flush();
            assertTrue(shell.waitFor(60, java.util.concurrent.TimeUnit.SECONDS));
        } finally {
            shell.destroyForcibly();
        }
    }

    /** Asks scr:info until the component's configuration state matches {@code state} (a regex), or fails at end. */
    private static void awaitState(java.io.Writer in, PackagedRuntime.Output out, String component, String state,
            long end) throws Exception {
        java.util.regex.Pattern wanted = java.util.regex.Pattern.compile(state);
        for (int i = 0; ; i++) {
            int before = out.text().length();
            in.write("scr:info " + component + "\necho asked-" + i + "\n");
            in.flush();
            out.await("asked-" + i);
            String answer = out.text().substring(before);
            if (wanted.matcher(answer).find()) {
                return;
            }
            assertTrue(System.currentTimeMillis() < end + 20_000, component + " never matched " + state + ": "
                    + answer);
            Thread.sleep(200);
        }
    }
}
