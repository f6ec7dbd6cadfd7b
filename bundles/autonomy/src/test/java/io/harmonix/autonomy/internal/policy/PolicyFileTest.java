package io.harmonix.autonomy.internal.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.harmonix.autonomy.api.Policy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The policy file: the shipped default lists the policies the seed names that Harmonix enforces; a file with an
 * unknown policy or a syntax error is refused with file:line:column and the policies in force stay.
 */
class PolicyFileTest {
    @TempDir
    Path dir;

    @Test
    void theShippedFileHoldsThePoliciesTheSeedNamesThatHarmonixEnforces() throws Exception {
        Path shipped = distributionEtc().resolve("autonomy-policies.yaml");
        PolicyFile.Result r = PolicyFile.read(shipped.toString(), Files.readString(shipped));
        assertEquals(List.of(), r.problems());
        assertEquals(List.of("G-02", "G-08", "P-001", "P-003", "P-004"), r.policies().stream().map(Policy::id)
                .toList());
        assertTrue(r.policies().stream().allMatch(Policy::enforced));
        Policy bot = r.policies().stream().filter(p -> p.id().equals("P-003")).findFirst().orElseThrow();
        assertEquals(Map.of("name", "Harmonix", "email", "harmonix@localhost"), bot.parameters());
        assertEquals(r.policies(), PolicyStore.defaults(), "the bundle's defaults are the shipped file");
    }

    @Test
    void anUnknownPolicyIdIsRefusedAtItsLineAndColumn() {
        PolicyFile.Result r = PolicyFile.read("etc/autonomy-policies.yaml", """
                version: 1
                policies:
                  P-001:
                    title: no secrets
                  P-009:
                    title: made up
                """);
        assertFalse(r.valid());
        assertEquals(List.of("etc/autonomy-policies.yaml:5:3: /policies/P-009: unknown policy id 'P-009': expected "
                + "P-001 to P-008 or G-01 to G-15 (the seed's TAP policies)"), r.problems());
    }

    @Test
    void aSyntaxErrorADuplicateKeyAndABadFieldAreRefusedWithPositions() {
        PolicyFile.Result syntax = PolicyFile.read("f.yaml", "version: 1\npolicies:\n  P-001: [title\n");
        assertEquals(1, syntax.problems().size());
        assertTrue(syntax.problems().get(0).matches("f\\.yaml:\\d+:\\d+: not valid YAML: .*"), syntax.problems()
                .toString());

        PolicyFile.Result twice = PolicyFile.read("f.yaml", """
                version: 1
                policies:
                  G-08:
                    title: a
                  G-08:
                    title: b
                """);
        assertTrue(twice.problems().get(0).matches("f\\.yaml:5:\\d+: not valid YAML: Duplicate field 'G-08'.*"),
                twice.problems().toString());

        PolicyFile.Result bad = PolicyFile.read("f.yaml", """
                version: 1
                policies:
                  G-08:
                    title: a
                    enforced: sometimes
                """);
        assertEquals(List.of("f.yaml:5:5: /policies/G-08/enforced: string found, boolean expected"),
                bad.problems());
    }

    @Test
    void aSecondDocumentIsRefusedAtItsStartNotIgnored() {
        String first = """
                version: 1
                policies:
                  G-08:
                    title: a
                """;
        PolicyFile.Result yaml = PolicyFile.read("f.yaml", first + "---\n" + first);
        assertEquals(List.of(), yaml.policies(), "nothing of a file with two documents is in force");
        assertEquals(1, yaml.problems().size(), yaml.problems().toString());
        assertTrue(yaml.problems().get(0).matches("f\\.yaml:6:\\d+: not valid YAML: a second document starts "
                + "here.*"), yaml.problems().toString());

        PolicyFile.Result empty = PolicyFile.read("f.yaml", first + "---\n");
        assertTrue(empty.problems().get(0).contains("a second document"), "an empty second document is one too: "
                + empty.problems());

        PolicyFile.Result json = PolicyFile.read("f.json", "{\"version\": 1, \"policies\": {}}\n"
                + "{\"version\": 1, \"policies\": {\"G-08\": {\"title\": \"a\"}}}\n");
        // In YAML, JSON's second document is a syntax error already (no "---" before it): refused where it starts.
        assertTrue(json.problems().get(0).startsWith("f.json:2:1: not valid YAML: "), json.problems().toString());

        PolicyFile.Result marked = PolicyFile.read("f.yaml", "---\n" + first + "...\n");
        assertTrue(marked.valid(), "one document between its start and end markers is read: " + marked.problems());
        assertEquals(1, marked.policies().size());
    }

    @Test
    void aRefusedFileKeepsThePoliciesInForceAndIsReported() throws Exception {
        Path file = dir.resolve("etc/autonomy-policies.yaml");
        List<String> reported = new ArrayList<>();
        PolicyStore store = new PolicyStore(file, reported::add);
        assertEquals(PolicyStore.defaults(), store.policies(), "no file: the defaults");

        Files.createDirectories(file.getParent());
        Files.writeString(file, "version: 1\npolicies:\n  G-08:\n    title: checks\n    enforced: false\n");
        assertEquals(List.of(new Policy("G-08", "checks", false, Map.of())), store.policies());

        Files.writeString(file, "version: 1\npolicies:\n  G-08:\n    title: checks\n  X-1:\n    title: no\n");
        assertEquals(List.of(new Policy("G-08", "checks", false, Map.of())), store.policies(),
                "the previous policies stay");
        assertEquals(1, store.problems().size());
        assertTrue(store.problems().get(0).startsWith(file + ":5:3: /policies/X-1: unknown policy id 'X-1'"),
                store.problems().toString());
        store.policies();
        assertEquals(1, reported.size(), "reported once per text: " + reported);
        assertTrue(reported.get(0).contains("the policies in force stay: [G-08]"), reported.get(0));

        Files.writeString(file, "version: 1\npolicies:\n  G-08:\n    title: checks\n");
        assertEquals(List.of(new Policy("G-08", "checks", true, Map.of())), store.policies(), "a mended file applies");
        assertEquals(List.of(), store.problems());
    }

    @Test
    void theFileIsReadAtTheFirstQuestionAboutPoliciesAndARefusedOneIsReportedThen() throws Exception {
        Path file = dir.resolve("etc/autonomy-policies.yaml");
        Files.createDirectories(file.getParent());
        Files.writeString(file, "version: 1\npolicies:\n  X-1:\n    title: no\n");
        List<String> reported = new ArrayList<>();
        List<List<Policy>> inForce = new ArrayList<>();
        PolicyStore store = new PolicyStore(file, reported::add, inForce::add);
        assertEquals(List.of(), reported, "nothing read when the store is made (at the component's activation)");
        assertEquals(List.of(), inForce);

        assertEquals(PolicyStore.defaults(), store.policies(), "the file refused: the defaults stay in force");
        assertEquals(1, reported.size(), reported.toString());
        assertTrue(reported.get(0).startsWith(file + ":3:3: /policies/X-1: unknown policy id 'X-1'"),
                reported.get(0));
        assertEquals(List.of(PolicyStore.defaults()), inForce, "the defaults said to be in force");
        assertEquals(1, store.problems().size(), "kept for whoever shows the state");

        Files.writeString(file, "version: 1\npolicies:\n  G-08:\n    title: checks\n");
        assertEquals(List.of(new Policy("G-08", "checks", true, Map.of())), store.policies());
        assertEquals(List.of(new Policy("G-08", "checks", true, Map.of())), inForce.get(1), "a mended file is said");
    }

    @Test
    void aFileThatCannotBeReadAtTheFirstQuestionLeavesTheDefaultsInForceAndSaysSo() throws Exception {
        Path file = Files.createDirectories(dir.resolve("etc/autonomy-policies.yaml")); // a folder: not readable
        List<String> reported = new ArrayList<>();
        List<List<Policy>> inForce = new ArrayList<>();
        PolicyStore store = new PolicyStore(file, reported::add, inForce::add);

        assertEquals(PolicyStore.defaults(), store.policies());
        assertEquals(1, reported.size(), reported.toString());
        assertTrue(reported.get(0).startsWith(file + ": cannot be read: "), reported.get(0));
        assertEquals(List.of(PolicyStore.defaults()), inForce, "the defaults said to be in force, once");
        store.policies();
        assertEquals(1, inForce.size(), inForce.toString());
    }

    static Path distributionEtc() {
        Path p = Path.of("").toAbsolutePath();
        while (p != null && !Files.isDirectory(p.resolve("distribution/src/main/dist/etc"))) {
            p = p.getParent();
        }
        return p.resolve("distribution/src/main/dist/etc");
    }
}
