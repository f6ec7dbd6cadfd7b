package io.harmonix.runner.internal;

import com.fasterxml.jackson.databind.JsonNode;
import io.harmonix.cycle.api.CycleSnapshot;
import io.harmonix.state.api.AgentCheckpoint;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A cycle the agents have run, not committed yet: it counts for its run only once {@link RunnerJournal#commit}
 * made it so.
 *
 * @param snapshot the cycle's snapshot
 * @param newStates the state each agent that answered produced, by agent id (agents that failed keep theirs)
 * @param agents the agents called, by id
 * @param failed how many entries of the snapshot failed
 */
record ExecutedCycle(CycleSnapshot snapshot, Map<String, JsonNode> newStates, Map<String, AgentHandle> agents,
        int failed) {
    /** @return the new states as the journal checkpoints them, each with its agent's state format version */
    List<AgentCheckpoint> checkpoints() {
        List<AgentCheckpoint> states = new ArrayList<>();
        newStates.forEach((id, state) -> states.add(new AgentCheckpoint(id, agents.get(id).agent().stateVersion(),
                state)));
        return states;
    }

    /** Makes the cycle count in {@code run}: its next cycle starts from these states; its history shows it. */
    void countIn(Run run) {
        run.states.putAll(newStates);
        run.committed(snapshot, failed);
    }
}
