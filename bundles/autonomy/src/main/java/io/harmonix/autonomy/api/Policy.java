package io.harmonix.autonomy.api;

import java.util.Map;

/**
 * One policy of the policy file ({@code etc/autonomy-policies.yaml}, schema {@code
 * docs/formats/autonomy-policies.schema.json}): the seed's TAP policies such as {@code P-001} (no secrets in logs,
 * commits or messages), {@code P-003} (bot attribution), {@code P-004}/{@code G-02} (no force-push to main), {@code
 * G-08} (never merge with failing checks).
 *
 * @param id {@code P-nnn} or {@code G-nn}
 * @param title what it demands, in one line
 * @param enforced false when the file switches it to report-only (a decision then says it was not enforced)
 * @param parameters its settings (for example the bot identity of P-003), never null
 */
public record Policy(String id, String title, boolean enforced, Map<String, Object> parameters) {
    public Policy {
        parameters = Map.copyOf(parameters);
    }
}
