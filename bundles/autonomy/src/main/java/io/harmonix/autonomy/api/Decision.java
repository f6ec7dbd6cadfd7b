package io.harmonix.autonomy.api;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A decision record: what the controller decided, under which policies, from which inputs, with what outcome and
 * why. Every one is appended to the federated index (namespace {@link DecisionLog#NAMESPACE}) before anything it
 * allows happens, referenced by the ledger item ({@code policy_decision_ref}) and carried in the commit message of a
 * shipped change as a {@code TAP-DECISION:} trailer.
 *
 * @param id the id under which the index keeps it ({@code index:prove ID} proves it)
 * @param decision what was decided: {@code ship}, {@code open-change}, {@code verify}, {@code approve}, {@code
 *     toggle}, {@code quarantine}, ...
 * @param policies the ids of the policies evaluated
 * @param inputs what the decision was made from (change id, SHA, check records, toggles, today's count, ...); no
 *     secret ever (P-001: masked by the SecretMaskers before it is written)
 * @param outcome {@code allowed}, {@code refused}, {@code deferred}, ...
 * @param reasons why, one line each (for a refusal every failed condition)
 * @param runId the controller run, or null for a person's action
 */
public record Decision(String id, String decision, List<String> policies, Map<String, Object> inputs,
        String outcome, List<String> reasons, Instant at, String runId) {
    public Decision {
        policies = List.copyOf(policies);
        inputs = Map.copyOf(inputs);
        reasons = List.copyOf(reasons);
    }

    /** @return true when the outcome lets the action proceed */
    public boolean allowed() {
        return "allowed".equals(outcome);
    }
}
