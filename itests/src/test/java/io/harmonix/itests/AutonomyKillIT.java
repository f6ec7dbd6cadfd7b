package io.harmonix.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A controller run killed with SIGKILL as each phase begins (THINK, ACT, VERIFY, SHIP, LEARN), the runtime started
 * again each time in run mode (which resumes interrupted workflow instances): the run ends completed, its one
 * low-risk fix shipped once (main one commit ahead, no second ship), the ledger valid, its document written.
 */
class AutonomyKillIT {
    @TempDir
    Path dir;

    @Test
    void killedAtEachPhaseBoundaryTheRunResumesThereAndShipsOnce() throws Exception {
        PackagedRuntime runtime = PackagedRuntime.copyInto(dir);
        Path shop = Files.createDirectories(dir.resolve("repos/shop"));
        write(shop, "app.txt", "status: broken\n");
        write(shop, "build.sh", "#!/bin/sh\ntrue\n");
        write(shop, "test.sh", "#!/bin/sh\nsleep 1\ngrep -q fixed app.txt\n");
        write(shop, ".harmonix/fixes/status.diff", "--- a/app.txt\n+++ b/app.txt\n@@ -1 +1 @@\n-status: broken\n"
                + "+status: fixed\n");
        write(shop, ".harmonix/tasks.json", "{\"tasks\": [{\"title\": \"Make AppTest pass\", \"type\": \"bug\", "
                + "\"risk\": \"low\", \"patch\": \".harmonix/fixes/status.diff\"}]}\n");
        git(shop, "init", "-q", "-b", "main");
        git(shop, "add", "-A");
        git(shop, "-c", "user.name=Ada Lovelace", "-c", "user.email=ada@example.org", "commit", "-q", "-m", "initial");
        String before = git(shop, "rev-parse", "HEAD").strip();
        Files.writeString(runtime.home.resolve("etc/repositories.json"), "{\"repositories\": [{\"name\": \"shop\", "
                + "\"path\": \"" + shop + "\", \"build_command\": \"sh build.sh\", \"test_command\": \"sh test.sh\"}]}\n");
        // scans are not what this test is about: no agent types to wait for; the runtime's rule (not the tasks
        // file) makes the task low risk, so that it ships by itself
        Files.writeString(runtime.home.resolve("etc/io.harmonix.autonomy.cfg"), "scanAgents = \nschedule = \n"
                + "scoringRules = task=3/low\n");

        PackagedRuntime.Result started = runtime.exec("repo:discover; autonomy:run --detach --json");
        assertEquals(0, started.exit(), started.toString());
        String id = AutonomyIT.lastJson(started.out()).path("id").asText();
        Path log = runtime.home.resolve("log/harmonix.log");

        List<String> kills = new ArrayList<>();
        for (String phase : List.of("THINK", "ACT", "VERIFY", "SHIP", "LEARN")) {
            Process p = runtime.start(dir, "run");
            new PackagedRuntime.Output(p.getInputStream());
            new PackagedRuntime.Output(p.getErrorStream());
            String line = "autonomy: run " + id + ": " + phase;
            long until = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
            while (!(Files.exists(log) && Files.readString(log).contains(line)) && System.nanoTime() < until) {
                Thread.sleep(20);
            }
            p.destroyForcibly(); // SIGKILL
            assertTrue(p.waitFor(30, TimeUnit.SECONDS));
            assertEquals(137, p.exitValue());
            kills.add("killed as " + phase + " began");
            assertTrue(Files.readString(log).contains(line), line + " never came: " + kills);
        }
        Process last = runtime.start(dir, "run");
        new PackagedRuntime.Output(last.getInputStream());
        new PackagedRuntime.Output(last.getErrorStream());
        long until = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
        while (!Files.readString(log).contains("autonomy: run " + id + " completed") && System.nanoTime() < until) {
            Thread.sleep(50);
        }
        last.destroy();
        assertTrue(last.waitFor(60, TimeUnit.SECONDS));

        PackagedRuntime.Result after = runtime.exec("ledger:validate; autonomy:status --json");
        assertEquals(0, after.exit(), kills + "\n" + after);
        JsonNode run = AutonomyIT.lastJson(after.out()).path("lastRuns").get(0);
        assertEquals(id, run.path("id").asText(), run.toString());
        assertEquals("completed", run.path("state").asText(), kills + "\n" + run);
        assertTrue(Files.isRegularFile(Path.of(run.path("document").asText())), run.toString());
        assertEquals("1", git(shop, "rev-list", "--count", before + "..refs/heads/main").strip(),
                "shipped once, whatever the kills: " + kills);
        assertEquals("status: fixed\n", git(shop, "show", "refs/heads/main:app.txt"));
    }

    private static void write(Path repo, String file, String text) throws Exception {
        Path f = repo.resolve(file);
        Files.createDirectories(f.getParent());
        Files.writeString(f, text);
    }

    private String git(Path repo, String... arguments) throws Exception {
        return GitCli.run(dir, repo, arguments);
    }
}
