package io.harmonix.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The console's pages over the other bundles' services, clicked through in a real browser (headless Chromium)
 * against the packaged runtime in run mode: an agent's state history, the index (its namespaces, verify, a proof that
 * is the one {@code index:prove} gives), a wave's instances and what each owns, the fleet with its build health and
 * dependency graph, the backlog ledger and its decisions, a change request with its decision records and diff. The
 * browser's steps are in itests/src/test/browser/console-pages.spec.js; screenshots go to target/screenshots.
 *
 * <p>The data is the README's demo ({@code bin/harmonix demo DIR}: a fleet of three repositories and one controller
 * run over it, which ships the shop's fix and refuses the web upgrade), then, in exec mode on the demo's home, a run
 * of the sample agent (its state each cycle), a small wave of quality agents over a repository of three components
 * added to the fleet (its proposals validated), and a fleet build (the build health: the controller's verifications
 * are not builds); then the demo's home in run mode.
 */
class ConsolePagesBrowserIT {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    void everyNewPageShowsWhatItsServiceHolds() throws Exception {
        PackagedRuntime runtime = PackagedRuntime.copyInto(dir.resolve("install"));
        Path demo = dir.resolve("demo");
        Process made = new ProcessBuilder(runtime.script().toString(), "demo", demo.toString())
                .directory(dir.toFile()).redirectErrorStream(true).start();
        PackagedRuntime.Output madeOut = new PackagedRuntime.Output(made.getInputStream());
        assertTrue(made.waitFor(5, TimeUnit.MINUTES), "the demo did not end within 5 minutes:\n" + madeOut.text());
        assertEquals(0, made.exitValue(), madeOut.rest());
        Map<String, String> demoHome = Map.of("HARMONIX_HOME", demo.resolve("home").toString(), "HARMONIX_DATA",
                demo.resolve("data").toString());

        // a repository of three components joins the demo's fleet, so that its wave's proposals are validated
        Path repo = threeComponents();
        Path fleet = demo.resolve("home/etc/repositories.json");
        String manifest = Files.readString(fleet);
        assertTrue(manifest.endsWith("\n]}\n"), manifest);
        Files.writeString(fleet, manifest.substring(0, manifest.length() - 4) + ",\n  {\"name\": \"three\", "
                + "\"path\": \"" + repo + "\", \"language\": \"shell\", \"build_command\": \"true\", "
                + "\"test_command\": \"true\"}\n]}\n");
        PackagedRuntime.Result more = runtime.execWith(demoHome, "repo:discover; cycle:run --id states-run "
                + "--agents files --cycles 3 --follow; wave:start --target " + repo + " --size small --focus quality "
                + "--cycles 1 --wait; enhance:proposals --await 4m");
        assertEquals(0, more.exit(), more.toString());
        // the fleet build: shop's checked-out commit is the demo's first, whose test fails (its fix shipped to main)
        PackagedRuntime.Result build = runtime.execWith(demoHome, "repo:build");
        assertEquals(1, build.exit(), build.toString());
        assertTrue(build.err().contains("repo:build: 1 repository failed"), build.toString());
        assertTrue(build.out().matches("(?s).*\\nshop +failed .*\\nthree +built .*"), build.toString());

        ProcessBuilder b = new ProcessBuilder(runtime.command("run")).directory(dir.toFile());
        b.environment().putAll(demoHome);
        Process daemon = b.start();
        PackagedRuntime.Output daemonOut = new PackagedRuntime.Output(daemon.getInputStream());
        new PackagedRuntime.Output(daemon.getErrorStream());
        try {
            String base = "http://127.0.0.1:" + runtime.port();
            awaitAnswer(base + "/console/api/fleet", daemonOut);
            // the proof as index:prove gives it (exec hands the command to the daemon holding the data folder)
            PackagedRuntime.Result prove = runtime.execWith(demoHome, "index:prove states-run:2 --json");
            assertEquals(0, prove.exit(), prove.toString());
            JsonNode proof = JSON.readTree(prove.out().substring(prove.out().indexOf('{')));
            List<String> path = new ArrayList<>();
            proof.path("path").forEach(h -> path.add(h.asText()));

            Path shots = Path.of(System.getProperty("harmonix.screenshots", "target/screenshots"));
            String out = BrowserScript.run("console-pages.spec.js", Map.of("BASE", base, "RUN", "states-run",
                    "CYCLE", "states-run:2", "ROOT", proof.path("root").asText(), "LEAF", proof.path("leafHash")
                            .asText(), "LEAF_INDEX", proof.path("leafIndex").asText(), "AUDIT_PATH", String.join(",",
                                    path), "SHOTS", shots.toString()), 10);
            assertTrue(out.contains("all page checks passed"), out);
            for (String page : List.of("states", "index", "namespace-proof", "waves", "wave", "fleet", "repository",
                    "ledger", "ledger-item", "changes", "change", "missing-wave")) {
                assertTrue(Files.size(shots.resolve(page + ".png")) > 1000, page + ".png");
            }
        } finally {
            daemon.destroy(); // SIGTERM: the shutdown hook stops the framework
            assertTrue(daemon.waitFor(60, TimeUnit.SECONDS));
        }
    }

    /** A git repository of three components (a, b, c), each a Java class with an unused private field. */
    private Path threeComponents() throws Exception {
        Path repo = Files.createDirectories(dir.resolve("three"));
        for (String c : List.of("a", "b", "c")) {
            Path src = Files.createDirectories(repo.resolve(c + "/src/main/java/" + c));
            Files.writeString(src.resolve("Part.java"), "package " + c + ";\n\npublic class Part {\n"
                    + "    private int neverRead;\n\n    public int twice(int x) {\n        return x * 2;\n    }\n}\n");
        }
        Path home = Files.createDirectories(dir.resolve("git-home"));
        GitCli.run(home, repo, "init", "-q");
        GitCli.run(home, repo, "add", "-A");
        GitCli.run(home, repo, "-c", "user.name=t", "-c", "user.email=t@example.org", "commit", "-qm", "three");
        return repo;
    }

    /** Waits (at most two minutes) until the console answers 200 at {@code url}. */
    private static void awaitAnswer(String url, PackagedRuntime.Output daemon) throws Exception {
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        long end = System.currentTimeMillis() + 120_000;
        String last = "no answer";
        while (System.currentTimeMillis() < end) {
            try {
                HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create(url))
                        .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
                last = r.statusCode() + " " + r.body();
                if (r.statusCode() == 200) {
                    return;
                }
            } catch (java.io.IOException e) {
                last = e.toString(); // not listening yet
            }
            Thread.sleep(250);
        }
        throw new AssertionError("the console did not answer " + url + " within two minutes: " + last + "\n"
                + daemon.text());
    }
}
