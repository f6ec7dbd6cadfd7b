package io.harmonix.autonomy.internal.controller;

import com.fasterxml.jackson.databind.JsonNode;
import io.harmonix.autonomy.api.Toggles;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The run document {@code data/runs/run-<id>.md}: what a controller run saw, how it scored it, what it opened,
 * verified, shipped and refused (with the reasons), the toggles in force and what it learnt. Rendered from the
 * results its phases recorded, so a run resumed after a crash writes the same document. The caller masks it.
 */
final class RunDocument {
    private RunDocument() {
    }

    static String render(String runId, RunStore store, Toggles toggles, Map<String, String> errors,
            List<String> learnt, int failures) throws SQLException {
        RunStore.RunRow row = store.run(runId).orElseThrow();
        JsonNode sense = RunView.result(store, runId, Phase.SENSE);
        JsonNode think = RunView.result(store, runId, Phase.THINK);
        JsonNode act = RunView.result(store, runId, Phase.ACT);
        JsonNode verify = RunView.result(store, runId, Phase.VERIFY);
        JsonNode ship = RunView.result(store, runId, Phase.SHIP);
        StringBuilder md = new StringBuilder();
        md.append("# Controller run ").append(runId).append("\n\n");
        md.append("- trigger: ").append(row.trigger()).append(row.coalesced() > 0 ? " (" + row.coalesced()
                + " more trigger(s) coalesced into it)" : "").append('\n');
        md.append("- started: ").append(row.startedAt()).append("; learnt: ").append(Instant.now()).append('\n');
        md.append("- toggles in force: ").append(Learn.describe(toggles)).append('\n');
        md.append("- repositories: ").append(sense.path("repositories").asInt()).append('\n');
        md.append("- failures in a row: ").append(failures).append("\n\n");

        md.append("## SENSE: signals (").append(sense.path("signals").size()).append(")\n\n");
        table(md, "| repository | rule | signal | evidence |", sense.path("signals"), s -> cells(s.path("repo"),
                s.path("rule"), s.path("summary"), String.join(" ", texts(s.path("evidence")))));
        for (JsonNode scan : sense.path("scans")) {
            md.append("- scans of ").append(scan.path("repo").asText()).append(" at ")
                    .append(scan.path("commit").asText()).append(": ");
            scan.path("agents").forEach(a -> md.append(a.path("agentId").asText()).append(" (run ")
                    .append(a.path("runId").asText()).append(", ").append(a.path("findings").asInt())
                    .append(" finding(s)) "));
            md.append(scan.path("started").isEmpty() ? "(earlier scans of this commit)" : "(started now)")
                    .append('\n');
        }
        for (JsonNode n : sense.path("notes")) {
            md.append("- note: ").append(n.asText()).append('\n');
        }

        md.append("\n## THINK: scores (").append(think.path("items").size()).append(" items)\n\n");
        md.append("Rules: ").append(String.join(", ", texts(think.path("rules")))).append("\n\n");
        table(md, "| item | repository | type | priority | risk | why | change |", think.path("items"),
                s -> cells(s.path("itemId"), s.path("repo"), s.path("type"), s.path("priority"), s.path("risk"),
                        s.path("why"), s.path("change").isObject() ? s.path("change").path("kind").asText() + ": "
                                + s.path("change").path("title").asText() : "none known"));

        md.append("\n## ACT: changes opened (").append(act.path("opened").size()).append(")\n\n");
        md.append(act.path("draft").asBoolean() ? "Quarantine mode: every request is a draft.\n" : "");
        md.append("Requests: ").append(String.join(", ", texts(act.path("opened")))).append('\n');

        md.append("\n## VERIFY (").append(verify.path("verified").asInt()).append(" verified)\n\n");
        table(md, "| change | state | SHA checked |", verify.path("results"), v -> cells(v.path("id"),
                v.path("state"), v.path("sha")));

        md.append("\n## SHIP: shipped (").append(ship.path("shipped").size()).append(")\n\n");
        table(md, "| change | repository | decision | main before | main after |", ship.path("shipped"),
                s -> cells(s.path("id"), s.path("repo"), s.path("decision"), s.path("mainBefore"),
                        s.path("mainAfter")));
        md.append("\n## Refused\n\n");
        List<String> refusals = new java.util.ArrayList<>(texts(act.path("refusals")));
        refusals.addAll(texts(ship.path("refusals")));
        refusals.forEach(r -> md.append("- ").append(r).append('\n'));
        if (refusals.isEmpty()) {
            md.append("Nothing refused.\n");
        }
        if (!errors.isEmpty()) {
            md.append("\n## Phases that failed\n\n");
            errors.forEach((phase, error) -> md.append("- ").append(phase).append(": ").append(error).append('\n'));
        }
        md.append("\n## LEARN\n\n");
        learnt.forEach(l -> md.append("- ").append(l).append('\n'));
        if (learnt.isEmpty()) {
            md.append("Nothing to learn from this run.\n");
        }
        return md.toString();
    }

    private static void table(StringBuilder md, String header, JsonNode rows,
            java.util.function.Function<JsonNode, String> row) {
        if (rows.isEmpty()) {
            md.append("None.\n");
            return;
        }
        md.append(header).append('\n').append(header.replaceAll("[^|]+", "---")).append('\n');
        rows.forEach(r -> md.append(row.apply(r)).append('\n'));
    }

    private static String cells(Object... values) {
        StringBuilder b = new StringBuilder("|");
        for (Object v : values) {
            String t = v instanceof JsonNode n ? (n.isMissingNode() || n.isNull() ? "" : n.asText()) : String.valueOf(v);
            b.append(' ').append(t.replace("|", "\\|").replace("\n", " ")).append(" |");
        }
        return b.toString();
    }

    private static List<String> texts(JsonNode array) {
        List<String> out = new java.util.ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }
}
