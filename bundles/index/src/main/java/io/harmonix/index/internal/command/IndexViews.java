package io.harmonix.index.internal.command;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.harmonix.cycle.api.CycleSnapshots;
import io.harmonix.index.api.IndexedCycle;
import io.harmonix.shell.api.Json;
import java.util.List;

/** How indexed cycles and proofs read in the shell. */
final class IndexViews {
    private IndexViews() {
    }

    static ObjectNode json(IndexedCycle c, boolean withSnapshot) {
        ObjectNode o = Json.fields(c, "namespace", "sequence", "recordedAt");
        o.put("cycleId", c.snapshot().cycleId());
        if (withSnapshot) {
            o.set("snapshot", CycleSnapshots.toTree(c.snapshot()));
        }
        return o;
    }

    /** @return a proof's audit path, a line per hash ({@code path[i]  hash}) */
    static String pathLines(List<String> path) {
        StringBuilder lines = new StringBuilder();
        for (int i = 0; i < path.size(); i++) {
            lines.append("path[").append(i).append("]  ").append(path.get(i)).append('\n');
        }
        return lines.toString();
    }
}
