package io.harmonix.agent.quality.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.harmonix.enhance.api.Analysis;
import io.harmonix.enhance.api.Finding;
import io.harmonix.enhance.api.Risk;
import io.harmonix.enhance.api.Severity;
import io.harmonix.enhance.api.testing.GitRepo;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Each rule family on a small real source with the smell, and the same source fixed, which gives no finding of that
 * rule.
 */
class QualityRulesFamiliesTest {
    @TempDir
    Path dir;

    static Analysis scan(GitRepo repo) throws Exception {
        return new QualityScan(QualityRules.load(null, QualityRules.Thresholds.RULESET), 100)
                .analyse(repo.target(), () -> false, (done, total) -> { });
    }

    static List<Finding> of(Analysis analysis, String rule) {
        return analysis.findings().stream().filter(f -> f.ruleId().equals(rule)).toList();
    }

    private Analysis scanOne(String file, String source) throws Exception {
        return scan(GitRepo.init(dir).write(file, source).commit("code"));
    }

    @Test
    void aMethodWithManyBranchesIsComplexAndItsFlatVersionIsNot() throws Exception {
        String branches = IntStream.rangeClosed(1, 11).mapToObj(i -> "        if (x == " + i + ") { return \"n"
                + i + "\"; }\n").collect(Collectors.joining());
        Analysis smell = scanOne("src/Grade.java", "class Grade {\n    String name(int x) {\n" + branches
                + "        return \"other\";\n    }\n}\n");
        List<Finding> complex = of(smell, "CyclomaticComplexity");
        assertEquals(1, complex.size(), () -> "findings: " + smell.findings());
        Finding f = complex.get(0);
        assertEquals("src/Grade.java", f.location().file());
        assertEquals(2, f.location().line());
        assertTrue(f.message().contains("cyclomatic complexity of 12"), f.message());
        assertEquals(Severity.MEDIUM, f.severity());
        assertEquals(Risk.MEDIUM, f.risk());
        assertEquals("quality", f.agentType());

        Analysis fixed = scan(GitRepo.init(dir).write("src/Grade.java", "class Grade {\n"
                + "    private static final String[] NAMES = {\"n1\", \"n2\", \"n3\"};\n"
                + "    String name(int x) {\n        return x >= 1 && x <= NAMES.length ? NAMES[x - 1] : \"other\";\n"
                + "    }\n}\n").commit("flat"));
        assertEquals(List.of(), of(fixed, "CyclomaticComplexity"));
    }

    @Test
    void aMethodOfManyStatementsIsLongAndAShortOneIsNot() throws Exception {
        String statements = IntStream.rangeClosed(1, 70).mapToObj(i -> "        total += " + i + ";\n")
                .collect(Collectors.joining());
        Analysis smell = scanOne("Sum.java", "class Sum {\n    int sum() {\n        int total = 0;\n" + statements
                + "        return total;\n    }\n}\n");
        List<Finding> longOnes = of(smell, "NcssCount");
        assertEquals(1, longOnes.size(), () -> "findings: " + smell.findings());
        assertEquals(2, longOnes.get(0).location().line());

        Analysis fixed = scan(GitRepo.init(dir).write("Sum.java", "class Sum {\n    int sum() {\n        int total = 0;\n"
                + "        for (int i = 1; i <= 70; i++) {\n            total += i;\n        }\n"
                + "        return total;\n    }\n}\n").commit("loop"));
        assertEquals(List.of(), of(fixed, "NcssCount"));
    }

    @Test
    void deeplyNestedIfsAreReportedAndGuardClausesAreNot() throws Exception {
        Analysis smell = scanOne("Nest.java", """
                class Nest {
                    int f(int a, int b, int c, int d, int e) {
                        if (a > 0) {
                            if (b > 0) {
                                if (c > 0) {
                                    if (d > 0) {
                                        if (e > 0) {
                                            return 1;
                                        }
                                    }
                                }
                            }
                        }
                        return 0;
                    }
                }
                """);
        List<Finding> nested = of(smell, "AvoidDeeplyNestedIfStmts");
        assertEquals(1, nested.size(), () -> "findings: " + smell.findings());
        assertEquals(6, nested.get(0).location().line());

        Analysis fixed = scan(GitRepo.init(dir).write("Nest.java", """
                class Nest {
                    int f(int a, int b, int c, int d, int e) {
                        if (a <= 0 || b <= 0 || c <= 0) {
                            return 0;
                        }
                        return d > 0 && e > 0 ? 1 : 0;
                    }
                }
                """).commit("guards"));
        assertEquals(List.of(), of(fixed, "AvoidDeeplyNestedIfStmts"));
    }

    @Test
    void eachKindOfUnusedCodeIsReportedAndUsedCodeIsNot() throws Exception {
        Analysis smell = scanOne("Unused.java", """
                import java.util.List;
                import java.util.Map;

                class Unused {
                    private int count = 0;
                    private final String name;

                    Unused(String name) {
                        this.name = name;
                    }

                    String greet(List<String> people) {
                        int spare = 3;
                        return "hello " + name + people;
                    }

                    private void helper() {
                    }

                    private String label(String prefix, int extra) {
                        return prefix + name;
                    }

                    String labelled() {
                        return label("x", 1);
                    }
                }
                """);
        assertEquals(List.of(2), lines(of(smell, "UnnecessaryImport")), "the Map import");
        assertEquals(List.of(5), lines(of(smell, "UnusedPrivateField")), "count");
        assertEquals(List.of(13), lines(of(smell, "UnusedLocalVariable")), "spare (PMD skips names starting with unused or ignored)");
        assertEquals(List.of(17), lines(of(smell, "UnusedPrivateMethod")), "helper");
        assertEquals(List.of(20), lines(of(smell, "UnusedFormalParameter")), "extra");
        assertEquals(Severity.INFO, of(smell, "UnnecessaryImport").get(0).severity());
        assertEquals(Risk.LOW, of(smell, "UnusedPrivateField").get(0).risk());

        Analysis fixed = scan(GitRepo.init(dir).write("Unused.java", """
                import java.util.List;

                class Unused {
                    private final String name;

                    Unused(String name) {
                        this.name = name;
                    }

                    String greet(List<String> people) {
                        return "hello " + name + people;
                    }

                    private String label(String prefix) {
                        return prefix + name;
                    }

                    String labelled() {
                        return label("x");
                    }
                }
                """).commit("fixed"));
        assertEquals(List.of(), fixed.findings());
    }

    @Test
    void aBlockCopiedIntoTwoFilesIsOneFindingWithBothLocations() throws Exception {
        Analysis smell = scan(GitRepo.init(dir).write("a/First.java", copying("First"))
                .write("b/Second.java", "// the second copy, two lines lower\n\n" + copying("Second"))
                .commit("copies"));
        List<Finding> copies = of(smell, QualityRules.DUPLICATED_CODE);
        assertEquals(1, copies.size(), () -> "findings: " + smell.findings());
        Finding f = copies.get(0);
        assertEquals("a/First.java", f.location().file());
        assertTrue(f.location().endLine() - f.location().line() >= 10, f.location().toString());
        assertTrue(f.message().contains("also at b/Second.java:"), f.message());
        assertTrue(f.evidence().startsWith("copies: a/First.java:"), f.evidence());
        assertTrue(f.evidence().contains("b/Second.java:"), f.evidence());

        Analysis fixed = scan(GitRepo.init(dir).write("a/First.java", copying("First"))
                .write("b/Second.java", "class Second {\n    int size(java.util.List<String> xs) {\n"
                        + "        return xs.size();\n    }\n}\n").commit("one copy"));
        assertEquals(List.of(), of(fixed, QualityRules.DUPLICATED_CODE));
    }

    @Test
    void aClassThatDoesEverythingWithOthersDataIsAGodClassAndAFocusedOneIsNot() throws Exception {
        Analysis smell = scan(GitRepo.init(dir).write("Manager.java", manager(12)).commit("god"));
        List<Finding> gods = of(smell, "GodClass");
        assertEquals(1, gods.size(), () -> "findings: " + smell.findings());
        assertEquals("Manager.java", gods.get(0).location().file());
        assertEquals(Severity.HIGH, gods.get(0).severity());
        assertEquals(Risk.HIGH, gods.get(0).risk());

        Analysis fixed = scan(GitRepo.init(dir).write("Manager.java", manager(2)).commit("focused"));
        assertEquals(List.of(), of(fixed, "GodClass"));
    }

    /**
     * {@code methods} methods of complexity 5, each reading four fields of JDK classes (foreign data: PMD resolves
     * types from the class path, not from other sources) and writing its own field of this class only (no
     * cohesion).
     */
    private static final List<String> FOREIGN = List.of("r.x", "r.y", "r.width", "r.height", "i.top", "i.left",
            "i.bottom", "i.right");

    private static String manager(int methods) {
        StringBuilder s = new StringBuilder("class Manager {\n");
        for (int m = 1; m <= methods; m++) {
            s.append("    private int a").append(m).append(";\n");
        }
        for (int m = 1; m <= methods; m++) {
            s.append("\n    int m").append(m).append("(java.awt.Rectangle r, java.awt.Insets i) {\n");
            for (int k = 0; k < 4; k++) {
                String foreign = FOREIGN.get((m + k) % FOREIGN.size());
                s.append("        if (").append(foreign).append(" > ").append(k).append(") {\n            a").append(m)
                        .append(" += ").append(k + 1).append(";\n        }\n");
            }
            s.append("        return a").append(m).append(";\n    }\n");
        }
        return s.append("}\n").toString();
    }

    /** A class whose method body is long enough (well over 100 tokens) to count as a duplicated block. */
    static String copying(String name) {
        return "class " + name + " {\n    int score(int[] values, int limit) {\n        int total = 0;\n"
                + "        for (int i = 0; i < values.length; i++) {\n            if (values[i] > limit) {\n"
                + "                total += values[i] * 2 - limit;\n            } else if (values[i] < -limit) {\n"
                + "                total -= values[i] * 3 + limit;\n            } else {\n"
                + "                total += Math.abs(values[i]) % (limit + 1);\n            }\n"
                + "            if (total > 1000) {\n                total = total / 2 + values.length;\n"
                + "            }\n        }\n        return total * limit - values.length;\n    }\n}\n";
    }

    static List<Integer> lines(List<Finding> findings) {
        return findings.stream().map(f -> f.location().line()).toList();
    }
}
