package io.harmonix.waves.internal;

import io.harmonix.waves.api.Focus;
import java.util.EnumMap;
import java.util.Map;

/**
 * Adaptive deployment: each agent type's weight is its proposals' chance to validate, estimated with one success
 * and one failure added (Laplace's rule), so a type with no record weighs 0.5, one whose proposals validate goes
 * towards 1 and one whose proposals are rejected or rolled back towards 0. A rolled-back proposal counts as a
 * failure even though it validated once: it was wrong where it mattered.
 */
final class Effectiveness {
    /** One type's record. */
    record Record(long validated, long rejected, long rolledBack) {
    }

    private Effectiveness() {
    }

    static Map<Focus, Double> weights(Map<Focus, Record> records) {
        Map<Focus, Double> out = new EnumMap<>(Focus.class);
        for (Focus f : Focus.values()) {
            Record r = records.getOrDefault(f, new Record(0, 0, 0));
            long good = Math.max(0, r.validated() - r.rolledBack());
            long bad = r.rejected() + r.rolledBack();
            out.put(f, (good + 1.0) / (good + bad + 2.0));
        }
        return out;
    }
}
