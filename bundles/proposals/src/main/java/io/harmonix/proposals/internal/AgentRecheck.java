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
 * itself says what is new and what is fixed. The proposal passes when its finding is no longer reported and no new
 * finding of its severity or above appeared.
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
            if (!e.component().isEmpty()) {
                // the finding's component only: the diff is about it, and a whole tree may take minutes
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
            boolean still = result.findings().stream().anyMatch(t -> t.finding().fingerprint()
                    .equals(e.fingerprint()));
            List<TrackedFinding> worse = result.findings().stream().filter(t -> t.status() == FindingStatus.NEW)
                    .filter(t -> t.finding().severity().atLeast(e.severity())).toList();
            if (still) {
                return new Outcome(false, "the finding is still reported on the result ("
                        + e.ruleId() + ", " + e.fingerprint().substring(0, Math.min(12, e.fingerprint().length()))
                        + ")");
            }
            if (!worse.isEmpty()) {
                return new Outcome(false, worse.size() + " new finding(s) of severity " + e.severity().id()
                        + " or above: " + worse.stream().map(t -> t.finding().ruleId() + " at "
                                + t.finding().location()).collect(Collectors.joining(", ")));
            }
            return new Outcome(true, "the finding is gone" + (seen ? "" : " (the agent did not report it on the "
                    + "base either)") + "; no new finding of severity " + e.severity().id() + " or above; "
                    + result.findings().size() + " finding(s) left");
        }
    }

    private static CycleFindings read(AgentResult r, Enhancement e) {
        return FindingCycle.read(r.outputs()).orElseThrow(() -> new IllegalStateException("the agent of type "
                + e.agentType() + " returned no findings (outputs: " + r.outputs() + ")"));
    }
}
