package io.harmonix.autonomy.api;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.osgi.annotation.versioning.ProviderType;

/**
 * The decisions of the controller and of the people who govern it, and the policies they are made under. A decision
 * is durable in the federated index when {@link #record} returns: callers record BEFORE they act.
 */
@ProviderType
public interface DecisionLog {
    /** The namespace of the federated index that holds the decisions. */
    String NAMESPACE = "autonomy-decisions";

    /** @return the policies read from the policy file at start (or its last valid version), sorted by id */
    List<Policy> policies();

    Optional<Policy> policy(String id);

    /**
     * Appends a decision to the index (synced) and returns it with its id.
     *
     * @throws IllegalArgumentException when a policy id is not in {@link #policies()}
     * @throws IllegalStateException when the index cannot take it (the caller must then not act)
     */
    Decision record(String decision, List<String> policies, Map<String, ?> inputs, String outcome,
            List<String> reasons, String runId);

    Optional<Decision> decision(String id);

    /** @return the newest decisions first, at most {@code limit} */
    List<Decision> decisions(int limit);

    /** @return the commit-message trailer that carries the decision: {@code TAP-DECISION: <id> <outcome> ...} */
    String trailer(Decision decision);
}
