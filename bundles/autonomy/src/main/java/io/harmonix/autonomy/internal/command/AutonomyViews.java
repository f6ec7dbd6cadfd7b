package io.harmonix.autonomy.internal.command;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.harmonix.autonomy.api.AutonomyStatus;
import io.harmonix.autonomy.api.ControllerRun;
import io.harmonix.autonomy.api.ItemStatus;
import io.harmonix.autonomy.api.Toggles;
import io.harmonix.shell.api.Json;
import io.harmonix.shell.api.Table;
import java.time.Duration;

/** How the autonomy: commands show runs, toggles and the status, as text and as JSON. */
final class AutonomyViews {
    private AutonomyViews() {
    }

    static String toggles(Toggles t) {
        return "enabled            " + t.enabled() + "\n"
                + "automergeEnabled   " + t.automergeEnabled() + "\n"
                + "maxChangesPerDay   " + t.maxChangesPerDay() + "\n"
                + "quarantineMode     " + t.quarantineMode() + (t.quarantineReason() == null ? ""
                        : " (" + t.quarantineReason() + ")") + "\n"
                + "zone               " + t.zone().getId();
    }

    static ObjectNode json(Toggles t) {
        ObjectNode o = Json.fields(t, "enabled", "automergeEnabled", "maxChangesPerDay", "quarantineMode",
                "quarantineReason");
        o.put("zone", t.zone().getId());
        return o;
    }

    /** One run in a few lines: counts, refusals, its document. */
    static String run(ControllerRun r) {
        StringBuilder b = new StringBuilder();
        b.append("run ").append(r.id()).append(" ").append(r.state()).append(" (").append(r.trigger())
                .append(r.coalesced() > 0 ? ", " + r.coalesced() + " trigger(s) coalesced" : "").append(")");
        if (r.endedAt() != null) {
            b.append(" in ").append(took(r));
        }
        b.append('\n').append("  signals ").append(r.signals()).append(", items ").append(r.itemsUpserted())
                .append(", opened ").append(r.opened()).append(", verified ").append(r.verified())
                .append(", shipped ").append(r.shipped()).append(", refused ").append(r.refusals().size());
        r.refusals().forEach(x -> b.append("\n  refused: ").append(x));
        if (r.document() != null) {
            b.append("\n  document: ").append(r.document());
        }
        return b.toString();
    }

    private static String took(ControllerRun r) {
        Duration d = Duration.between(r.startedAt(), r.endedAt());
        return d.toSeconds() >= 1 ? d.toSeconds() + " s" : d.toMillis() + " ms";
    }

    static ObjectNode json(ControllerRun r) {
        ObjectNode o = Json.fields(r, "id", "trigger", "startedAt", "endedAt", "phase", "state", "coalesced",
                "signals", "itemsUpserted", "opened", "verified", "shipped", "document");
        r.refusals().forEach(o.putArray("refusals")::add);
        return o;
    }

    static Table runs(Iterable<ControllerRun> runs) {
        Table t = new Table("RUN", "TRIGGER", "STARTED", "PHASE", "STATE", "SIGNALS", "OPENED", "SHIPPED", "REFUSED");
        for (ControllerRun r : runs) {
            t.row(r.id(), r.trigger() + (r.coalesced() > 0 ? "+" + r.coalesced() : ""), r.startedAt(), r.phase(),
                    r.state(), r.signals(), r.opened(), r.shipped(), r.refusals().size());
        }
        return t.ifEmpty("no controller run yet (autonomy:run starts one)");
    }

    /** Which runtime runs the controller: this one, or the node that leads while this one stands by. */
    static String leader(boolean leads, java.util.Optional<String> leader) {
        return "leader             " + (leads ? leader.map(n -> n + " (this runtime)").orElse("this runtime")
                : leader.orElse("none right now (another node takes over within a lease)")
                        + "; this runtime stands by");
    }

    static String status(AutonomyStatus s) {
        StringBuilder items = new StringBuilder();
        for (ItemStatus st : ItemStatus.values()) {
            items.append(items.length() == 0 ? "" : ", ").append(st.json()).append(' ')
                    .append(s.items().getOrDefault(st, 0));
        }
        return toggles(s.toggles()) + "\n"
                + "shipped today      " + s.shippedToday() + " of " + s.toggles().maxChangesPerDay() + "\n"
                + "failures in a row  " + s.consecutiveFailures() + "\n"
                + "backlog items      " + items + "\n\n"
                + runs(s.lastRuns());
    }

    static ObjectNode json(AutonomyStatus s) {
        ObjectNode o = Json.object();
        o.set("toggles", json(s.toggles()));
        o.put("shippedToday", s.shippedToday());
        o.put("consecutiveFailures", s.consecutiveFailures());
        ObjectNode items = o.putObject("items");
        for (ItemStatus st : ItemStatus.values()) {
            items.put(st.json(), s.items().getOrDefault(st, 0));
        }
        s.lastRuns().forEach(r -> o.withArray("lastRuns").add(json(r)));
        return o;
    }
}
