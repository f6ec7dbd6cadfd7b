package io.harmonix.enhance.internal.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.harmonix.enhance.internal.sarif.SarifFixes;
import io.harmonix.enhance.testing.SarifMultitool;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * enhance:findings --sarif writes a log the official SARIF validator (Microsoft's SARIF multitool, pinned) finds
 * no error in, with the agent as the tool, its rules, the findings at their locations, fingerprints, and fixes
 * that do what the proposals' diffs do; and the validator does report a broken log, so this test can fail.
 */
class SarifExportTest extends ScanTestBase {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Override
    String javaFile() {
        return "src/dir with space/B.java";
    }

    /**
     * An agent whose rules cannot be read now (its configuration names a file gone since: refused at first use, not
     * at activation) does not take the export down: its findings go out without the rules, and the answer says why.
     */
    @Test
    void anAgentWhoseRulesCannotBeReadIsExportedWithoutThemSayingWhy() throws Exception {
        fx.scan("--target", fx.repo.toString());
        fx.agent.rulesRefused = "rulesFile = 'gone.toml': no such file; expected a rules file";
        Path file = dir.resolve("out/findings.sarif");

        String said = fx.findings("--sarif", file.toString());

        assertTrue(said.contains("todo: its rules left out (rulesFile = 'gone.toml': no such file; expected a rules "
                + "file)"), said);
        SarifMultitool.Report report = SarifMultitool.validate(file);
        assertTrue(report.errors().isEmpty(), "the validator found errors: " + report.errors());
        JsonNode run = JSON.readTree(file.toFile()).at("/runs/0");
        assertEquals(3, run.path("results").size(), "every finding exported");
        assertTrue(run.at("/tool/driver/rules").toString().contains("Rule fixme of the todo agent."),
                "its rules named by their findings alone: " + run.at("/tool/driver/rules"));
    }

    @Test
    void theLogIsValidAndCarriesRulesLocationsFingerprintsAndFixes() throws Exception {
        fx.scan("--target", fx.repo.toString());
        Path file = dir.resolve("out/findings.sarif");
        JsonNode said = JSON.readTree(fx.findings("--sarif", file.toString(), "--json"));
        assertEquals(3, said.path("findings").asInt());

        // kept for a look with a SARIF viewer
        Files.copy(file, Path.of("target/findings.sarif"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        SarifMultitool.Report report = SarifMultitool.validate(file);
        assertTrue(report.errors().isEmpty(), "the validator found errors: " + report.errors() + "\n"
                + Files.readString(file));

        JsonNode log = JSON.readTree(file.toFile());
        assertEquals("2.1.0", log.path("version").asText());
        JsonNode run = log.at("/runs/0");
        assertEquals(1, log.path("runs").size(), "one run per agent");
        assertEquals("Harmonix todo agent", run.at("/tool/driver/name").asText());
        assertEquals("1.2.3", run.at("/tool/driver/version").asText());
        assertEquals("fixme", run.at("/tool/driver/rules/1/id").asText());
        assertEquals("Fix the defect the marker describes.", run.at("/tool/driver/rules/1/help/text").asText());
        assertEquals("error", run.at("/tool/driver/rules/1/defaultConfiguration/level").asText());
        assertEquals(fx.repo.toUri().toString(), run.at("/originalUriBaseIds/SRCROOT/uri").asText());
        assertTrue(run.at("/originalUriBaseIds/SRCROOT/uri").asText().endsWith("/"));
        assertEquals(fx.git("rev-parse", "HEAD").strip(), run.at("/versionControlProvenance/0/revisionId").asText());

        JsonNode fixme = run.at("/results/1");
        assertEquals("fixme", fixme.path("ruleId").asText());
        assertEquals(1, fixme.path("ruleIndex").asInt());
        assertEquals("error", fixme.path("level").asText());
        JsonNode location = fixme.at("/locations/0/physicalLocation");
        assertEquals("a.txt", location.at("/artifactLocation/uri").asText());
        assertEquals("SRCROOT", location.at("/artifactLocation/uriBaseId").asText());
        assertEquals(3, location.at("/region/startLine").asInt());
        assertEquals(1, location.at("/region/startColumn").asInt());
        assertEquals(6, location.at("/region/endColumn").asInt(), "the column after FIXME");
        assertEquals(64, fixme.at("/partialFingerprints/harmonix~1v1").asText().length());
        assertEquals("new", fixme.at("/properties/status").asText());
        assertEquals("low", fixme.at("/properties/risk").asText());
        assertEquals("src/dir%20with%20space/B.java",
                run.at("/results/2/locations/0/physicalLocation/artifactLocation/uri").asText());

        // every fix does to the file what git apply of the proposal's diff does
        JsonNode proposals = JSON.readTree(fx.show(fixme.at("/partialFingerprints/harmonix~1v1").asText(),
                "--json")).path("proposal");
        for (JsonNode result : run.path("results")) {
            JsonNode change = result.at("/fixes/0/artifactChanges/0");
            String path = java.net.URLDecoder.decode(change.at("/artifactLocation/uri").asText(),
                    java.nio.charset.StandardCharsets.UTF_8);
            String original = Files.readString(fx.repo.resolve(path));
            String fingerprint = result.at("/partialFingerprints/harmonix~1v1").asText();
            String diff = JSON.readTree(fx.show(fingerprint, "--json")).at("/proposal/diff").asText();
            Path patch = Files.writeString(dir.resolve("fix.diff"), diff);
            fx.git("apply", patch.toString());
            String applied = Files.readString(fx.repo.resolve(path));
            fx.git("checkout", "--", ".");
            assertEquals(applied, SarifFixes.apply(original, change), "fix of " + fingerprint + ": " + change);
        }
        assertFalse(proposals.isMissingNode());
    }

    @Test
    void theValidatorReportsABrokenLog() throws Exception {
        fx.scan("--target", fx.repo.toString());
        Path file = dir.resolve("broken.sarif");
        fx.findings("--sarif", file.toString());
        ObjectNode log = (ObjectNode) JSON.readTree(file.toFile());
        ObjectNode result = (ObjectNode) log.at("/runs/0/results/0");
        result.remove("message");
        ((ObjectNode) result.at("/locations/0/physicalLocation/region")).put("startLine", 0);
        JSON.writeValue(file.toFile(), log);

        SarifMultitool.Report report = SarifMultitool.validate(file);
        assertTrue(report.errors().stream().anyMatch(e -> e.contains("runs[0].results[0]") && e.contains("message")),
                report.errors().toString());
        assertTrue(report.errors().stream().anyMatch(e -> e.contains("region.startLine")),
                report.errors().toString());
    }
}
