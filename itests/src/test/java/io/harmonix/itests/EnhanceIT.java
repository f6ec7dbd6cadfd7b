package io.harmonix.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.harmonix.enhance.testing.SarifMultitool;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The enhancement agents on the packaged runtime, over a copy of Harmonix's own sources at a fixed commit with a few
 * planted problems: findings with file and line from both agents, the same fingerprints in a second scan (all
 * persisting), a proposal applied with git that makes its finding fixed in the next scan, a SARIF export the official
 * validator accepts, and no secret value anywhere: not in what the commands print, the SARIF file, the log, or any
 * file of the data folder (Derby, the index).
 */
class EnhanceIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** The commit of Harmonix whose sources are scanned (on main; a clone without it uses HEAD, and says so). */
    private static final String FIXED_COMMIT = "19382ad";
    // test secrets, made for this test (not real credentials); split so that no scanner flags this source file
    private static final String AWS_KEY = "AKIA" + "QYLPMN5HHHFPZAM2";
    private static final String GITHUB_TOKEN = "ghp_" + "p7Hc2Lq9Zx4Rt6Vb1Nm8Kd3Fs5Gw0Jy2Ue4A";

    @TempDir
    Path dir;

    @Test
    void scansHarmonixTwiceFixesAProposalAndExportsValidSarifWithoutASecret() throws Exception {
        Path target = harmonixCopy();
        PackagedRuntime runtime = PackagedRuntime.copyInto(dir);
        List<String> printed = new ArrayList<>();
        // an instance by factory configuration, as docs/agents.md shows: its id is type.name
        Files.writeString(runtime.home.resolve("etc/io.harmonix.agent.security-harmonix.cfg"), "target = "
                + target + "\n");
        PackagedRuntime.Result agents = exec(runtime, printed, "agent:list");
        assertTrue(agents.out().contains("security.harmonix"), agents.toString());

        String scan = "enhance:scan --target " + target + " --agents quality,security --json";
        PackagedRuntime.Result imported = exec(runtime, printed, "enhance:advisories import examples/advisories");
        assertEquals(0, imported.exit(), imported.toString());
        PackagedRuntime.Result first = exec(runtime, printed, scan);
        assertEquals(0, first.exit(), first.toString());
        JsonNode one = last(first.out());
        Map<String, JsonNode> found = byFingerprint(one);
        assertTrue(found.values().stream().allMatch(f -> f.path("status").asText().equals("new")), one.toString());
        assertFinding(found, "quality", "bundles/agent-files/src/main/java/io/harmonix/agent/files/Planted.java");
        assertFinding(found, "security", "bundles/agent-files/src/main/resources/planted.properties");
        assertFinding(found, "security", "bundles/agent-files/pom.xml");
        assertTrue(found.values().stream().allMatch(f -> f.at("/location/line").asInt() >= 1), one.toString());

        PackagedRuntime.Result second = exec(runtime, printed, scan);
        assertEquals(0, second.exit(), second.toString());
        Map<String, JsonNode> again = byFingerprint(last(second.out()));
        assertEquals(found.keySet(), again.keySet(), "the same fingerprints in the second scan");
        assertTrue(again.values().stream().allMatch(f -> f.path("status").asText().equals("persisting")),
                again.toString());

        // the code around a secret is not shown: the lines would hold it
        String aSecret = found.values().stream().filter(f -> f.path("ruleId").asText().startsWith("secrets/"))
                .map(f -> f.path("fingerprint").asText()).findFirst().orElseThrow(() -> new AssertionError(
                        "no secret found: " + found.values()));
        PackagedRuntime.Result secretShown = exec(runtime, printed, "enhance:show " + aSecret);
        assertEquals(0, secretShown.exit(), secretShown.toString());
        assertTrue(secretShown.out().contains("code: not shown: a finding of the security agent"),
                secretShown.toString());

        // the proposal of the unused import: applied with git on the copy, committed; the next scan reports it fixed
        String unused = found.values().stream()
                .filter(f -> f.path("agentType").asText().equals("quality")
                        && f.path("ruleId").asText().contains("Import"))
                .map(f -> f.path("fingerprint").asText()).findFirst().orElseThrow(() -> new AssertionError(
                        "no unused-import finding: " + found.values()));
        PackagedRuntime.Result shown = exec(runtime, printed, "enhance:show " + unused + " --json");
        assertEquals(0, shown.exit(), shown.toString());
        String diff = last(shown.out()).at("/proposal/diff").asText();
        assertFalse(diff.isEmpty(), shown.toString());
        Path patch = Files.writeString(dir.resolve("fix.patch"), diff);
        git(target, "apply", "--check", patch.toString());
        git(target, "apply", patch.toString());
        git(target, "commit", "-q", "-am", "apply the proposal");

        PackagedRuntime.Result third = exec(runtime, printed, scan);
        assertEquals(0, third.exit(), third.toString());
        JsonNode after = last(third.out());
        assertEquals("fixed", byFingerprint(after).get(unused).path("status").asText(), after.toString());

        PackagedRuntime.Result exported = exec(runtime, printed, "enhance:findings --sarif "
                + dir.resolve("findings.sarif"));
        assertEquals(0, exported.exit(), exported.toString());

        SarifMultitool.Report report = SarifMultitool.validate(dir.resolve("findings.sarif"));
        assertEquals(List.of(), report.errors(), report.console());

        // no secret value anywhere the runtime writes
        StringBuilder everything = new StringBuilder(String.join("\n", printed));
        everything.append(Files.readString(dir.resolve("findings.sarif")));
        try (Stream<Path> files = Files.walk(Files.createDirectories(runtime.home.resolve("log")))) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                everything.append(Files.readString(f));
            }
        }
        for (String secret : List.of(AWS_KEY, GITHUB_TOKEN)) {
            assertFalse(everything.toString().contains(secret), "the secret is in an output");
            try (Stream<Path> files = Files.walk(runtime.home.resolve("data"))) {
                for (Path f : files.filter(Files::isRegularFile).toList()) {
                    assertFalse(contains(Files.readAllBytes(f), secret.getBytes(StandardCharsets.UTF_8)),
                            "the secret is in " + f);
                }
            }
        }
    }

    /**
     * All five agent types in one run of three cycles over the copy of Harmonix and over the runtime's own telemetry
     * (the performance agent reads the runner's cycles and the JVM): every type's findings are in the index, which
     * verifies, and their SARIF export is valid.
     */
    @Test
    void aRunOfTheFiveAgentTypesLeavesTheirFindingsInAnIndexThatVerifies() throws Exception {
        Path target = harmonixCopy();
        PackagedRuntime runtime = PackagedRuntime.copyInto(dir);
        List<String> printed = new ArrayList<>();
        PackagedRuntime.Result run = exec(runtime, printed, "cycle:run --id all --cycles 3 --interval 0ms "
                + "--deadline 2m --input target=" + target + " --wait");
        assertEquals(0, run.exit(), run.toString());
        assertTrue(run.out().contains("run all: completed, cycles 3/3"), run.out());

        PackagedRuntime.Result replay = exec(runtime, printed, "index:replay all --json; index:verify");
        assertEquals(0, replay.exit(), replay.toString());
        assertTrue(replay.out().contains("local: ok, 3 records"), replay.out());
        String lastCycle = replay.out().lines().filter(l -> l.startsWith("{")).reduce((a, b) -> b).orElseThrow();
        JsonNode cycle = JSON.readTree(lastCycle);
        for (String type : List.of("quality", "security", "architecture", "workflow", "performance")) {
            assertTrue(cycle.toString().contains("\"agentType\":\"" + type + "\""), "no " + type
                    + " outputs in the indexed cycle: " + lastCycle);
        }
        assertTrue(cycle.toString().contains("\"findings\":[{"), "findings in the index: " + lastCycle);

        Path sarif = dir.resolve("all.sarif");
        PackagedRuntime.Result exported = exec(runtime, printed, "enhance:findings --run all --sarif " + sarif);
        assertEquals(0, exported.exit(), exported.toString());
        JsonNode log = JSON.readTree(sarif.toFile());
        assertEquals(5, log.path("runs").size(), "one SARIF run per agent: " + log.path("runs"));
        SarifMultitool.Report report = SarifMultitool.validate(sarif);
        assertEquals(List.of(), report.errors(), report.console());
        assertFalse(String.join("\n", printed).contains(AWS_KEY), "no secret in what the commands printed");
    }

    private PackagedRuntime.Result exec(PackagedRuntime runtime, List<String> printed, String script)
            throws Exception {
        PackagedRuntime.Result r = runtime.exec(script);
        printed.add(r.out());
        printed.add(r.err());
        return r;
    }

    /**
     * The sources of two bundles of Harmonix at {@link #FIXED_COMMIT}, as a repository of their own, with planted
     * problems: an unused import, a weak hash, two secrets, and a vulnerable dependency.
     */
    private Path harmonixCopy() throws Exception {
        Path project = Path.of(System.getProperty("harmonix.docs", "../docs")).toAbsolutePath().normalize()
                .getParent();
        String commit = FIXED_COMMIT;
        if (run(project, "git", "cat-file", "-e", FIXED_COMMIT + "^{commit}") != 0) {
            System.out.println("EnhanceIT: " + FIXED_COMMIT + " is not in this clone; scanning HEAD");
            commit = "HEAD";
        }
        Path target = Files.createDirectories(dir.resolve("harmonix-copy"));
        Path tar = dir.resolve("sources.tar");
        assertEquals(0, run(project, "git", "archive", "-o", tar.toString(), commit, "bundles/cycle-api",
                "bundles/agent-files", "docs/examples"));
        assertEquals(0, run(target, "tar", "-xf", tar.toString()));
        Path pkg = target.resolve("bundles/agent-files/src/main/java/io/harmonix/agent/files");
        Files.writeString(pkg.resolve("Planted.java"), """
                package io.harmonix.agent.files;

                import java.security.MessageDigest;
                import java.util.List;

                final class Planted {
                    static byte[] digest(byte[] data) throws Exception {
                        return MessageDigest.getInstance("MD5").digest(data);
                    }
                }
                """);
        Path resources = Files.createDirectories(target.resolve("bundles/agent-files/src/main/resources"));
        Files.writeString(resources.resolve("planted.properties"), "aws.access.key.id=" + AWS_KEY + "\n"
                + "github.token=" + GITHUB_TOKEN + "\n");
        Path pom = target.resolve("bundles/agent-files/pom.xml");
        Files.writeString(pom, Files.readString(pom).replace("  </dependencies>", "    <dependency>"
                + "<groupId>org.apache.logging.log4j</groupId><artifactId>log4j-core</artifactId>"
                + "<version>2.14.1</version></dependency>\n  </dependencies>"));
        git(target, "init", "-q");
        git(target, "add", "-A");
        git(target, "commit", "-q", "-m", "Harmonix sources at " + commit + ", with planted problems");
        return target;
    }

    private static void git(Path dir, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("git", "-c", "user.name=EnhanceIT", "-c",
                "user.email=enhance@it", "-c", "commit.gpgsign=false"));
        command.addAll(List.of(args));
        assertEquals(0, run(dir, command.toArray(String[]::new)), "git " + String.join(" ", args));
    }

    private static int run(Path dir, String... command) throws Exception {
        Process p = new ProcessBuilder(command).directory(dir.toFile()).inheritIO().start();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), String.join(" ", command));
        return p.exitValue();
    }

    private static void assertFinding(Map<String, JsonNode> found, String agentType, String file) {
        assertTrue(found.values().stream().anyMatch(f -> f.path("agentType").asText().equals(agentType)
                && f.at("/location/file").asText().equals(file)), "no " + agentType + " finding in " + file
                + ": " + found.values());
    }

    /** The findings of a scan's JSON by fingerprint. */
    private static Map<String, JsonNode> byFingerprint(JsonNode scan) {
        Map<String, JsonNode> out = new TreeMap<>();
        scan.path("findings").forEach(f -> out.put(f.path("fingerprint").asText(), f));
        return out;
    }

    /** The last JSON document printed (progress lines come first, one JSON document each). */
    private static JsonNode last(String out) throws Exception {
        List<JsonNode> all = JSON.readerFor(JsonNode.class).<JsonNode>readValues(
                new ByteArrayInputStream(out.getBytes(StandardCharsets.UTF_8))).readAll();
        return all.get(all.size() - 1);
    }

    private static boolean contains(byte[] data, byte[] part) {
        outer:
        for (int i = 0; i + part.length <= data.length; i++) {
            for (int j = 0; j < part.length; j++) {
                if (data[i + j] != part[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }
}
