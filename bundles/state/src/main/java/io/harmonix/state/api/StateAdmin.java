package io.harmonix.state.api;

import io.harmonix.cycle.api.StateMigrationException;
import io.harmonix.cycle.api.StoredState;
import java.io.IOException;
import java.util.List;
import java.util.Optional;
import org.osgi.annotation.versioning.ProviderType;

/**
 * The stored agent states as an administrator sees them (the {@code state:} commands): read as they are or
 * migrated to each agent's current state version, and rewritten in bulk after a migration.
 */
@ProviderType
public interface StateAdmin {
    /** @return the agent's latest state in the run, migrated to the agent's current version when it is present */
    Optional<StoredState> latest(String agentId, String runId) throws IOException;

    /** @return the agent's state after that cycle of the run, migrated as {@link #latest} is */
    Optional<StoredState> loadState(String agentId, String runId, long cycle) throws IOException;

    /** @return the agent's states in the run, newest first, {@code limit} of them after skipping {@code offset} */
    List<StoredState> history(String agentId, String runId, int offset, int limit) throws IOException;

    /** @return every stored state as it is stored (no migration), by run, agent and cycle */
    List<StoredState> allRaw() throws IOException;

    /**
     * @return the state in its agent's current version (as stored when the agent is not present or already there)
     * @throws StateMigrationException naming the agent, run, cycle and step when it has no migration path
     */
    StoredState migrated(StoredState state) throws StateMigrationException;

    /** Rewrites stored states with the versions and payloads given, in one transaction: all or none. */
    void rewrite(List<StoredState> states) throws IOException;
}
