package io.harmonix.workflow.internal;

import io.harmonix.workflow.api.HistoryEvent;
import io.harmonix.workflow.api.InstanceInfo;
import io.harmonix.workflow.api.InstanceState;
import io.harmonix.workflow.api.TaskInfo;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** {@code wf:replay}'s comparison: an instance as kept against the same rebuilt from its history alone. */
final class ReplayCheck {
    private static final com.fasterxml.jackson.databind.ObjectMapper COMPARE =
            new com.fasterxml.jackson.databind.ObjectMapper();

    private ReplayCheck() {
    }

    /** @return the differences (empty: equal) */
    static List<String> differences(InstanceInfo kept, InstanceInfo rebuilt, List<HistoryEvent> history) {
        List<String> diffs = new ArrayList<>();
        Map<String, Object> last = history.get(history.size() - 1).data();
        String finalState = HistoryKind.INSTANCE_FINISHED.key().equals(history.get(history.size() - 1).kind())
                ? String.valueOf(last.get("state")) : rebuilt.state().name();
        if (!finalState.equals(kept.state().name()) && !(kept.state() == InstanceState.RUNNING
                && finalState.equals("RUNNING"))) {
            diffs.add("instance state: history says " + finalState + ", kept " + kept.state());
        }
        if (kept.state().finished() && !java.util.Objects.equals(normalize(last.get("output")),
                normalize(kept.output()))) {
            diffs.add("instance output: history says " + last.get("output") + ", kept " + kept.output());
        }
        for (int i = 0; i < kept.tasks().size(); i++) {
            TaskInfo k = kept.tasks().get(i);
            TaskInfo r = rebuilt.tasks().get(i);
            boolean keptEnded = k.state().terminal();
            if (keptEnded && k.state() != r.state()) {
                diffs.add("task " + k.id() + ": history says " + r.state() + ", kept " + k.state());
            } else if (keptEnded && !java.util.Objects.equals(normalize(k.output()), normalize(r.output()))) {
                diffs.add("task " + k.id() + " output: history says " + r.output() + ", kept " + k.output());
            }
        }
        return diffs;
    }

    /** Numbers compare by value whatever their Java type (the history went through JSON). */
    private static Object normalize(Object v) {
        return v == null ? null : COMPARE.valueToTree(v).toString();
    }
}
