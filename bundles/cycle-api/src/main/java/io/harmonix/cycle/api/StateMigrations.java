package io.harmonix.cycle.api;

import com.fasterxml.jackson.databind.JsonNode;

/** Brings a saved state up to its agent's current version, one step at a time. */
public final class StateMigrations {
    private StateMigrations() {
    }

    /**
     * @param agentId for the messages
     * @param where what the state is (e.g. "run r1 cycle 7"), for the messages
     * @return the state in {@code agent.stateVersion()}
     * @throws StateMigrationException naming the agent, the state and the step that has no way forward, or when
     *     the state is newer than the agent (a downgrade)
     */
    public static JsonNode migrate(Agent agent, String agentId, String where, int version, JsonNode state)
            throws StateMigrationException {
        int current = agent.stateVersion();
        if (version > current) {
            throw new StateMigrationException("state of agent '" + agentId + "' (" + where + ") is version " + version
                    + ", newer than the agent's " + current + ": was the agent downgraded?");
        }
        JsonNode s = state;
        for (int v = version; v < current; v++) {
            try {
                s = agent.migrateState(v, s);
            } catch (StateMigrationException e) {
                throw new StateMigrationException("state of agent '" + agentId + "' (" + where
                        + ") cannot be migrated from version " + v + " to " + (v + 1) + ": " + e.getMessage(), e);
            } catch (RuntimeException e) {
                throw new StateMigrationException("state of agent '" + agentId + "' (" + where + ") failed to "
                        + "migrate from version " + v + " to " + (v + 1) + ": " + e, e);
            }
        }
        return s;
    }
}
