package io.harmonix.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import io.harmonix.cycle.api.CycleSnapshots;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** End to end: the packaged runtime started as a process and driven through {@code bin/harmonix}. */
class DistributionIT {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private PackagedRuntime runtime;

    @BeforeEach
    void copyDistribution() throws Exception {
        runtime = PackagedRuntime.copyInto(dir);
    }

    @Test
    void execRunsTheCommandsPrintsTheirOutputAndLogsToAFile() throws Exception {
        PackagedRuntime.Result r = runtime.exec("agent:list; cycle:runs");
        assertEquals(0, r.exit(), r.toString());
        assertTrue(r.out().matches("(?s)AGENT\\s+TYPE\\s+BUNDLE.*\\nfiles\\s+sample\\s+io.harmonix.agent.files.*"),
                r.toString());
        assertTrue(r.out().contains("no runs"), r.toString());
        String log = Files.readString(runtime.home.resolve("log/harmonix.log"));
        assertTrue(log.contains("[io.harmonix.runner] runner started"), log);
    }

    @Test
    void aCommandThatUsesNoDatabaseNeitherCreatesNorBootsItAndTheNextOneThatDoesFindsItsSchema() throws Exception {
        Path data = dir.resolve("lazy-data");
        PackagedRuntime.Result listed = runtime.exec("agent:list; index:verify", "--features",
                "harmonix-core,harmonix-samples", "--data", data.toString());
        assertEquals(0, listed.exit(), listed.toString());
        assertFalse(Files.exists(data.resolve("derby")), "no database made for commands that use none");
        String log = Files.readString(data.resolve("log/harmonix.log"));
        assertTrue(log.contains("closed (never booted)"), log);

        // the first command that uses it boots (here creates) it, the components' schemas migrated before it
        PackagedRuntime.Result ran = runtime.exec("cycle:run --id lazy --agents files --cycles 2 --interval 0ms "
                + "--wait; cycle:runs", "--features", "harmonix-core,harmonix-samples", "--data", data.toString());
        assertEquals(0, ran.exit(), ran.toString());
        assertTrue(ran.out().contains("run lazy: completed, cycles 2/2"), ran.toString());
        log = Files.readString(data.resolve("log/harmonix.log"));
        assertTrue(log.contains("schema of state migrated when the database booted: versions [1]"), log);
        assertTrue(log.matches("(?s).*booted in \\d+ ms, first used by \\S+.*"), log);
    }

    @Test
    void withTheDefaultFeaturesACommandThatUsesNoDatabaseBootsNoneAndTheCommandsThatDoFindTheirData()
            throws Exception {
        org.junit.jupiter.api.Assumptions.assumeFalse(RuntimeStore.postgresql(), "Derby's own boot");
        Path data = dir.resolve("default-data");
        PackagedRuntime.Result listed = runtime.exec("agent:list", "--data", data.toString());
        assertEquals(0, listed.exit(), listed.toString());
        assertFalse(Files.exists(data.resolve("derby")), "no database made for a command that uses none");
        assertTrue(Files.readString(data.resolve("log/harmonix.log")).contains("closed (never booted)"));

        // what the start deferred is done at the first use: the shipped workflows are there, the waves recovered,
        // the controller's lease claimed, the backlog read
        PackagedRuntime.Result used = runtime.exec("wf:list; wave:list; autonomy:status; ledger:list; repo:list",
                "--data", data.toString());
        assertEquals(0, used.exit(), used.toString());
        assertTrue(used.out().contains("autonomy-controller") && used.out().contains("enhancement-validation"),
                used.toString());
        assertTrue(used.out().contains("no wave yet"), used.toString());
        assertTrue(used.out().matches("(?s).*leader\\s+\\S+ \\(this runtime\\).*"), used.toString());
        assertTrue(used.out().contains("the backlog is empty"), used.toString());
        // and on a folder with data, the same answers (nothing deployed twice)
        PackagedRuntime.Result again = runtime.exec("wf:list", "--data", data.toString());
        assertEquals(0, again.exit(), again.toString());
        assertEquals(2, again.out().lines().filter(l -> l.contains(" harmonix-1 ")).count(), again.toString());
    }

    /**
     * A damaged template, for real (a data file of the template's database cut short, a byte of its log flipped):
     * the runtime does not copy it, warns naming it, and creates and migrates the database as without a template.
     */
    @Test
    void aDamagedTemplateIsNotCopiedTheDatabaseIsCreatedAndMigratedWithAWarning() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeFalse(RuntimeStore.postgresql(), "Derby's template");
        Path template = runtime.home.resolve("lib/store-template");
        Path largest;
        try (var files = Files.list(template.resolve("derby/seg0"))) {
            largest = files.max(java.util.Comparator.comparingLong(f -> f.toFile().length())).orElseThrow();
        }
        byte[] page = Files.readAllBytes(largest);
        Files.write(largest, java.util.Arrays.copyOf(page, page.length / 2));
        Path log1 = template.resolve("derby/log/log1.dat");
        byte[] log = Files.readAllBytes(log1);
        log[log.length / 2] ^= 0x01;
        Files.write(log1, log);

        PackagedRuntime.Result ran = runtime.exec("cycle:run --id t --agents files --cycles 2 --interval 0ms --wait; "
                + "wf:list; enhance:proposals; store:info");
        assertEquals(0, ran.exit(), ran.toString());
        assertTrue(ran.out().contains("run t: completed, cycles 2/2"), ran.toString());
        assertTrue(ran.out().contains("enhancement-validation"), ran.toString());
        assertFalse(ran.out().contains("failed at the database's boot"), ran.toString());
        String said = Files.readString(runtime.home.resolve("log/harmonix.log"));
        assertTrue(said.contains("WARN") && said.contains("could not be made from the template (the template "
                + template + " is damaged: its file derby/"), said);
        assertFalse(said.contains("copied from the template"), said);
        assertTrue(said.contains("schema of state migrated when the database booted"), said);
        // the database made so is a database like any other: the next start finds its runs
        PackagedRuntime.Result listed = runtime.exec("cycle:runs");
        assertEquals(0, listed.exit(), listed.toString());
        assertTrue(listed.out().contains("completed"), listed.toString());
    }

    @Test
    void aRunOfTheSampleAgentGivesSchemaValidSnapshots() throws Exception {
        PackagedRuntime.Result r = runtime.exec("cycle:run --id e2e --agents files --cycles 3 --interval 10ms "
                + "--wait --json");
        assertEquals(0, r.exit(), r.toString());
        JsonNode run = JSON.readTree(r.out());
        assertEquals("completed", run.get("state").asText());
        assertEquals(3, run.get("snapshots").size());
        Schema schema = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12)
                .getSchema(CycleSnapshots.schema(), InputFormat.JSON);
        for (int i = 0; i < 3; i++) {
            JsonNode s = run.get("snapshots").get(i);
            assertEquals(i + 1, s.get("cycle").asInt());
            assertEquals("ok", s.at("/agents/0/status").asText(), s.toString());
            assertEquals("[]", schema.validate(s).toString(), s.toString());
        }
        // the agent counted the installation folder: at least the cfg files under etc/
        assertTrue(run.at("/snapshots/0/agents/0/metrics/files").asInt() >= 2, r.out());
    }

    @Test
    void theIndexHoldsEveryCycleAndAnswersItsCommands() throws Exception {
        PackagedRuntime.Result r = runtime.exec("cycle:run --id ix --agents files --cycles 5 --interval 0ms --wait; "
                + "index:verify; index:runs; index:prove ix:3 --json; index:consistency 2 5 --json; "
                + "index:replay ix --from 2 --to 4 --json; index:prune --dry-run; index:show ix:5");
        assertEquals(0, r.exit(), r.toString());
        String out = r.out();
        assertTrue(out.contains("local: ok, 5 records"), out);
        assertTrue(out.matches("(?s).*RUN\\s+FIRST\\s+LAST\\s+RECORDS\\s+ix\\s+1\\s+5\\s+5.*"), out);
        assertTrue(out.contains("\"leafIndex\" : 2") && out.contains("\"treeSize\" : 5"), out);
        assertTrue(out.contains("\"oldSize\" : 2") && out.contains("\"newSize\" : 5"), out);
        assertEquals(3, out.lines().filter(l -> l.startsWith("{\"agents\"")).count(), out);
        assertTrue(out.contains("local: nothing to prune"), out);
        assertTrue(out.contains("cycle ix:5: namespace local, record 4"), out);
        assertTrue(Files.exists(runtime.home.resolve("data/index/local/manifests/manifest.json")));

        PackagedRuntime.Result missing = runtime.exec("index:prove ghost:1");
        assertEquals(1, missing.exit(), missing.toString());
        assertTrue(missing.err().contains("no indexed cycle 'ghost:1'"), missing.toString());
    }

    @Test
    void aFailingCommandGivesANonZeroExitAndSaysWhatWasWrong() throws Exception {
        PackagedRuntime.Result bad = runtime.exec("cycle:run --cycles abc");
        assertEquals(1, bad.exit(), bad.toString());
        assertTrue(bad.err().contains("--cycles 'abc': expected a whole number of at least 1, or 'forever'"),
                bad.toString());

        PackagedRuntime.Result unknown = runtime.exec("agent:list; cycle:show ghost; agent:list");
        assertEquals(1, unknown.exit(), unknown.toString());
        assertTrue(unknown.err().contains("unknown run 'ghost'"), unknown.toString());
        assertEquals(1, unknown.out().split("AGENT ", -1).length - 1, "commands after the failure do not run");

        PackagedRuntime.Result noCommand = runtime.exec("nosuch:thing");
        assertEquals(1, noCommand.exit(), noCommand.toString());
        assertTrue(noCommand.err().contains("nosuch:thing"), noCommand.toString());

        PackagedRuntime.Result usage = runtime.run(dir, "exec");
        assertEquals(2, usage.exit(), usage.toString());
        assertTrue(usage.err().contains("exec needs the commands to run"), usage.toString());
    }

    @Test
    void aBundleDroppedIntoDeployJoinsAndRemovingItTakesItAway() throws Exception {
        Path agentJar = HarmonixContainer.jar("io.harmonix.agent.files");
        Process p = runtime.start(runtime.home, "--features", "harmonix-core", "exec",
                "agent:list; agent:await files --timeout 60s; "
                        + "cycle:run --id hot --agents files --cycles 2 --interval 10ms --wait; "
                        + "agent:await files --absent --timeout 60s; agent:list");
        PackagedRuntime.Output out = new PackagedRuntime.Output(p.getInputStream());
        PackagedRuntime.Output err = new PackagedRuntime.Output(p.getErrorStream());
        out.await("no agents");

        Path deployed = runtime.home.resolve("deploy/files-agent.jar");
        Path staging = runtime.home.resolve("deploy/files-agent.jar.part");
        Files.copy(agentJar, staging);
        Files.move(staging, deployed, StandardCopyOption.ATOMIC_MOVE); // FileInstall sees it whole
        out.await("run hot: completed, cycles 2/2");
        Files.delete(deployed);

        assertTrue(p.waitFor(60, TimeUnit.SECONDS), out.text());
        assertEquals(0, p.exitValue(), out.text() + err.text());
        String text = out.text();
        assertTrue(text.contains("agent files present after"), text);
        assertTrue(text.contains("agent files gone after"), text);
        assertTrue(text.trim().endsWith("no agents"), text);
    }

    @Test
    void twoRuntimesSideBySideNeedTwoDataFoldersAndTheScriptWorksFromAnyFolder() throws Exception {
        Path a = dir.resolve("data-a");
        Process first = runtime.start(dir, "--data", a.toString(), "run");
        PackagedRuntime.Output firstOut = new PackagedRuntime.Output(first.getInputStream());
        try {
            firstOut.await("Harmonix running");
            // a second runtime on the same data folder is refused; a one-shot command is handed to the first
            PackagedRuntime.Result clash = runtime.run(dir, "--data", a.toString(), "--features", "harmonix-core",
                    "run");
            assertEquals(1, clash.exit(), clash.toString());
            assertTrue(clash.err().contains("data folder " + a + " is in use by another Harmonix runtime"),
                    clash.toString());
            PackagedRuntime.Result handed = runtime.run(dir, "--data", a.toString(), "exec", "agent:list");
            assertEquals(0, handed.exit(), handed.toString());
            assertTrue(handed.err().contains("exec: handed to the runtime running as pid"), handed.toString());
            assertTrue(handed.out().contains("files"), handed.toString());

            Path other = Files.createDirectories(dir.resolve("elsewhere"));
            Path link = other.resolve("hx");
            Files.createSymbolicLink(link, runtime.script());
            ProcessBuilder viaLink = new ProcessBuilder(link.toString(), "--data", dir.resolve("data-b").toString(),
                    "exec", "agent:list").directory(other.toFile());
            Process second = viaLink.start();
            String out = new String(second.getInputStream().readAllBytes());
            assertTrue(second.waitFor(120, TimeUnit.SECONDS));
            assertEquals(0, second.exitValue(), out);
            assertTrue(out.contains("files"), out);
            assertTrue(Files.exists(dir.resolve("data-b/log/harmonix.log")), "logs go with the data folder");
        } finally {
            first.destroy(); // SIGTERM: the shutdown hook stops the framework
            assertTrue(first.waitFor(60, TimeUnit.SECONDS));
        }
        assertFalse(first.isAlive());
        assertTrue(Files.readString(a.resolve("log/harmonix.log")).contains("runner started"));
    }
}
