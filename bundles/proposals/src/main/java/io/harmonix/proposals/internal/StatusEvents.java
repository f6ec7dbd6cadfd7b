package io.harmonix.proposals.internal;

import io.harmonix.proposals.api.Enhancement;
import io.harmonix.proposals.api.EnhancementStatus;
import java.util.LinkedHashMap;
import java.util.Map;

/** The data of {@link io.harmonix.proposals.api.EnhancementLedger#STATUS_EVENT}. */
final class StatusEvents {
    private StatusEvents() {
    }

    static Map<String, Object> data(Enhancement e, EnhancementStatus previous) {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("id", e.id());
        d.put("status", e.status().id());
        d.put("previous", previous == null ? null : previous.id());
        d.put("agentType", e.agentType());
        d.put("ruleId", e.ruleId());
        d.put("repository", e.repository());
        d.put("waveId", e.waveId());
        d.put("branch", e.branch());
        d.put("reason", e.reason());
        return d;
    }
}
