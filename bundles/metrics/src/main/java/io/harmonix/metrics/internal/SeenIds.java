package io.harmonix.metrics.internal;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Ids already counted, the newest {@code capacity} of them. Where a source keeps its latest finished items (workflow
 * instances, controller runs) instead of telling of each as it ends, a scrape counts the items it has not seen yet;
 * an id is forgotten only long after its item left the source's own window.
 */
final class SeenIds {
    private final Map<String, Boolean> ids;

    SeenIds(int capacity) {
        ids = new LinkedHashMap<>(16, 0.75f, false) {
            private static final long serialVersionUID = 1L;

            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
                return size() > capacity;
            }
        };
    }

    /** @return true the first time an id is given (then remembered), false after */
    synchronized boolean first(String id) {
        return ids.putIfAbsent(id, Boolean.TRUE) == null;
    }
}
