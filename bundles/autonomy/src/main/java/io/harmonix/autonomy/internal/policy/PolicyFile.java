package io.harmonix.autonomy.internal.policy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.Schema;
import io.harmonix.autonomy.api.LedgerProblem;
import io.harmonix.autonomy.api.Policy;
import io.harmonix.autonomy.internal.ledger.CheckedJson;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The policy file ({@code etc/autonomy-policies.yaml}, docs/formats/autonomy-policies.schema.json) read into
 * policies, or refused with every problem as {@code file:line:column: pointer: message}. YAML reads JSON too.
 */
public final class PolicyFile {
    /** The seed's TAP policy ids: P-001 to P-008 and G-01 to G-15. */
    public static final Pattern IDS = Pattern.compile("P-00[1-8]|G-(0[1-9]|1[0-5])");
    private static final ObjectMapper YAML = CheckedJson.YAML;
    private static final Schema SCHEMA = CheckedJson.schema(io.harmonix.autonomy.internal.ledger.LedgerDocument.class,
            "autonomy-policies.schema.json");
    private static final String EXPECTED = "version: 1 and policies: a mapping of policy ids to title, enforced, "
            + "parameters";

    /** The policies of a file, sorted by id, or its problems (then no policy). */
    public record Result(List<Policy> policies, List<String> problems) {
        public boolean valid() {
            return problems.isEmpty();
        }
    }

    private PolicyFile() {
    }

    /** @param source how problems name the file */
    public static Result read(String source, String text) {
        CheckedJson.Parsed parsed = CheckedJson.parse(YAML, text, EXPECTED);
        List<LedgerProblem> problems = parsed.ok() ? CheckedJson.validate(SCHEMA, parsed) : parsed.problems();
        if (!problems.isEmpty()) {
            List<String> lines = new ArrayList<>();
            for (LedgerProblem p : problems) {
                lines.add(source + ":" + p.line() + ":" + p.column() + ": " + (p.pointer().isEmpty() ? ""
                        : p.pointer() + ": ") + explained(p));
            }
            return new Result(List.of(), List.copyOf(lines));
        }
        List<Policy> policies = new ArrayList<>();
        parsed.root().get("policies").fields().forEachRemaining(e -> {
            JsonNode p = e.getValue();
            @SuppressWarnings("unchecked")
            Map<String, Object> parameters = p.has("parameters") ? YAML.convertValue(p.get("parameters"), Map.class)
                    : Map.of();
            policies.add(new Policy(e.getKey(), p.get("title").asText(), p.path("enforced").asBoolean(true),
                    parameters));
        });
        policies.sort(java.util.Comparator.comparing(Policy::id));
        return new Result(List.copyOf(policies), List.of());
    }

    /** An id the schema does not allow is named as what it is: an unknown policy. */
    private static String explained(LedgerProblem p) {
        if (p.pointer().startsWith("/policies/") && p.pointer().indexOf('/', "/policies/".length()) < 0) {
            String id = p.pointer().substring("/policies/".length());
            if (!IDS.matcher(id).matches()) {
                return "unknown policy id '" + id + "': expected P-001 to P-008 or G-01 to G-15 (the seed's TAP "
                        + "policies)";
            }
        }
        return p.message();
    }
}
