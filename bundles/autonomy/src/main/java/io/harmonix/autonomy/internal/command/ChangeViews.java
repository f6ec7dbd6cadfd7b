package io.harmonix.autonomy.internal.command;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.harmonix.autonomy.api.ChangeRequest;
import io.harmonix.autonomy.api.Decision;
import io.harmonix.autonomy.internal.change.ChangeDetails.CheckLine;
import io.harmonix.fleet.api.CheckHistory;
import io.harmonix.fleet.api.CheckRecord;
import io.harmonix.shell.api.CommandResult;
import io.harmonix.shell.api.Json;
import java.util.List;
import java.util.Optional;

/** How the change: commands render a change request. */
final class ChangeViews {
    private ChangeViews() {
    }

    static String abbrev(String sha) {
        return sha == null ? "-" : sha.substring(0, 12);
    }

    static ObjectNode json(ChangeRequest c) {
        ObjectNode n = Json.fields(c, "id", "repo", "branch", "kind", "title", "state", "baseCommit", "headCommit",
                "verifiedCommit", "approvedBy", "approvalReason", "runId", "createdAt", "updatedAt");
        n.put("risk", c.risk().json());
        c.itemIds().forEach(n.putArray("itemIds")::add);
        c.checkIds().forEach(n.putArray("checkIds")::add);
        c.decisionIds().forEach(n.putArray("decisionIds")::add);
        return n;
    }

    static CommandResult show(ChangeRequest c, List<CheckLine> checks, String note, List<Decision> decisions,
            CheckHistory history, String diff) {
        StringBuilder t = new StringBuilder();
        t.append("change ").append(c.id()).append(": ").append(c.title())
                .append("\nrepo:      ").append(c.repo())
                .append("\nbranch:    ").append(c.branch())
                .append("\nkind:      ").append(c.kind())
                .append("\nitems:     ").append(String.join(", ", c.itemIds()))
                .append("\nrisk:      ").append(c.risk().json())
                .append("\nstate:     ").append(c.state()).append(note == null || note.isEmpty() ? "" : " (" + note + ")")
                .append("\nbase:      ").append(orNone(c.baseCommit()))
                .append("\nhead:      ").append(orNone(c.headCommit()))
                .append("\nverified:  ").append(orNone(c.verifiedCommit()))
                .append("\napproved:  ").append(c.approvedBy() == null ? "-" : c.approvedBy() + ": "
                        + c.approvalReason())
                .append("\nchecks:");
        ObjectNode json = json(c);
        json.put("note", note);
        ArrayNode checkArray = json.putArray("checks");
        if (checks.isEmpty()) {
            t.append(" none yet (not verified)");
        }
        for (CheckLine k : checks) {
            Optional<CheckRecord> r = k.checkId() == null || history == null ? Optional.empty()
                    : history.check(k.checkId());
            t.append("\n  ").append(k.name()).append(": ").append(k.green() ? "green" : "red").append(" on ")
                    .append(k.commit()).append(k.checkId() == null ? "" : " (check #" + k.checkId() + ")")
                    .append(" - ").append(k.detail());
            r.ifPresent(x -> t.append(", ").append(x.duration().toMillis()).append(" ms"));
            checkArray.add(Json.fields(k, "name", "commit", "checkId", "green", "detail"));
        }
        t.append("\ndecisions:");
        if (decisions.isEmpty() && !c.decisionIds().isEmpty()) {
            t.append(" ").append(String.join(", ", c.decisionIds()));
        } else if (decisions.isEmpty()) {
            t.append(" none");
        }
        ArrayNode decisionArray = json.putArray("decisions");
        for (Decision d : decisions) {
            t.append("\n  ").append(d.id()).append(" ").append(d.at()).append(" ").append(d.decision()).append(": ")
                    .append(d.outcome()).append(" - ").append(String.join("; ", d.reasons()));
            decisionArray.add(Json.fields(d, "id", "decision", "outcome", "at", "runId")
                    .set("reasons", Json.array().addAll(d.reasons().stream().map(Json.object()::textNode).toList())));
        }
        t.append("\ndiff:\n").append(diff);
        json.put("diff", diff);
        return CommandResult.of(t.toString(), json);
    }

    private static String orNone(String s) {
        return s == null ? "-" : s;
    }
}
