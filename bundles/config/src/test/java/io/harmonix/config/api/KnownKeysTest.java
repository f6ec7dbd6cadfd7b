package io.harmonix.config.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class KnownKeysTest {
    @Test
    void aKnownKeyGivesItsValue() {
        assertEquals(1, KnownKeys.get(Map.of("a", 1), "a", "endpoint", "endpoints"));
    }

    @Test
    void anUnknownKeyIsNamedWithTheKnownOnesInTheMapsOrder() {
        Map<String, Integer> map = new LinkedHashMap<>();
        map.put("e2", 2);
        map.put("e1", 1);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> KnownKeys.get(map, "nope", "endpoint", "endpoints"));
        assertEquals("unknown endpoint 'nope'; endpoints: e2, e1", e.getMessage());
    }

    @Test
    void withNothingKnownTheListIsEmpty() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> KnownKeys.get(Map.of(), "x", "namespace", "namespaces"));
        assertEquals("unknown namespace 'x'; namespaces: ", e.getMessage());
    }
}
