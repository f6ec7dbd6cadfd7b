package io.harmonix.proposals.internal;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.harmonix.cycle.api.Agent;
import io.harmonix.cycle.api.AgentContext;
import io.harmonix.cycle.api.AgentResult;
import io.harmonix.enhance.api.CycleFindings;
import io.harmonix.enhance.api.FindingCycle;
import io.harmonix.enhance.api.FindingStatus;
import io.harmonix.enhance.api.Target;
import io.harmonix.enhance.api.TrackedFinding;
import io.harmonix.proposals.api.Enhancement;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Runs the proposing agent's type again on the result: one cycle on a worktree of the base commit, then the same
 * worktree moved to the result commit and a second cycle with the first one's state, so that {@link FindingCycle}
 * itself says what is new and what is fixed. The proposal passes when its finding, reported on the base, is no
 * longer reported and no new finding of its severity or above appeared. Only the finding's component is analysed
 * when the diff stays inside it; otherwise the whole tree.
 */
final class AgentRecheck {
    private AgentRecheck() {
    }

    /** What the two cycles showed. */
    record Outcome(boolean passed, String message) {
    }

    static Outcome run(Enhancement e, Agent agent, Path dir, Duration timeout) throws Exception {
        try (Worktree wt = Worktree.add(Path.of(e.repositoryPath()), dir, e.baseCommit())) {
            ObjectNode inputs = JsonNodeFactory.instance.objectNode();
            inputs.put(Target.INPUT_TARGET, wt.path().toString());
            if (!e.component().isEmpty() && within(e.component(), wt.git("diff", "--name-only", "-z", "--no-renames",
                    e.baseCommit(), e.resultCommit()))) {
                // the finding's component only when the diff stays in it (a whole tree may take minutes); a diff
                // reaching further has the whole tree analysed, so what it breaks elsewhere is seen
                inputs.put(Target.INPUT_COMPONENTS, e.component());
            }
            String run = "validate-" + e.id();
            AgentResult base = agent.step(new AgentContext(run, 1, null, inputs, Instant.now().plus(timeout)));
            CycleFindings before = read(base, e);
            wt.checkout(e.resultCommit());
            AgentResult after = agent.step(new AgentContext(run, 2, base.state(), inputs,
                    Instant.now().plus(timeout)));
            CycleFindings result = read(after, e);
            if (before.partial() || result.partial()) {
                return new Outcome(false, "the agent's analysis was partial (it ran out of time): cannot confirm");
            }
            boolean seen = before.findings().stream().anyMatch(t -> t.finding().fingerprint().equals(e.fingerprint()));
            if (!seen) {
                // its absence on the result would prove nothing: an invented or stale fingerprint passes that way
                return new Outcome(false, "the agent did not report the finding on the base commit (" + e.agentType()
                        + " " + e.ruleId() + ", " + shortId(e.fingerprint()) + "): nothing shows the change fixes it");
            }
            boolean still = result.findings().stream().anyMatch(t -> t.finding().fingerprint()
                    .equals(e.fingerprint()));
            List<TrackedFinding> worse = result.findings().stream().filter(t -> t.status() == FindingStatus.NEW)
                    .filter(t -> t.finding().severity().atLeast(e.severity())).toList();
            if (still) {
                return new Outcome(false, "the finding is still reported on the result ("
                        + e.ruleId() + ", " + shortId(e.fingerprint()) + ")");
            }
            if (!worse.isEmpty()) {
                return new Outcome(false, worse.size() + " new finding(s) of severity " + e.severity().id()
                        + " or above: " + worse.stream().map(t -> t.finding().ruleId() + " at "
                                + t.finding().location()).collect(Collectors.joining(", ")));
            }
            return new Outcome(true, "the finding is gone; no new finding of severity " + e.severity().id()
                    + " or above; "
                    + result.findings().size() + " finding(s) left");
        }
    }

    /** @return true when every path of {@code names} (NUL-separated) lies in the folder {@code component} */
    static boolean within(String component, String names) {
        String folder = component.endsWith("/") ? component : component + "/";
        return java.util.Arrays.stream(names.split("\0")).filter(n -> !n.isEmpty())
                .allMatch(n -> n.startsWith(folder));
    }

    private static String shortId(String fingerprint) {
        return fingerprint.substring(0, Math.min(12, fingerprint.length()));
    }

    private static CycleFindings read(AgentResult r, Enhancement e) {
        return FindingCycle.read(r.outputs()).orElseThrow(() -> new IllegalStateException("the agent of type "
                + e.agentType() + " returned no findings (outputs: " + r.outputs() + ")"));
    }
}
