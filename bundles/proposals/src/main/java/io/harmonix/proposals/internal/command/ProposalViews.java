package io.harmonix.proposals.internal.command;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.harmonix.proposals.api.Enhancement;
import io.harmonix.proposals.api.EnhancementStats;
import io.harmonix.proposals.api.EnhancementStatus;
import io.harmonix.proposals.api.ValidationStep;
import io.harmonix.shell.api.Json;
import io.harmonix.shell.api.Table;
import java.time.Duration;
import java.util.Locale;

/** How enhancements and their stats are shown: text for people, JSON for {@code --json}. */
final class ProposalViews {
    private ProposalViews() {
    }

    static Table listTable() {
        return new Table("ID", "STATUS", "AGENT", "RULE", "SEVERITY", "REPOSITORY", "BASE", "TITLE")
                .ifEmpty("no enhancement");
    }

    static void row(Table t, Enhancement e) {
        t.row(e.id(), e.status().id(), e.agentType(), e.ruleId(), e.severity().id(), e.repository(),
                shortId(e.baseCommit()), e.title());
    }

    static ObjectNode summary(Enhancement e) {
        ObjectNode o = Json.fields(e, "id", "waveId", "agentId", "agentType", "ruleId", "fingerprint", "component",
                "repository", "baseCommit", "title", "branch", "resultCommit", "appliedCommit", "proposedAt",
                "validatedAt", "appliedAt", "rolledBackAt", "revertOf", "revertedBy", "workflowInstance", "reason");
        o.put("severity", e.severity().id());
        o.put("status", e.status().id());
        return o;
    }

    /** @param revert the rollback proposed for {@code e}, or null */
    static ObjectNode json(Enhancement e, Enhancement revert) {
        ObjectNode o = summary(e);
        if (revert != null) {
            o.put("rollbackStatus", revert.status().id());
        }
        o.put("repositoryPath", e.repositoryPath());
        o.put("details", e.details());
        o.put("diff", e.diff());
        ArrayNode steps = o.putArray("validation");
        for (ValidationStep s : e.validation()) {
            ObjectNode n = steps.addObject();
            n.put("name", s.name());
            n.put("passed", s.passed());
            n.put("checkId", s.checkId());
            n.put("message", s.message());
            n.put("durationMillis", s.duration().toMillis());
        }
        return o;
    }

    /** @param revert the rollback proposed for {@code e}, or null */
    static String text(Enhancement e, Enhancement revert) {
        StringBuilder out = new StringBuilder();
        line(out, "enhancement", e.id() + " " + e.status().id() + (e.reason().isEmpty() ? "" : ": " + e.reason()));
        line(out, "title", e.title());
        line(out, "agent", e.agentType() + (e.agentId() == null ? "" : " (" + e.agentId() + ")")
                + (e.waveId() == null ? "" : ", wave " + e.waveId()));
        line(out, "rule", e.ruleId() + ", severity " + e.severity().id());
        line(out, "finding", e.fingerprint());
        line(out, "details", e.details());
        line(out, "repository", e.repository() + " (" + e.repositoryPath() + ")");
        line(out, "base", e.baseCommit());
        if (e.branch() != null || e.resultCommit() != null) {
            line(out, "result", (e.resultCommit() == null ? "-" : e.resultCommit())
                    + (e.branch() == null ? " (branch deleted)" : " on " + e.branch()));
        }
        if (e.appliedCommit() != null) {
            line(out, "applied", e.appliedCommit() + " at " + e.appliedAt());
        }
        if (e.revertOf() != null) {
            line(out, "reverts", "enhancement " + e.revertOf());
        }
        if (e.revertedBy() != null) {
            line(out, "rollback", "enhancement " + e.revertedBy() + (e.rolledBackAt() != null ? ", rolled back at "
                    + e.rolledBackAt() : revert == null ? "" : rollbackState(revert)));
        }
        line(out, "proposed", e.proposedAt() + (e.validatedAt() == null ? "" : ", decided " + e.validatedAt()));
        if (e.workflowInstance() != null) {
            line(out, "workflow", e.workflowInstance() + " (wf:instance " + e.workflowInstance() + ")");
        }
        out.append("validation:").append(e.validation().isEmpty() ? " (not run)\n" : "\n");
        for (ValidationStep s : e.validation()) {
            out.append(String.format(Locale.ROOT, "  %-10s %-6s %8s  %s%s%n", s.name(), s.passed() ? "passed" : "FAILED",
                    seconds(s.duration()), s.checkId() == null ? "" : "check " + s.checkId() + ": ", s.message()));
        }
        out.append("diff:\n").append(e.diff());
        return out.toString();
    }

    /** Where a rollback stands before it is merged: validated, it waits on its branch, the change still on main. */
    private static String rollbackState(Enhancement revert) {
        return revert.status() == EnhancementStatus.VALIDATED ? ", rollback validated: waits on " + revert.branch()
                + " to be merged (then this one is rolled_back)" : ", " + revert.status().id();
    }

    static Table statsTable() {
        return new Table("AGENT", "RULE", "PROPOSED", "VALIDATED", "REJECTED", "APPLIED", "ROLLED BACK", "SUCCESS",
                "VALIDATION TIME").ifEmpty("no enhancement yet");
    }

    static void statsRow(Table t, EnhancementStats s) {
        t.row(s.agentType(), s.ruleId(), s.proposed(), s.validated(), s.rejected(), s.applied(), s.rolledBack(),
                String.format(Locale.ROOT, "%.0f %%", s.successRate() * 100), seconds(s.validationTime()));
    }

    static ObjectNode statsJson(EnhancementStats s) {
        ObjectNode o = Json.fields(s, "agentType", "ruleId", "proposed", "validated", "rejected", "applied",
                "rolledBack");
        o.put("successRate", s.successRate());
        o.put("validationMillis", s.validationTime().toMillis());
        return o;
    }

    static String shortId(String commit) {
        return commit == null ? "-" : commit.substring(0, Math.min(12, commit.length()));
    }

    private static String seconds(Duration d) {
        return String.format(Locale.ROOT, "%.1f s", d.toMillis() / 1000.0);
    }

    private static void line(StringBuilder out, String label, String value) {
        out.append(String.format("%-12s", label + ":")).append(value).append('\n');
    }
}
