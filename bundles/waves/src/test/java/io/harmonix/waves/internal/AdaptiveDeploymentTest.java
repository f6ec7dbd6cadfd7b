package io.harmonix.waves.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.harmonix.proposals.api.EnhancementStats;
import io.harmonix.waves.api.Focus;
import io.harmonix.waves.api.Wave;
import io.harmonix.waves.api.WaveRequest;
import io.harmonix.waves.api.WaveSize;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AdaptiveDeploymentTest {
    @TempDir
    Path dir;

    private static EnhancementStats stats(String type, String rule, long validated, long rejected, long rolledBack) {
        return new EnhancementStats(type, rule, validated + rejected, validated, rejected, 0, rolledBack,
                Duration.ZERO);
    }

    @Test
    void aTypeWithoutARecordWeighsAHalfAndTheRecordMovesItEitherWay() {
        Map<Focus, Double> w = Effectiveness.weights(LedgerSink.records(List.of(
                stats("security", "secrets/aws", 6, 0, 0), stats("security", "java/xxe", 2, 0, 0),
                stats("quality", "UnusedImport", 1, 5, 0), stats("quality", "UnusedField", 0, 3, 0),
                stats("workflow", "redundant-dependency", 4, 0, 4), stats("todo", "todo", 9, 0, 0))));
        assertEquals(0.9, w.get(Focus.SECURITY), 1e-9, "8 validated of 8: (8+1)/(8+2)");
        assertEquals(2.0 / 11, w.get(Focus.QUALITY), 1e-9, "1 validated, 8 rejected: (1+1)/(9+2)");
        assertEquals(1.0 / 6, w.get(Focus.WORKFLOW), 1e-9, "4 validated, all 4 rolled back: (0+1)/(4+2): a "
                + "rollback is a failure");
        assertEquals(0.5, w.get(Focus.ARCHITECTURE), 1e-9);
        assertEquals(0.5, w.get(Focus.PERFORMANCE), 1e-9, "a type that is not one of the five is left out");
    }

    @Test
    void rejectionsShiftTheInstancesOfALargeWaveToTheTypesWhoseProposalsValidate() throws Exception {
        try (WaveFixture fx = WaveFixture.open(dir, 4)) {
            Wave before = fx.waves.start(new WaveRequest(fx.repo().toString(), WaveSize.LARGE, null, List.of(), 1,
                    Duration.ZERO));
            fx.awaitEnd(before.id());
            assertEquals(Map.of("quality", 3L, "security", 3L, "architecture", 2L, "performance", 2L,
                    "workflow", 2L), count(before), "no record: 12 instances evenly, remainders to the first types");

            fx.weights.putAll(Effectiveness.weights(LedgerSink.records(List.of(
                    stats("quality", "UnusedImport", 0, 10, 0), stats("security", "secrets/aws", 10, 0, 0)))));
            Wave after = fx.waves.start(new WaveRequest(fx.repo().toString(), WaveSize.LARGE, null, List.of(), 1,
                    Duration.ZERO));
            fx.awaitEnd(after.id());
            Map<String, Long> shifted = count(after);
            assertEquals(12, after.instances().size());
            assertTrue(shifted.getOrDefault("quality", 0L) < 3, "rejected: fewer quality instances " + shifted);
            assertTrue(shifted.get("security") > 3, "validated: more security instances " + shifted);
            assertEquals(Map.of("quality", 1L, "security", 4L, "architecture", 3L, "performance", 2L,
                    "workflow", 2L), shifted, "one each, then 7 seats by weights 1/12, 11/12, 1/2, 1/2, 1/2");
        }
    }

    @Test
    void aSmallWaveWithoutFocusGoesToTheBestType() throws Exception {
        try (WaveFixture fx = WaveFixture.open(dir, 4)) {
            fx.weights.putAll(Effectiveness.weights(LedgerSink.records(List.of(
                    stats("architecture", "cycle", 5, 0, 0), stats("quality", "UnusedImport", 3, 0, 0)))));
            Wave w = fx.waves.start(WaveRequest.of(fx.repo().toString(), WaveSize.SMALL, null, List.of()));
            assertEquals(Focus.ARCHITECTURE, w.focus());
            fx.awaitEnd(w.id());
        }
    }

    private static Map<String, Long> count(Wave w) {
        return w.instances().stream().collect(java.util.stream.Collectors.groupingBy(i -> i.type(),
                java.util.stream.Collectors.counting()));
    }
}
