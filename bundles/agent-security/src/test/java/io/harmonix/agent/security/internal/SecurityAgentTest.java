package io.harmonix.agent.security.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.harmonix.agent.security.internal.deps.AdvisoryImport;
import io.harmonix.agent.security.internal.deps.AdvisoryStore;
import io.harmonix.agent.security.internal.deps.DerbyAdvisories;
import io.harmonix.agent.security.internal.javaapi.JavaRules;
import io.harmonix.agent.security.internal.secrets.GitleaksRules;
import io.harmonix.agent.security.internal.secrets.SecretScanner;
import io.harmonix.cycle.api.AgentContext;
import io.harmonix.cycle.api.AgentResult;
import io.harmonix.enhance.api.Rule;
import io.harmonix.enhance.api.TargetException;
import io.harmonix.enhance.api.testing.GitRepo;
import io.harmonix.store.testing.DerbyFixture;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.util.converter.Converters;

/** The agent's cycles on real git repositories, with the sample advisories in a real Derby database. */
class SecurityAgentTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;
    private DerbyFixture derby;
    private AdvisoryStore store;
    private GitRepo repo;

    @BeforeEach
    void open() throws Exception {
        derby = DerbyFixture.open(dir.resolve("db"));
        store = new DerbyAdvisories(derby.dataSource(), derby.migrator());
        AdvisoryImport.run(store, SampleAdvisories.copyTo(dir));
        repo = GitRepo.init(dir.resolve("repo"));
    }

    @AfterEach
    void close() {
        derby.close();
    }

    private SecurityAgent agent(Set<String> disabled) {
        var settings = new SecurityScan.Settings(true, true, true, true, disabled,
                new SecretScanner(GitleaksRules.shipped(), Set.of()), 2_000_000);
        return new SecurityAgent(new SecurityAgent.Setup(dir, repo.root().toString(), List.of(), settings,
                "security"), store);
    }

    private static AgentResult step(SecurityAgent agent, long cycle, JsonNode previous) throws Exception {
        return agent.step(new AgentContext("run-1", cycle, previous, null, Instant.now().plusSeconds(120)));
    }

    private static List<JsonNode> findings(AgentResult r, String rulePrefix) {
        return StreamSupport.stream(r.outputs().path("findings").spliterator(), false)
                .filter(f -> f.path("ruleId").asText().startsWith(rulePrefix)).toList();
    }

    @Test
    void findsEachSecretInTheTreeThenInTheHistoryOnceRemoved() throws Exception {
        repo.write("config/app.yaml", Secrets.configFile())
                .write("web/node_modules/lib/keys.js", "module.exports = '" + Secrets.GITHUB_TOKEN + "';\n")
                .write("config/local.env", "API_KEY=changeme\nTOKEN=xxxxxxxxxxxxxxxxxxxxxxxx\n");
        String added = repo.commit("settings").head();
        SecurityAgent agent = agent(Set.of());

        AgentResult first = step(agent, 1, null);
        List<JsonNode> tree = findings(first, "secrets/");
        Set<String> rules = tree.stream().filter(f -> f.path("location").path("file").asText()
                .equals("config/app.yaml")).map(f -> f.path("ruleId").asText()).collect(Collectors.toSet());
        for (String kind : Secrets.byRule().keySet()) {
            assertTrue(rules.contains("secrets/" + kind), kind + " not found in the tree: " + rules);
        }
        assertTrue(tree.stream().allMatch(f -> f.path("location").path("file").asText().equals("config/app.yaml")),
                "neither the allowlisted node_modules path nor the placeholders are reported: " + tree);
        assertTrue(tree.stream().allMatch(f -> f.path("status").asText().equals("new")
                && f.path("severity").asText().equals("high")));

        repo.delete("config/app.yaml");
        repo.commit("remove the secrets");
        AgentResult second = step(agent, 2, first.state());
        List<JsonNode> history = findings(second, "secrets/");
        Set<String> historyRules = history.stream().map(f -> f.path("ruleId").asText()).collect(Collectors.toSet());
        assertEquals(rules, historyRules, "every secret is still found, in the history, under the same rule");
        for (JsonNode f : history) {
            assertEquals("config/app.yaml", f.path("location").path("file").asText());
            assertEquals("high", f.path("severity").asText());
            assertTrue(f.path("message").asText().contains("added in commit " + added.substring(0, 12)),
                    f.path("message").asText());
            assertTrue(f.path("message").asText().contains("no longer in the working tree"));
        }
        JsonNode aws = history.stream().filter(f -> f.path("ruleId").asText().equals("secrets/aws-access-token"))
                .findFirst().orElseThrow();
        assertEquals(2, aws.path("location").path("line").asInt(), "its line in the commit that added it");
        assertEquals(tree.size(), second.outputs().path("fixed").size(), "the tree findings are fixed");
    }

    @Test
    void noSecretValueInAnyOutputStateMetricRuleOrLogLine() throws Exception {
        repo.write("config/app.yaml", Secrets.configFile())
                .write("web/package-lock.json", "{\"packages\": {\"node_modules/x\": " + Secrets.GITHUB_TOKEN + "}}")
                .write("src/Keys.java", "class Keys { static final String SECRET_KEY = \"" + Secrets.API_KEY
                        + "\"; }\n");
        repo.commit("secrets");
        repo.write("config/app.yaml", "nothing here\n");
        repo.commit("hide them");
        PrintStream out = System.out;
        PrintStream err = System.err;
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        AgentResult first;
        AgentResult second;
        List<Rule> rules;
        try (PrintStream capture = new PrintStream(printed, true, StandardCharsets.UTF_8)) {
            System.setOut(capture);
            System.setErr(capture);
            SecurityAgent agent = agent(Set.of());
            first = step(agent, 1, null);
            second = step(agent, 2, first.state());
            rules = agent.rules();
        } finally {
            System.setOut(out);
            System.setErr(err);
        }
        assertFalse(findings(first, "secrets/").isEmpty(), "the history holds them");
        assertFalse(findings(first, JavaRules.HARDCODED_KEY).isEmpty());
        assertFalse(findings(first, "dependency/unchecked").isEmpty(), "the broken lockfile is reported");
        String everything = JSON.writeValueAsString(List.of(first.outputs(), first.state(), first.metrics(),
                second.outputs(), second.state(), second.metrics(), rules)) + printed.toString(StandardCharsets.UTF_8);
        for (String secret : Secrets.byRule().values()) {
            assertFalse(everything.contains(secret), "a secret leaked");
            assertFalse(everything.contains(secret.substring(0, 10)), "the start of a secret leaked");
        }
    }

    @Test
    void vulnerableDependenciesOfPomsAndLockfilesAndNotTheFixedOnes() throws Exception {
        repo.write("pom.xml", """
                <project>
                  <groupId>org.example</groupId><artifactId>parent</artifactId><version>1.0</version>
                  <properties><text.version>1.9</text.version></properties>
                  <dependencyManagement><dependencies>
                    <dependency><groupId>com.fasterxml.jackson.core</groupId><artifactId>jackson-databind</artifactId><version>2.13.1</version></dependency>
                    <dependency><groupId>org.apache.logging.log4j</groupId><artifactId>log4j-core</artifactId><version>2.14.1</version></dependency>
                  </dependencies></dependencyManagement>
                  <dependencies>
                    <dependency><groupId>org.apache.logging.log4j</groupId><artifactId>log4j-core</artifactId><version>2.14.1</version></dependency>
                  </dependencies>
                </project>
                """).write("app/pom.xml", """
                <project>
                  <parent><groupId>org.example</groupId><artifactId>parent</artifactId><version>1.0</version></parent>
                  <artifactId>app</artifactId>
                  <dependencies>
                    <dependency><groupId>org.apache.commons</groupId><artifactId>commons-text</artifactId><version>${text.version}</version></dependency>
                    <dependency><groupId>com.fasterxml.jackson.core</groupId><artifactId>jackson-databind</artifactId></dependency>
                  </dependencies>
                </project>
                """).write("prop/pom.xml", """
                <project>
                  <groupId>org.example</groupId><artifactId>prop</artifactId><version>1.0</version>
                  <properties><log4j.version>2.12.1</log4j.version></properties>
                  <dependencies>
                    <dependency><groupId>org.apache.logging.log4j</groupId><artifactId>log4j-core</artifactId><version>${log4j.version}</version></dependency>
                  </dependencies>
                </project>
                """).write("managed/pom.xml", """
                <project>
                  <parent><groupId>org.example</groupId><artifactId>parent</artifactId><version>1.0</version></parent>
                  <artifactId>managed</artifactId>
                  <dependencies>
                    <dependency><groupId>org.apache.logging.log4j</groupId><artifactId>log4j-core</artifactId></dependency>
                  </dependencies>
                </project>
                """).write("fixed/pom.xml", """
                <project>
                  <groupId>org.example</groupId><artifactId>fixed</artifactId><version>1.0</version>
                  <dependencies>
                    <dependency><groupId>org.apache.logging.log4j</groupId><artifactId>log4j-core</artifactId><version>2.17.1</version></dependency>
                    <dependency><groupId>org.apache.commons</groupId><artifactId>commons-text</artifactId><version>1.10.0</version></dependency>
                  </dependencies>
                </project>
                """).write("web/package-lock.json", """
                {"lockfileVersion": 3, "packages": {
                  "node_modules/lodash": {"version": "4.17.15"},
                  "node_modules/minimist": {"version": "1.2.6"}
                }}
                """).write("web2/package-lock.json", """
                {"lockfileVersion": 3, "packages": {"node_modules/lodash": {"version": "4.17.21"}}}
                """);
        repo.commit("manifests");
        List<JsonNode> vulnerable = findings(step(agent(Set.of()), 1, null), "dependency/vulnerable");
        Map<String, List<String>> byPlace = vulnerable.stream().collect(Collectors.groupingBy(
                f -> f.path("location").path("file").asText() + ":" + f.path("location").path("line").asInt(),
                java.util.TreeMap::new, Collectors.mapping(f -> f.path("message").asText(), Collectors.toList())));
        assertEquals(List.of("app/pom.xml:5", "app/pom.xml:6", "managed/pom.xml:5", "pom.xml:9", "prop/pom.xml:5",
                "web/package-lock.json:2"), List.copyOf(byPlace.keySet()), "nothing in fixed/ or web2/: " + byPlace);
        assertTrue(byPlace.get("prop/pom.xml:5").stream().anyMatch(m -> m.startsWith("org.apache.logging.log4j:"
                + "log4j-core 2.12.1 (declared, property log4j.version) is affected by GHSA-jfh8-c2jp-5v3q")
                && m.endsWith("fixed in 2.12.2")), byPlace.get("prop/pom.xml:5").toString());
        assertTrue(byPlace.get("managed/pom.xml:5").stream().anyMatch(m -> m.startsWith("org.apache.logging.log4j:"
                + "log4j-core 2.14.1 (dependencyManagement of pom.xml) is affected by GHSA-jfh8-c2jp-5v3q")),
                byPlace.get("managed/pom.xml:5").toString());
        assertTrue(byPlace.get("app/pom.xml:5").get(0).startsWith("org.apache.commons:commons-text 1.9 (declared, "
                + "property text.version) is affected by GHSA-599f-7c49-w659 (CVE-2022-42889)"),
                byPlace.get("app/pom.xml:5").toString());
        assertTrue(byPlace.get("app/pom.xml:5").get(0).endsWith("; fixed in 1.10.0"));
        assertTrue(byPlace.get("app/pom.xml:6").get(0).contains("2.13.1 (dependencyManagement of pom.xml) is "
                + "affected by GHSA-57j2-w4cx-62h2 (CVE-2020-36518)"), byPlace.get("app/pom.xml:6").toString());
        List<String> log4j = byPlace.get("pom.xml:9");
        assertEquals(2, log4j.size(), "Log4Shell and its incomplete fix");
        assertTrue(log4j.stream().anyMatch(m -> m.contains("GHSA-jfh8-c2jp-5v3q (CVE-2021-44228)")
                && m.endsWith("fixed in 2.15.0")), log4j.toString());
        assertTrue(log4j.stream().anyMatch(m -> m.contains("GHSA-7rjr-3q55-vv33") && m.endsWith("fixed in 2.16.0")));
        List<String> lodash = byPlace.get("web/package-lock.json:2");
        assertEquals(2, lodash.size());
        assertTrue(lodash.stream().anyMatch(m -> m.contains("GHSA-35jh-r3h4-6jhm (CVE-2021-23337)")
                && m.endsWith("fixed in 4.17.21")), lodash.toString());
        assertTrue(vulnerable.stream().allMatch(f -> f.path("severity").asText().matches("high|critical")));
    }

    @Test
    void insecureApiInJavaAndOtherLanguagesSaidNotAnalysed() throws Exception {
        repo.write("src/Hash.java", "class Hash {\n  byte[] h(byte[] b) throws Exception {\n"
                + "    return java.security.MessageDigest.getInstance(\"MD5\").digest(b);\n  }\n}\n")
                .write("src/Util.kt", "fun main() {}\n").write("src/Broken.java", "class {")
                .write("img/logo.bin", "\0\1\2");
        repo.commit("sources");
        AgentResult r = step(agent(Set.of()), 1, null);
        List<JsonNode> hash = findings(r, JavaRules.WEAK_HASH);
        assertEquals(1, hash.size());
        assertEquals("src/Hash.java", hash.get(0).path("location").path("file").asText());
        assertEquals(3, hash.get(0).path("location").path("line").asInt());
        assertEquals("medium", hash.get(0).path("severity").asText());
        JsonNode not = r.outputs().path("notAnalysed");
        assertEquals(1, not.path("kotlin").asInt());
        assertEquals(1, not.path("binary").asInt());
        assertEquals(1, not.path("java (does not parse as Java 17)").asInt());
        assertEquals(4, r.outputs().path("files").path("analysed").asInt());

        assertEquals(List.of(), findings(step(agent(Set.of(JavaRules.WEAK_HASH)), 1, null), JavaRules.WEAK_HASH),
                "a disabled rule");
    }

    @Test
    void aSecondScanOfTheSameCodeGivesTheSameFingerprintsAllPersisting() throws Exception {
        repo.write("config/app.yaml", Secrets.configFile()).write("src/Hash.java", "class Hash { Object h() "
                + "throws Exception { return java.security.MessageDigest.getInstance(\"SHA1\"); } }\n");
        repo.commit("code");
        SecurityAgent agent = agent(Set.of());
        AgentResult first = step(agent, 1, null);
        repo.write("config/app.yaml", "# moved down\n\n" + Secrets.configFile());
        AgentResult second = step(agent, 2, first.state());
        List<String> before = findings(first, "").stream().map(f -> f.path("fingerprint").asText()).sorted().toList();
        List<String> after = findings(second, "").stream().map(f -> f.path("fingerprint").asText()).sorted().toList();
        assertEquals(before, after, "moving the lines keeps every fingerprint");
        assertTrue(findings(second, "").stream().allMatch(f -> f.path("status").asText().equals("persisting")));
    }

    @Test
    void aPassedDeadlineGivesAPartialAnalysis() throws Exception {
        repo.write("a.txt", "a\n").write("b.txt", "b\n");
        repo.commit("files");
        AgentResult r = agent(Set.of()).step(new AgentContext("run-1", 1, null, null, Instant.EPOCH));
        assertTrue(r.outputs().path("partial").asBoolean());
        assertEquals(0, r.outputs().path("files").path("analysed").asInt());
        assertEquals(2, r.outputs().path("files").path("total").asInt());
    }

    @Test
    void aFileOverTheSizeLimitIsSaidNotAnalysed() throws Exception {
        repo.write("big.env", "TOKEN=" + Secrets.GITHUB_TOKEN + "\n").write("small.txt", "x\n");
        repo.commit("files");
        var settings = new SecurityScan.Settings(true, false, true, true, Set.of(),
                new SecretScanner(GitleaksRules.shipped(), Set.of()), 10);
        AgentResult r = step(new SecurityAgent(new SecurityAgent.Setup(dir, repo.root().toString(), List.of(),
                settings, "security"), store), 1, null);
        assertEquals(1, r.outputs().path("notAnalysed").path("too large").asInt());
        assertEquals(List.of(), findings(r, "secrets/"), "not read, so not found: said in notAnalysed");
    }

    @Test
    void progressIsReportedThrottledAndAtTheEnd() throws Exception {
        for (int i = 0; i < 30; i++) {
            repo.write("f" + i + ".txt", "line\n");
        }
        repo.commit("files");
        SecurityAgent agent = agent(Set.of());
        List<String> seen = new ArrayList<>();
        agent.progress = (run, id, done, total) -> seen.add(run + " " + id + " " + done + "/" + total);
        step(agent, 1, null);
        assertEquals(List.of("run-1 security 25/30", "run-1 security 30/30"), seen);
    }

    @Test
    void aBadTargetIsATargetException() throws Exception {
        Path plain = Files.createDirectories(dir.resolve("plain"));
        SecurityAgent agent = agent(Set.of());
        TargetException e = assertThrows(TargetException.class, () -> agent.step(new AgentContext("r", 1, null,
                JSON.createObjectNode().put("target", plain.toString()), Instant.MAX)));
        assertTrue(e.getMessage().contains("is not a git repository"), e.getMessage());
    }

    @Test
    void withoutATargetTheCycleIsIdle() throws Exception {
        var settings = new SecurityScan.Settings(true, true, true, true, Set.of(),
                new SecretScanner(GitleaksRules.shipped(), Set.of()), 2_000_000);
        SecurityAgent idle = new SecurityAgent(new SecurityAgent.Setup(dir, "", List.of(), settings, "security"),
                store);
        AgentResult r = step(idle, 1, null);
        assertTrue(r.outputs().path("idle").asText().startsWith("no target"), r.outputs().toString());
        assertEquals(0, r.outputs().path("findings").size());
    }

    @Test
    void rulesListEveryGitleaksRuleTheDependencyRulesAndTheJavaRulesWithHelp() {
        List<Rule> rules = agent(Set.of("java/xxe")).rules();
        assertEquals(222 + 2 + JavaRules.ALL.size() - 1, rules.size());
        Set<String> ids = rules.stream().map(Rule::id).collect(Collectors.toSet());
        assertTrue(ids.containsAll(Set.of("secrets/aws-access-token", "secrets/private-key", "dependency/vulnerable",
                "dependency/unchecked", JavaRules.SQL)));
        assertFalse(ids.contains("java/xxe"));
        assertTrue(rules.stream().noneMatch(r -> r.help().isBlank()));
    }

    @Test
    void aGitleaksConfigThatCannotBeUsedFailsTheAgentsUseNamingTheFieldAndTheFile() throws Exception {
        Files.writeString(dir.resolve("no-id.toml"), "[[rules]]\nregex = '''x'''\n");
        for (String file : List.of("missing.toml", "no-id.toml")) {
            SecurityAgent agent = new SecurityAgent();
            // taken as given: the file is read at the agent's first use, where its error is the user's to see
            agent.configure(config(Map.of("gitleaksConfig", file, "target", repo.root().toString())), dir,
                    "security.bad");
            IllegalArgumentException cycle = assertThrows(IllegalArgumentException.class, () -> step(agent, 1, null));
            assertTrue(cycle.getMessage().startsWith("gitleaksConfig = '" + file + "' (" + dir.resolve(file)
                    + "): "), cycle.getMessage());
            assertTrue(cycle.getMessage().endsWith(file.equals("missing.toml")
                    ? "no such file; expected a gitleaks TOML file" : "rule #1: no id"), cycle.getMessage());
            IllegalArgumentException rules = assertThrows(IllegalArgumentException.class, agent::rules);
            assertEquals(cycle.getMessage(), rules.getMessage(), "the same error when its rules are listed");
        }
        // the file made good, the same configuration reads it at its next use
        try (var shipped = GitleaksRules.class.getResourceAsStream(GitleaksRules.RESOURCE)) {
            Files.copy(shipped, dir.resolve("missing.toml"));
        }
        SecurityAgent agent = new SecurityAgent();
        agent.configure(config(Map.of("gitleaksConfig", "missing.toml")), dir, "security.bad");
        assertEquals(rulesOfShipped(), agent.rules().size());
    }

    private int rulesOfShipped() {
        SecurityAgent shipped = new SecurityAgent();
        shipped.configure(config(Map.of()), dir, "security");
        return shipped.rules().size();
    }

    private static SecurityConfig config(Map<String, Object> properties) {
        return Converters.standardConverter().convert(new HashMap<>(properties)).to(SecurityConfig.class);
    }

    @Test
    void listsInACfgFileAreCommaSeparatedStrings() {
        assertEquals(List.of("bundles/runner", "bundles/state", "docs"), SecurityAgent.list(
                new String[] {"bundles/runner, bundles/state", " docs ", ""}));
    }
}
