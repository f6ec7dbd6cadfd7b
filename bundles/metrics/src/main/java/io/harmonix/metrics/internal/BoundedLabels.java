package io.harmonix.metrics.internal;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Keeps a label's values few: the first {@code limit} distinct values are used as they are, any later one is
 * reported as {@value #OTHER}. Every series a label value makes lives as long as the registry, so a label fed from
 * an open set (agent instances made by an infinite wave, endpoints renamed over months) must not grow without end.
 * Ids that are new for every run, cycle or instance are never labels at all.
 */
final class BoundedLabels {
    static final String OTHER = "other";
    private final int limit;
    private final Set<String> seen = ConcurrentHashMap.newKeySet();

    BoundedLabels(int limit) {
        this.limit = limit;
    }

    String of(String value) {
        String v = value == null || value.isEmpty() ? "none" : value;
        if (seen.contains(v)) {
            return v;
        }
        synchronized (seen) {
            if (seen.size() < limit) {
                seen.add(v);
                return v;
            }
        }
        return OTHER;
    }
}
