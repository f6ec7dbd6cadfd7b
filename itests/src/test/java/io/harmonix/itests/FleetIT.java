package io.harmonix.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The fleet on the packaged runtime: four real git repositories named by etc/repositories.json are discovered,
 * built in dependency order in the sandbox, one is broken by a commit (its dependent is not built, the commit that
 * broke it is named) and fixed by the next (health shows the failure and the recovery); then the runtime is killed
 * with SIGKILL in the middle of a fleet build, and the build, resumed, ends as the uninterrupted one did: the same
 * outcome for each repository, on the same commits.
 *
 * <p>The runtimes boot the features a fleet build is made of, {@value #FEATURES}: the default features' others take
 * no part in it and were most of each of the test's five starts (docs/performance.md "Test suite").
 */
class FleetIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String FEATURES = "harmonix-core,harmonix-workflow,harmonix-fleet";
    // about a second per command: a kill lands while something builds
    private static final String BUILD = "sleep 0.8; echo built";
    private static final String TEST = "sleep 0.3; echo tested";

    @TempDir
    Path dir;

    @Test
    void aFleetIsBuiltInOrderBrokenFixedAndItsBuildResumesAfterAKill() throws Exception {
        PackagedRuntime runtime = PackagedRuntime.copyInto(dir);
        Path repos = Files.createDirectories(dir.resolve("repos"));
        Map<String, List<String>> fleet = new TreeMap<>(Map.of("core", List.of(), "util", List.of("core"),
                "api", List.of("core"), "app", List.of("api", "util")));
        StringBuilder manifest = new StringBuilder("{\"repositories\": [\n");
        for (Map.Entry<String, List<String>> r : fleet.entrySet()) {
            Path repo = Files.createDirectories(repos.resolve(r.getKey()));
            git(repo, "init", "-q", "-b", "main");
            commit(repo, "initial", BUILD);
            manifest.append(manifest.length() > 20 ? ",\n" : "").append("  {\"name\": \"").append(r.getKey())
                    .append("\", \"path\": \"").append(repo).append("\", \"language\": \"shell\", ")
                    .append("\"build_command\": \"sh build.sh\", \"test_command\": \"sh test.sh\", ")
                    .append("\"dependencies\": ").append(JSON.writeValueAsString(r.getValue())).append('}');
        }
        Files.writeString(runtime.home.resolve("etc/repositories.json"), manifest.append("\n]}\n"));
        Files.writeString(runtime.home.resolve("etc/io.harmonix.fleet.cfg"),
                "maxParallel = 2\nretryAttempts = 1\nretryBackoff = 100ms\nfailureThreshold = 3\n");
        String data = dir.resolve("data").toString();

        PackagedRuntime.Result first = runtime.exec("repo:discover; repo:build --json", "--features", FEATURES,
                "--data", data);
        assertEquals(0, first.exit(), first.toString());
        JsonNode built = lastJson(first.out());
        assertEquals("succeeded", built.get("state").asText(), first.toString());
        assertEquals("[[\"core\"],[\"api\",\"util\"],[\"app\"]]", built.get("levels").toString());
        assertEquals(Map.of("api", "built", "app", "built", "core", "built", "util", "built"), outcomes(built));

        Path api = repos.resolve("api");
        String breaking = commit(api, "api: a change that breaks the build", "echo broken >&2; exit 1");
        PackagedRuntime.Result broken = runtime.exec("repo:build --json", "--features", FEATURES, "--data", data);
        assertNotEquals(0, broken.exit(), "a failed repository fails the command: " + broken);
        JsonNode failed = lastJson(broken.out());
        assertEquals(Map.of("api", "failed", "app", "not_built", "core", "built", "util", "built"),
                outcomes(failed));
        assertEquals("not built: depends on api, which failed", repository(failed, "app").get("reason").asText());
        JsonNode located = repository(failed, "api").get("breakingCommit");
        assertEquals(breaking, located.get("commit").asText(), failed.toString());
        assertEquals("api: a change that breaks the build", located.get("subject").asText());

        commit(api, "api: fixed", BUILD);
        PackagedRuntime.Result fixed = runtime.exec("repo:build --json; repo:health --json", "--features", FEATURES,
                "--data", data);
        assertEquals(0, fixed.exit(), fixed.toString());
        JsonNode health = lastJson(fixed.out());
        JsonNode apiHealth = null;
        for (JsonNode h : health) {
            apiHealth = h.get("name").asText().equals("api") ? h : apiHealth;
        }
        // green, broken (tried twice), fixed
        assertTrue(apiHealth != null && apiHealth.get("builds").asInt() == 4, health.toString());
        assertEquals(2, apiHealth.get("buildsPassed").asInt());
        assertEquals(0, apiHealth.get("consecutiveFailures").asInt());
        assertTrue(apiHealth.get("meanTimeToRecoveryMs").asLong() > 0, apiHealth.toString());
        JsonNode calm = firstJson(fixed.out());
        assertEquals("succeeded", calm.get("state").asText());

        // the same build again, killed in its middle: level 0 takes about 1.2 s, the whole about 4 s
        Process p = runtime.start(runtime.home, "--features", FEATURES, "--data", data, "exec",
                "repo:build --no-wait");
        PackagedRuntime.Output out = new PackagedRuntime.Output(p.getInputStream());
        new PackagedRuntime.Output(p.getErrorStream());
        out.await("fleet build wf-");
        Thread.sleep(2000);
        p.destroyForcibly(); // SIGKILL
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        assertEquals(137, p.exitValue(), out.text());
        Matcher m = Pattern.compile("fleet build (wf-[0-9a-f]+)").matcher(out.text());
        assertTrue(m.find(), out.text());
        String instance = m.group(1);

        PackagedRuntime.Result cut = runtime.exec("repo:build --report " + instance + " --json", "--features",
                FEATURES, "--data", data);
        JsonNode interrupted = JSON.readTree(cut.out());
        assertEquals("running", interrupted.get("state").asText(), "the kill met the build: " + cut);

        PackagedRuntime.Result resumed = runtime.exec("wf:resume " + instance + "; repo:build --report " + instance
                + " --timeout 2m --json", "--features", FEATURES, "--data", data);
        assertEquals(0, resumed.exit(), resumed + "\n--- log\n" + log(Path.of(data)));
        JsonNode end = lastJson(resumed.out());
        assertEquals("succeeded", end.get("state").asText(), end.toString());
        assertEquals(outcomes(calm), outcomes(end));
        for (String name : fleet.keySet()) {
            assertEquals(repository(calm, name).get("commit"), repository(end, name).get("commit"), name);
            assertEquals(git(repos.resolve(name), "rev-parse", "HEAD").trim(),
                    repository(end, name).get("commit").asText(), name);
        }
    }

    // the runtime's log, for a failure's message
    private static String log(Path data) throws IOException {
        Path log = data.resolve("log/harmonix.log"); // the log goes with the data folder
        return Files.exists(log) ? Files.readString(log) : "(no " + log + ")";
    }

    private static Map<String, String> outcomes(JsonNode report) {
        Map<String, String> outcomes = new TreeMap<>();
        report.get("repositories").forEach(r -> outcomes.put(r.get("name").asText(), r.get("outcome").asText()));
        return outcomes;
    }

    private static JsonNode repository(JsonNode report, String name) {
        for (JsonNode r : report.get("repositories")) {
            if (r.get("name").asText().equals(name)) {
                return r;
            }
        }
        throw new AssertionError("no " + name + " in " + report);
    }

    // The output of a script of commands with --json: each pretty JSON value starts at the beginning of a line.
    private static List<JsonNode> values(String out) throws IOException {
        List<JsonNode> values = new ArrayList<>();
        for (String part : out.split("(?m)^(?=[\\[{])")) {
            if (part.startsWith("{") || part.startsWith("[")) {
                values.add(JSON.readTree(part));
            }
        }
        return values;
    }

    private static JsonNode lastJson(String out) throws IOException {
        List<JsonNode> values = values(out);
        assertTrue(!values.isEmpty(), out);
        return values.get(values.size() - 1);
    }

    private static JsonNode firstJson(String out) throws IOException {
        return values(out).get(0);
    }

    private String commit(Path repo, String subject, String build) throws Exception {
        Files.writeString(repo.resolve("build.sh"), "#!/bin/sh\nset -e\n" + build + "\n");
        Files.writeString(repo.resolve("test.sh"), "#!/bin/sh\nset -e\n" + TEST + "\n");
        git(repo, "add", "-A");
        git(repo, "-c", "user.name=Ada Lovelace", "-c", "user.email=ada@example.org", "commit", "-q", "-m", subject);
        return git(repo, "rev-parse", "HEAD").trim();
    }

    private String git(Path repo, String... arguments) throws Exception {
        return GitCli.run(dir, repo, arguments);
    }
}
