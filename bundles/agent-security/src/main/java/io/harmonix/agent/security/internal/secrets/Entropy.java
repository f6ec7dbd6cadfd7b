package io.harmonix.agent.security.internal.secrets;

import java.util.HashMap;
import java.util.Map;

/** Shannon entropy, the measure gitleaks' {@code entropy} thresholds are written in. */
public final class Entropy {
    private Entropy() {
    }

    /** @return the Shannon entropy of {@code text} in bits per character; 0 for an empty text */
    public static double shannon(String text) {
        if (text.isEmpty()) {
            return 0;
        }
        Map<Integer, Integer> counts = new HashMap<>();
        text.codePoints().forEach(c -> counts.merge(c, 1, Integer::sum));
        double length = text.codePointCount(0, text.length());
        double bits = 0;
        for (int count : counts.values()) {
            double p = count / length;
            bits -= p * (Math.log(p) / Math.log(2));
        }
        return bits;
    }
}
