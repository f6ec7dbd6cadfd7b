package io.harmonix.enhance.internal.command;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.harmonix.enhance.api.CycleFindings;
import io.harmonix.enhance.api.FindingStatus;
import io.harmonix.enhance.internal.FindingRow;
import io.harmonix.enhance.internal.RecordedFindings.AgentCycle;
import io.harmonix.shell.api.Table;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** How the enhance commands show findings: a table per file, a summary line per agent, a JSON object per finding. */
final class FindingViews {
    private static final ObjectMapper JSON = new ObjectMapper();

    private FindingViews() {
    }

    /** Findings grouped by file (files in order), each group a table of severity, line, rule, status, message. */
    static String byFile(List<FindingRow> rows) {
        if (rows.isEmpty()) {
            return "no findings\n";
        }
        Map<String, List<FindingRow>> files = new LinkedHashMap<>();
        rows.stream().sorted(Comparator.comparing((FindingRow r) -> r.finding().location().file())
                .thenComparingInt(r -> r.finding().location().line()))
                .forEach(r -> files.computeIfAbsent(r.finding().location().file(), k -> new ArrayList<>()).add(r));
        StringBuilder out = new StringBuilder();
        files.forEach((file, list) -> {
            out.append(file).append('\n');
            Table t = new Table("SEVERITY", "LINE", "RULE", "STATUS", "AGENT", "MESSAGE");
            for (FindingRow r : list) {
                t.row(r.finding().severity().id(), r.finding().location().line(), r.finding().ruleId(),
                        r.status().id(), r.agentId(), r.finding().message());
            }
            t.toString().lines().forEach(l -> out.append("  ").append(l).append('\n'));
        });
        return out.toString();
    }

    /**
     * "quality: 2 new, 1 persisting, 1 fixed; 12/12 files; not analysed: kotlin 3": the counts of the whole cycle,
     * whatever filter the listing had.
     */
    static String summary(AgentCycle c) {
        CycleFindings f = c.findings();
        long fresh = f.findings().stream().filter(t -> t.status() == FindingStatus.NEW).count();
        StringBuilder s = new StringBuilder(c.agentId()).append(": ").append(fresh).append(" new, ")
                .append(f.findings().size() - fresh).append(" persisting, ").append(f.fixed().size())
                .append(" fixed; ").append(f.filesAnalysed()).append('/').append(f.filesTotal()).append(" files");
        if (f.partial()) {
            s.append("; partial (the deadline came first: nothing reported fixed)");
        }
        if (!f.notAnalysed().isEmpty()) {
            List<String> parts = new ArrayList<>();
            f.notAnalysed().forEach((lang, n) -> parts.add(lang + " " + n));
            s.append("; not analysed: ").append(String.join(", ", parts));
        }
        return s.toString();
    }

    /** @return the finding's fields, its status and the agent that reported it */
    static ObjectNode json(FindingRow r) {
        ObjectNode o = JSON.valueToTree(r.finding());
        o.put("status", r.status().id());
        o.put("agentId", r.agentId());
        return o;
    }

    /** @return the summary of an agent's cycle as JSON */
    static ObjectNode json(AgentCycle c) {
        CycleFindings f = c.findings();
        ObjectNode o = JSON.createObjectNode();
        o.put("agentId", c.agentId());
        o.put("agentType", f.agentType());
        o.put("runId", c.runId());
        o.put("cycle", c.cycle());
        o.put("target", f.target());
        o.put("commit", f.commit());
        o.set("components", JSON.valueToTree(f.components()));
        long fresh = f.findings().stream().filter(t -> t.status() == FindingStatus.NEW).count();
        o.put("new", fresh);
        o.put("persisting", f.findings().size() - fresh);
        o.put("fixed", f.fixed().size());
        o.put("filesAnalysed", f.filesAnalysed());
        o.put("filesTotal", f.filesTotal());
        o.put("partial", f.partial());
        o.set("notAnalysed", JSON.valueToTree(f.notAnalysed()));
        return o;
    }
}
