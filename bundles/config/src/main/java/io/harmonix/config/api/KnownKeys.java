package io.harmonix.config.api;

import java.util.Map;

/**
 * Looks a name up among the ones an engine knows (its namespaces, its endpoints), so that a wrong name is answered
 * the same way everywhere: by what was asked for and what there is to ask for.
 */
public final class KnownKeys {
    private KnownKeys() {
    }

    /**
     * @param kind what a key names, for the message ({@code "endpoint"})
     * @param kinds the same in the plural ({@code "endpoints"})
     * @return the value under {@code key}
     * @throws IllegalArgumentException when there is none: {@code unknown endpoint 'x'; endpoints: a, b}, the keys in
     *     the map's order
     */
    public static <V> V get(Map<String, V> map, String key, String kind, String kinds) {
        V value = map.get(key);
        if (value == null) {
            throw new IllegalArgumentException("unknown " + kind + " '" + key + "'; " + kinds + ": "
                    + String.join(", ", map.keySet()));
        }
        return value;
    }
}
