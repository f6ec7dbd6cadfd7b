package io.harmonix.state.api;

import io.harmonix.cycle.api.CycleSnapshot;
import io.harmonix.cycle.api.StoredState;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.osgi.annotation.versioning.ProviderType;

/** The durable record of runs, written by the runner, read to resume them. */
@ProviderType
public interface RunJournal {
    /**
     * Records a new run (state running, last cycle {@code startCycle - 1}).
     *
     * @param startCycle its first cycle: 1, or the cycle after the one a fork starts from
     * @throws io.harmonix.cycle.api.StateConflictException when the id is taken
     */
    RunRecord createRun(String runId, com.fasterxml.jackson.databind.JsonNode definition, long startCycle,
            String forkedFrom) throws IOException;

    /**
     * Commits one cycle in one transaction: its snapshot, the new states of the agents that produced one, and the
     * run's last cycle. Idempotent: committing the cycle that is already the last one does nothing.
     *
     * @throws io.harmonix.cycle.api.StateConflictException when the run is not at the cycle before (another writer
     *     went ahead, or a cycle is missing)
     */
    void checkpoint(CycleSnapshot snapshot, List<AgentCheckpoint> states) throws IOException;

    /** Records the run's state (paused, running, completed, stopped, failed) and why. */
    void setState(String runId, String state, String message) throws IOException;

    Optional<RunRecord> run(String runId) throws IOException;

    /** @return every run, oldest first */
    List<RunRecord> runs() throws IOException;

    /** @return the committed snapshots of a run after {@code afterCycle}, in order, at most {@code limit} */
    List<CycleSnapshot> cycles(String runId, long afterCycle, int limit) throws IOException;

    /**
     * @return each agent's state as it was after {@code cycle} (its latest state at or before that cycle), brought
     *     to the agent's current state version when the agent is present
     * @throws io.harmonix.cycle.api.StateMigrationException when a state has no migration path
     */
    Map<String, StoredState> statesAt(String runId, long cycle) throws IOException;
}
