package io.harmonix.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The web console in a real browser (headless Chromium) against the packaged runtime in run mode: a run followed
 * live until its last cycle appears without a reload, a workflow instance's graph changing colour as its tasks
 * end, a finding opened with its code excerpt, a toggle refused without the token and accepted with it, a page for
 * a run that does not exist answered 404. The browser's steps are in itests/src/test/browser/console.spec.js; its
 * screenshots are kept in target/screenshots.
 *
 * <p>The data is made first in exec mode (a daemon takes no commands until the client exists): a quality scan of
 * a planted file (its findings), the workflow {@code gated} whose trigger starts it at cycle 8 of the run, and the
 * run itself, which exec interrupts at its end and run mode resumes. Each task of {@code gated} waits for a file
 * the browser script creates, so the script, not timing, decides when each task ends.
 */
class ConsoleBrowserIT {
    private static final int CYCLES = 100;

    @TempDir
    Path dir;

    @Test
    void theConsoleFollowsARunAndAGraphLiveShowsAFindingAndGuardsTheToggles() throws Exception {
        PackagedRuntime runtime = PackagedRuntime.copyInto(dir);
        Path repo = plantedRepository();
        Path gates = Files.createDirectories(dir.resolve("gates"));
        Path workflow = Files.writeString(dir.resolve("gated.yaml"), gated(gates));
        PackagedRuntime.Result made = runtime.exec("enhance:scan --target " + repo + " --agents quality; "
                + "wf:deploy " + workflow + "; cycle:run --id console-run --agents files --cycles " + CYCLES
                + " --interval 500ms");
        assertEquals(0, made.exit(), made.toString());
        assertTrue(made.out().contains("UnusedPrivateField"), made.toString());

        Process daemon = runtime.start(dir, "run");
        new PackagedRuntime.Output(daemon.getInputStream());
        new PackagedRuntime.Output(daemon.getErrorStream());
        try {
            String base = "http://127.0.0.1:" + runtime.port();
            awaitResumed(base + "/console/api/runs/console-run");
            Path token = runtime.home.resolve("etc/console.token");
            assertEquals(PosixFilePermissions.fromString("rw-------"), Files.getPosixFilePermissions(token),
                    "the console token is readable by its owner only");
            String log = Files.readString(runtime.home.resolve("log/harmonix.log"));
            assertTrue(!log.contains(Files.readString(token).trim()), "the token is never logged");

            Path shots = Path.of(System.getProperty("harmonix.screenshots", "target/screenshots"));
            String out = BrowserScript.run("console.spec.js", Map.of("BASE", base, "TOKEN",
                    Files.readString(token).trim(), "RUN", "console-run", "LAST", String.valueOf(CYCLES),
                    "WORKFLOW", "gated", "GATES", gates.toString(), "TASKS", "a,b,c,d", "FINDING",
                    "Planted.java:6", "EXCERPT", "neverRead", "SHOTS", shots.toString()), 10);
            assertTrue(out.contains("all console checks passed"), out);
            for (String page : List.of("run", "runs", "workflow-before", "workflow", "findings", "finding",
                    "autonomy-refused", "autonomy", "missing-run")) {
                assertTrue(Files.size(shots.resolve(page + ".png")) > 1000, page + ".png");
            }
            assertTrue(out.contains("automergeEnabled true -> false"), out);
            String cfg = Files.readString(runtime.home.resolve("etc/io.harmonix.autonomy.cfg"));
            assertTrue(cfg.contains("automergeEnabled = false"), "the accepted toggle persists:\n" + cfg);
            assertTrue(Files.readString(runtime.home.resolve("log/harmonix.log"))
                    .contains("toggle automergeEnabled true -> false by console"), "and is logged with who");
        } finally {
            daemon.destroy(); // SIGTERM: the shutdown hook stops the framework
            assertTrue(daemon.waitFor(60, TimeUnit.SECONDS));
        }
    }

    /** A git repository with one Java file holding an unused private field (line 6), for the quality agent. */
    private Path plantedRepository() throws Exception {
        Path repo = Files.createDirectories(dir.resolve("repo/src/main/java/demo")).getParent().getParent()
                .getParent().getParent();
        Files.writeString(repo.resolve("src/main/java/demo/Planted.java"), """
                package demo;

                import java.util.List;

                public class Planted {
                    private int neverRead;

                    public int twice(int x) {
                        return x * 2;
                    }
                }
                """);
        Path home = Files.createDirectories(dir.resolve("git-home"));
        GitCli.run(home, repo, "init", "-q");
        GitCli.run(home, repo, "add", "-A");
        GitCli.run(home, repo, "-c", "user.name=t", "-c", "user.email=t@example.org", "commit", "-qm", "planted");
        return repo;
    }

    /** a -> (b, c) -> d; each task ends when the file of its name appears in {@code gates}. */
    private static String gated(Path gates) {
        StringBuilder y = new StringBuilder("""
                name: gated
                version: 1
                description: tasks that each wait for a file, so that a test decides when each ends
                on:
                  - type: harmonix.cycle.completed
                    filter: event.subject == 'console-run' && event.data.cycle == 8
                tasks:
                """);
        for (String[] t : new String[][] {{"a", ""}, {"b", "a"}, {"c", "a"}, {"d", "b, c"}}) {
            y.append("  ").append(t[0]).append(": {component: shell, action: exec, input: {command: [sh, -c, ")
                    .append("\"while [ ! -e ").append(gates.resolve(t[0])).append(" ]; do sleep 0.1; done\"]}")
                    .append(t[1].isEmpty() ? "" : ", depends_on: [" + t[1] + "]").append("}\n");
        }
        return y.toString();
    }

    /** Waits (at most two minutes) until the console answers that the run is running again in run mode. */
    private static void awaitResumed(String url) throws Exception {
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        long end = System.currentTimeMillis() + 120_000;
        String last = "no answer";
        while (System.currentTimeMillis() < end) {
            try {
                HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create(url))
                        .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
                last = r.statusCode() + " " + r.body();
                if (r.statusCode() == 200 && r.body().contains("\"state\":\"RUNNING\"")) {
                    return;
                }
            } catch (java.io.IOException e) {
                last = e.toString(); // not listening yet
            }
            Thread.sleep(250);
        }
        throw new AssertionError("the run was not running again in run mode within two minutes: " + last);
    }
}
