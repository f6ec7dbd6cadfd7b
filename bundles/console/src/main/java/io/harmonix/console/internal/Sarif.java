package io.harmonix.console.internal;

import io.harmonix.enhance.api.Finding;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The findings on show as one SARIF 2.1.0 log: one run per agent type, each result with its rule, level, message,
 * location with the code excerpt as its snippet, and the finding's fingerprint as a partial fingerprint.
 */
final class Sarif {
    static final String SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json";

    private Sarif() {
    }

    static Map<String, Object> log(List<FindingsApi.Row> rows) {
        Map<String, List<FindingsApi.Row>> byType = new LinkedHashMap<>();
        rows.forEach(r -> byType.computeIfAbsent(r.finding().agentType(), k -> new ArrayList<>()).add(r));
        List<Object> runs = new ArrayList<>();
        byType.forEach((type, list) -> runs.add(run(type, list)));
        Map<String, Object> log = new LinkedHashMap<>();
        log.put("$schema", SCHEMA);
        log.put("version", "2.1.0");
        log.put("runs", runs);
        return log;
    }

    private static Map<String, Object> run(String type, List<FindingsApi.Row> rows) {
        Set<String> ruleIds = new LinkedHashSet<>();
        List<Object> results = new ArrayList<>();
        for (FindingsApi.Row r : rows) {
            Finding f = r.finding();
            ruleIds.add(f.ruleId());
            Map<String, Object> region = new LinkedHashMap<>();
            region.put("startLine", f.location().line());
            region.put("endLine", f.location().endLine());
            if (f.location().column() > 0) {
                region.put("startColumn", f.location().column());
            }
            if (!f.evidence().isEmpty()) {
                region.put("snippet", Map.of("text", f.evidence()));
            }
            Map<String, Object> result = new LinkedHashMap<>();
            result.put("ruleId", f.ruleId());
            result.put("level", f.severity().sarifLevel());
            result.put("message", Map.of("text", f.message()));
            result.put("locations", List.of(Map.of("physicalLocation", Map.of(
                    "artifactLocation", Map.of("uri", f.location().file()), "region", region))));
            result.put("partialFingerprints", Map.of("harmonixFingerprint/v1", f.fingerprint()));
            results.add(result);
        }
        List<Object> rules = new ArrayList<>();
        ruleIds.forEach(id -> rules.add(Map.of("id", id)));
        Map<String, Object> driver = new LinkedHashMap<>();
        driver.put("name", "harmonix-" + type);
        driver.put("informationUri", "https://harmonix.io/docs/agents");
        driver.put("rules", rules);
        return Map.of("tool", Map.of("driver", driver), "results", results);
    }
}
