package io.harmonix.waves.internal.command;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.harmonix.config.api.Durations;
import io.harmonix.shell.api.Json;
import io.harmonix.shell.api.Table;
import io.harmonix.waves.api.AgentInstance;
import io.harmonix.waves.api.InfiniteSeries;
import io.harmonix.waves.api.Wave;
import io.harmonix.waves.api.WaveReport;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;

/** How waves, their instances and reports are shown: tables for people, JSON for {@code --json}. */
final class WaveViews {
    private WaveViews() {
    }

    static String when(Instant t) {
        return t == null ? "-" : t.truncatedTo(ChronoUnit.SECONDS).toString();
    }

    static String focus(Wave w) {
        return w.focus() == null ? "all" : w.focus().type();
    }

    static Table waves(List<Wave> waves) {
        Table t = new Table("WAVE", "SIZE", "FOCUS", "STATUS", "INSTANCES", "COMPONENTS", "STARTED", "ENDED",
                "TARGET").ifEmpty("no wave yet: wave:start --target PATH --size small");
        for (Wave w : waves) {
            t.row(w.id(), w.size().id(), focus(w), w.status().id(), w.instances().size(), w.components().size(),
                    when(w.startedAt()), when(w.endedAt()), w.target());
        }
        return t;
    }

    static Table series(List<InfiniteSeries> series) {
        Table t = new Table("SERIES", "STATUS", "THROTTLE", "INTERVAL", "WAVES", "LAST DECISION", "TARGET");
        for (InfiniteSeries s : series) {
            t.row(s.id(), s.status().id(), s.throttle(), Durations.format(s.interval()),
                    s.waves().size(), s.lastDecision() == null ? "-" : s.lastDecision(), s.target());
        }
        return t;
    }

    static Table agents(List<AgentInstance> instances) {
        Table t = new Table("AGENT", "TYPE", "WAVE", "RUN", "OWNS", "LEASE UNTIL", "DOING")
                .ifEmpty("no agent instance is active (no wave is running)");
        for (AgentInstance i : instances) {
            t.row(i.agentId(), i.type(), i.waveId(), i.runId() == null ? "-" : i.runId(),
                    String.join(",", i.components()), when(i.leaseExpiry()), i.doing());
        }
        return t;
    }

    static ObjectNode json(Wave w) {
        ObjectNode o = Json.fields(w, "id", "target", "status", "runId", "cycles", "series", "startedAt", "endedAt",
                "message");
        o.put("size", w.size().id());
        o.put("focus", focus(w));
        o.put("status", w.status().id());
        o.set("components", strings(w.components()));
        ArrayNode instances = o.putArray("instances");
        w.instances().forEach(i -> instances.add(json(i)));
        return o;
    }

    static ObjectNode json(AgentInstance i) {
        ObjectNode o = Json.fields(i, "agentId", "type", "waveId", "runId", "leaseExpiry", "doing");
        o.set("components", strings(i.components()));
        return o;
    }

    static ObjectNode json(InfiniteSeries s) {
        ObjectNode o = Json.fields(s, "id", "target", "throttle", "startedAt", "endedAt", "lastDecision");
        o.put("status", s.status().id());
        o.put("interval", Durations.format(s.interval()));
        o.set("waves", strings(s.waves()));
        return o;
    }

    static ObjectNode json(WaveReport r) {
        ObjectNode o = Json.object();
        o.set("wave", json(r.wave()));
        ArrayNode f = o.putArray("findings");
        r.findings().forEach(x -> f.add(Json.fields(x, "fingerprint", "ruleId", "severity", "file", "line", "message",
                "cycle").set("sources", strings(x.sources()))));
        ArrayNode c = o.putArray("conflicts");
        r.conflicts().forEach(x -> c.add(Json.fields(x, "cycle", "kind", "winner", "loser", "agentId",
                "resolution")));
        ArrayNode p = o.putArray("proposals");
        r.proposals().forEach(x -> p.add(Json.fields(x, "cycle", "fingerprint", "agentId", "title", "enhancementId",
                "status")));
        return o;
    }

    /** {@code wave:show}: the wave, its instances, its merged findings, conflicts and proposals. */
    static String report(WaveReport r) {
        Wave w = r.wave();
        StringBuilder out = new StringBuilder();
        out.append("wave ").append(w.id()).append(" (").append(w.size().id()).append(", focus ").append(focus(w))
                .append(") ").append(w.status().id()).append(" on ").append(w.target()).append('\n');
        out.append(w.instances().size()).append(" runs (").append(w.runId()).append("-N, one per instance), ")
                .append(w.cycles()).append(" cycles each, started ")
                .append(when(w.startedAt())).append(w.endedAt() == null ? "" : ", ended " + when(w.endedAt()))
                .append(w.message() == null ? "" : ": " + w.message()).append("\n\n");
        out.append(agents(w.instances())).append('\n');
        Table findings = new Table("SEVERITY", "WHERE", "RULE", "SOURCES", "MESSAGE").ifEmpty("no finding");
        r.findings().forEach(f -> findings.row(f.severity(), f.file() + ":" + f.line(), f.ruleId(),
                String.join(",", f.sources()), f.message()));
        out.append("findings (merged by fingerprint): ").append(r.findings().size()).append('\n').append(findings)
                .append('\n');
        Table conflicts = new Table("CYCLE", "KIND", "AGENT", "RESOLUTION").ifEmpty("no conflict");
        r.conflicts().forEach(c -> conflicts.row(c.cycle(), c.kind(), c.agentId(), c.resolution()));
        out.append("conflicts: ").append(r.conflicts().size()).append('\n').append(conflicts).append('\n');
        Table proposals = new Table("CYCLE", "AGENT", "TITLE", "ENHANCEMENT", "STATUS").ifEmpty("no proposal");
        r.proposals().forEach(p -> proposals.row(p.cycle(), p.agentId(), p.title(),
                p.enhancementId() == null ? "-" : p.enhancementId(), p.status()));
        out.append("proposals: ").append(r.proposals().size()).append('\n').append(proposals);
        return out.toString();
    }

    private static ArrayNode strings(List<String> values) {
        ArrayNode a = Json.array();
        values.forEach(a::add);
        return a;
    }
}
