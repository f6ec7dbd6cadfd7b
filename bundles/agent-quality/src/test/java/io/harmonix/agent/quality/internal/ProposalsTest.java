package io.harmonix.agent.quality.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.harmonix.enhance.api.CycleFindings;
import io.harmonix.enhance.api.Finding;
import io.harmonix.enhance.api.FindingStatus;
import io.harmonix.enhance.api.Proposal;
import io.harmonix.enhance.api.TrackedFinding;
import io.harmonix.enhance.api.testing.GitRepo;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every kind of fix as a proposal: its diff applies with {@code git apply} on the commit it names, removes exactly
 * the declaration, leaves code that compiles, and the next cycle reports its finding fixed.
 */
class ProposalsTest {
    static final String SOURCE = """
            package shop;

            import java.util.ArrayList;
            import java.util.List;
            import java.util.Map;

            public class Basket {
                private static final int LIMIT = -10;
                private final List<String> items = new ArrayList<>();
                private int counter = 0, kept = 1;

                public void add(String item) {
                    String label = "item";
                    items.add(item);
                    kept++;
                }

                public int size() {
                    int spare = 42;
                    return items.size() + kept;
                }
            }
            """;

    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"UnnecessaryImport", "UnusedPrivateField", "UnusedLocalVariable"})
    void theProposalAppliesCompilesAndMakesItsFindingFixed(String rule) throws Exception {
        GitRepo repo = GitRepo.init(dir).write("src/shop/Basket.java", SOURCE).commit("basket");
        AgentHarness harness = new AgentHarness(dir, Map.of("target", dir.toString()));
        CycleFindings first = harness.cycle();
        List<Finding> found = first.findings().stream().map(TrackedFinding::finding)
                .filter(f -> f.ruleId().equals(rule)).toList();
        assertTrue(found.size() >= 1, () -> rule + " findings: " + first.findings());
        for (Finding finding : found) {
            Proposal proposal = first.proposals().stream().filter(p -> p.fingerprint().equals(finding.fingerprint()))
                    .findFirst().orElse(null);
            assertNotNull(proposal, () -> "no proposal for " + finding + " among " + first.proposals());
            assertEquals(repo.git("rev-parse", "HEAD").strip(), proposal.commit());
            assertTrue(proposal.diff().startsWith("--- a/src/shop/Basket.java\n+++ b/src/shop/Basket.java\n"),
                    proposal.diff());
            List<String> removed = proposal.diff().lines().skip(2).filter(l -> l.startsWith("-")).toList();
            List<String> added = proposal.diff().lines().skip(2).filter(l -> l.startsWith("+")).toList();
            assertEquals(1, removed.size(), () -> "one line removed:\n" + proposal.diff());
            // only a declaration of several variables keeps a line, without the removed one
            assertEquals(removed.get(0).contains(",") ? 1 : 0, added.size(), proposal.diff());

            repo.git("checkout", "-q", "--", ".");
            GitRepo.Result check = repo.run(proposal.diff(), "apply", "--check", "-");
            assertEquals(0, check.exit(), () -> "git apply --check: " + check.output() + "\n" + proposal.diff());
            repo.run(proposal.diff(), "apply", "-");
            assertEquals("", compile(repo.root().resolve("src")), proposal.diff());
            repo.git("checkout", "-q", "--", ".");

            AgentHarness next = new AgentHarness(dir, Map.of("target", dir.toString()));
            CycleFindings before = next.cycle();
            assertEquals(0, repo.run(proposal.diff(), "apply", "-").exit());
            CycleFindings after = next.cycle();
            assertTrue(before.findings().stream().anyMatch(t -> t.finding().fingerprint()
                    .equals(finding.fingerprint())));
            assertEquals(List.of(finding.fingerprint()), after.fixed().stream().map(Finding::fingerprint).toList(),
                    "only the fixed finding is gone");
            assertTrue(after.findings().stream().allMatch(t -> t.status() == FindingStatus.PERSISTING));
            repo.git("checkout", "-q", "--", ".");
        }
    }

    @Test
    void declarationsThatAreNotMechanicalToRemoveGetNoProposalAndSayWhy() throws Exception {
        GitRepo.init(dir).write("src/shop/Basket.java", """
                package shop;

                public class Basket {
                    private final StringBuilder log = new StringBuilder();
                    private int total;

                    public void add() throws Exception {
                        total = 3;
                        Object sideEffect = System.nanoTime();
                        try (AutoCloseable resource = () -> { }) {
                            total = 4;
                        }
                    }

                    public void pick(int choice) {
                        switch (choice) {
                            case 1:
                                int picked = 0;
                                break;
                            default:
                                picked = 5;
                        }
                    }
                }
                """).commit("basket");
        CycleFindings cycle = new AgentHarness(dir, Map.of("target", dir.toString())).cycle();
        assertEquals(List.of(), cycle.proposals());
        Map<String, String> messages = new java.util.TreeMap<>();
        cycle.findings().forEach(t -> messages.put(t.finding().ruleId() + ":" + t.finding().location().line(),
                t.finding().message()));
        assertTrue(messages.get("UnusedPrivateField:4").endsWith("No fix proposed: its initializer is not a literal "
                + "and may have side effects."), messages.toString());
        assertTrue(messages.get("UnusedPrivateField:5").contains("'total' is assigned or named elsewhere"),
                messages.toString());
        assertTrue(messages.get("UnusedLocalVariable:9").contains("not a literal"), messages.toString());
        assertTrue(messages.get("UnusedLocalVariable:10").contains("'resource' at line 10 is not declared in a "
                + "statement of its own"), messages.toString());
        assertTrue(messages.get("UnusedLocalVariable:18").contains("'picked' is assigned or named elsewhere"),
                "a local of a switch case is in scope in the cases after it: " + messages);
    }

    @Test
    void aSecretLikeLiteralNeverReachesTheEvidenceNorADiff() throws Exception {
        String token = "ghp_" + "A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q7r8";
        GitRepo.init(dir).write("src/shop/Client.java", "package shop;\n\npublic class Client {\n"
                + "    private static final String TOKEN = \"" + token + "\";\n"
                + "    private static final String NAME = \"shop client\";\n}\n").commit("client");
        CycleFindings cycle = new AgentHarness(dir, Map.of("target", dir.toString())).cycle();
        Finding secret = cycle.findings().stream().map(TrackedFinding::finding)
                .filter(f -> f.location().line() == 4).findFirst().orElseThrow();
        assertEquals("private static final String TOKEN = \"ghp_****\";", secret.evidence());
        assertTrue(secret.message().contains("No fix proposed: its initializer looks like a secret"),
                secret.message());
        Finding plain = cycle.findings().stream().map(TrackedFinding::finding)
                .filter(f -> f.location().line() == 5).findFirst().orElseThrow();
        assertTrue(plain.message().contains("No fix proposed: " + QualityScan.CHANGE_SHOWS_SECRET + "."),
                "its diff's context would hold the token line: " + plain.message());
        assertEquals(List.of(), cycle.proposals());
        assertFalse(cycle.toString().contains(token.substring(4)), "the token appears nowhere in the cycle");
    }

    @Test
    void aSecretInAFieldOrACommentReachesNoOutputOfTheCycle() throws Exception {
        GitRepo.init(dir).write("src/shop/Vault.java", """
                package shop;

                public class Vault {
                    private String password = "Hunter2pass!";
                    // prod key: AKIAQWERTYUIOPASDF99 secret wJalrXUtnFEMI/K7MDENG/bPxRfiCYzzKEY4x9Zq
                    private int unused = 1;
                }
                """).commit("vault");
        AgentHarness harness = new AgentHarness(dir, Map.of("target", dir.toString()));
        CycleFindings cycle = harness.cycle();
        Map<String, Finding> byField = new java.util.TreeMap<>();
        cycle.findings().stream().map(TrackedFinding::finding).filter(f -> f.ruleId().equals("UnusedPrivateField"))
                .forEach(f -> byField.put(f.location().line() == 4 ? "password" : "unused", f));
        assertEquals(List.of("password", "unused"), List.copyOf(byField.keySet()), cycle.findings().toString());
        assertEquals("private String password = \"Hunt****\";", byField.get("password").evidence());
        assertTrue(byField.get("password").message().contains("No fix proposed: its initializer looks like a secret"),
                byField.get("password").message());
        assertTrue(byField.get("unused").message().contains("No fix proposed: " + QualityScan.CHANGE_SHOWS_SECRET
                + "."), byField.get("unused").message());
        assertEquals(List.of(), cycle.proposals());
        for (String output : List.of(harness.last.outputs().toString(), harness.last.state().toString(),
                cycle.toString())) {
            for (String secret : List.of("Hunter2pass!", "AKIAQWERTYUIOPASDF99", "wJalrXUtnFEMI")) {
                assertFalse(output.contains(secret), () -> secret + " in " + output);
            }
        }
    }

    @Test
    void aFieldsCommentStaysItsJavadocGoes() throws Exception {
        GitRepo repo = GitRepo.init(dir).write("src/shop/Counter.java", """
                package shop;

                public class Counter {
                    private int count;
                    // the retries left before the counter gives up
                    private int unused = 1;
                    /** Never read. */
                    private int spare = 2;

                    public int next() {
                        return ++count;
                    }
                }
                """).commit("counter");
        CycleFindings cycle = new AgentHarness(dir, Map.of("target", dir.toString())).cycle();
        assertEquals(2, cycle.proposals().size(), () -> cycle.proposals() + "\n" + cycle.findings());
        for (Proposal proposal : cycle.proposals()) {
            List<String> removed = proposal.diff().lines().skip(2).filter(l -> l.startsWith("-")).toList();
            List<String> expected = proposal.title().endsWith("unused")
                    ? List.of("-    private int unused = 1;")
                    : List.of("-    /** Never read. */", "-    private int spare = 2;");
            assertEquals(expected, removed, proposal.diff());
            assertTrue(proposal.diff().lines().skip(2).filter(l -> !l.startsWith("-"))
                    .anyMatch(l -> l.contains("// the retries left")) || !proposal.title().endsWith("unused"),
                    proposal.diff());
            repo.git("checkout", "-q", "--", ".");
            assertEquals(0, repo.run(proposal.diff(), "apply", "-").exit(), proposal.diff());
            assertEquals("", compile(repo.root().resolve("src")), proposal.diff());
            assertTrue(Files.readString(repo.root().resolve("src/shop/Counter.java"))
                    .contains("    // the retries left before the counter gives up\n"));
            repo.git("checkout", "-q", "--", ".");
        }
    }

    @Test
    void aFileChangedSinceTheCommitGetsNoProposal() throws Exception {
        GitRepo repo = GitRepo.init(dir).write("src/shop/Basket.java", SOURCE).commit("basket");
        repo.write("src/shop/Basket.java", SOURCE.replace("public int size()", "public int count()"));
        CycleFindings cycle = new AgentHarness(dir, Map.of("target", dir.toString())).cycle();
        List<Finding> imports = cycle.findings().stream().map(TrackedFinding::finding)
                .filter(f -> f.ruleId().equals("UnnecessaryImport")).toList();
        assertEquals(1, imports.size(), cycle.findings().toString());
        assertEquals(List.of(), cycle.proposals());
        assertTrue(imports.get(0).message().contains("No fix proposed: the file differs from commit "
                + repo.git("rev-parse", "HEAD").substring(0, 12)), imports.get(0).message());
    }

    /** @return javac's complaints about the sources under {@code dir}, "" when they compile */
    static String compile(Path dir) throws Exception {
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        Path out = Files.createTempDirectory("classes");
        List<String> args = new java.util.ArrayList<>(List.of("-d", out.toString(), "-nowarn"));
        try (Stream<Path> files = Files.walk(dir)) {
            files.filter(p -> p.toString().endsWith(".java")).forEach(p -> args.add(p.toString()));
        }
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = javac.run(null, err, err, args.toArray(String[]::new));
        return exit == 0 ? "" : err.toString(StandardCharsets.UTF_8);
    }
}
