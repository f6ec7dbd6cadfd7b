package io.harmonix.cycle.api;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.util.List;
import java.util.Optional;
import org.osgi.annotation.versioning.ProviderType;

/** Durable agent state, by agent, run and cycle. */
@ProviderType
public interface StateStore {
    /**
     * Saves the state an agent produced in a cycle.
     *
     * @throws StateConflictException when a state for the same agent, run and cycle was already saved with a
     *     different payload (two writers cannot both win)
     */
    void saveState(String agentId, String runId, long cycle, JsonNode payload) throws IOException;

    /** @return the state the agent produced in that cycle */
    Optional<StoredState> loadState(String agentId, String runId, long cycle) throws IOException;

    /** @return the agent's most recent state in the run */
    Optional<StoredState> latest(String agentId, String runId) throws IOException;

    /** @return the agent's states in the run, newest first, {@code limit} of them from {@code offset} */
    List<StoredState> history(String agentId, String runId, int offset, int limit) throws IOException;

    /** Deletes every state of a run. @return how many were deleted */
    int deleteRun(String runId) throws IOException;
}
