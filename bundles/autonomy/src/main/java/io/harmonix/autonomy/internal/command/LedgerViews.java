package io.harmonix.autonomy.internal.command;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.harmonix.autonomy.api.BacklogItem;
import io.harmonix.autonomy.api.LedgerProblem;
import io.harmonix.autonomy.internal.ledger.LedgerDocument;
import io.harmonix.shell.api.Json;
import io.harmonix.shell.api.Table;
import java.nio.file.Path;
import java.util.List;

/** How the ledger: commands show items and problems. */
final class LedgerViews {
    private LedgerViews() {
    }

    static Table itemTable(boolean filtered) {
        return new Table("ID", "REPO", "TYPE", "PRIORITY", "RISK", "STATUS", "UPDATED", "DECISION")
                .ifEmpty(filtered ? "no backlog item matches" : "the backlog is empty (a controller run fills it: "
                        + "autonomy:run)");
    }

    static void itemRow(Table t, BacklogItem i) {
        t.row(i.id(), i.repo(), i.type().json(), i.priority(), i.risk().json(), i.status().json(), i.updatedAt(),
                i.policyDecisionRef() == null ? "-" : i.policyDecisionRef());
    }

    static ObjectNode json(BacklogItem i) {
        return LedgerDocument.json(i);
    }

    static String show(BacklogItem i) {
        StringBuilder s = new StringBuilder();
        line(s, "id", i.id());
        line(s, "repo", i.repo());
        line(s, "type", i.type().json());
        line(s, "priority", i.priority() + " (1 is the most urgent)");
        line(s, "risk", i.risk().json() + (i.risk().needsApproval() ? " (ships only after change:approve)" : ""));
        line(s, "status", i.status().json());
        line(s, "created_at", i.createdAt());
        line(s, "updated_at", i.updatedAt());
        line(s, "policy_decision_ref", orDash(i.policyDecisionRef())
                + (i.policyDecisionRef() == null ? "" : "  (index:prove " + i.policyDecisionRef() + ")"));
        line(s, "run_id", orDash(i.runId()));
        line(s, "workflow", orDash(i.workflow()));
        line(s, "commit_sha", orDash(i.commitSha()));
        s.append("evidence_links:\n");
        i.evidenceLinks().forEach(l -> s.append("  ").append(l).append('\n'));
        return s.toString();
    }

    private static void line(StringBuilder s, String name, Object value) {
        s.append(String.format("%-20s %s%n", name + ":", value));
    }

    private static String orDash(String s) {
        return s == null ? "-" : s;
    }

    /** @return one line per problem, {@code FILE:LINE:COLUMN: POINTER: message} */
    static String problems(Path file, List<LedgerProblem> problems) {
        StringBuilder s = new StringBuilder();
        problems.forEach(p -> s.append(file).append(':').append(p.line()).append(':').append(p.column()).append(": ")
                .append(p.pointer().isEmpty() ? "(document)" : p.pointer()).append(": ").append(p.message())
                .append('\n'));
        return s.toString();
    }

    static ObjectNode validation(Path file, boolean exists, int items, List<LedgerProblem> problems) {
        ObjectNode o = Json.object().put("file", file.toString()).put("exists", exists)
                .put("valid", problems.isEmpty()).put("items", items);
        ArrayNode a = o.putArray("problems");
        problems.forEach(p -> a.addObject().put("pointer", p.pointer()).put("line", p.line())
                .put("column", p.column()).put("message", p.message()));
        return o;
    }
}
