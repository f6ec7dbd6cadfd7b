package io.harmonix.waves.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.harmonix.waves.api.Focus;
import io.harmonix.waves.api.WaveSize;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class WavePlannerTest {
    private static final List<String> TWELVE = WaveFixture.COMPONENTS;

    @Test
    void aSmallWaveIsThreeToFiveInstancesOfItsFocusFilledByTheCapacityLeft() {
        assertEquals(5, WavePlanner.plan(WaveSize.SMALL, Focus.SECURITY, TWELVE, 1.0, 0, Map.of()).size());
        assertEquals(4, WavePlanner.plan(WaveSize.SMALL, Focus.SECURITY, TWELVE, 0.5, 0, Map.of()).size());
        assertEquals(3, WavePlanner.plan(WaveSize.SMALL, Focus.SECURITY, TWELVE, 0.0, 0, Map.of()).size());
        assertTrue(WavePlanner.plan(WaveSize.SMALL, Focus.SECURITY, TWELVE, 1.0, 0, Map.of()).stream()
                .allMatch(p -> p.type().equals("security")));
    }

    @Test
    void aLargeWaveIsTenToFifteenInstancesAcrossEveryType() {
        List<WavePlanner.Planned> plan = WavePlanner.plan(WaveSize.LARGE, null, TWELVE, 0.0, 0, Map.of());
        assertEquals(10, plan.size());
        for (Focus f : Focus.values()) {
            assertEquals(2, plan.stream().filter(p -> p.type().equals(f.type())).count(), f.type());
        }
        assertEquals(12, WavePlanner.plan(WaveSize.LARGE, null, TWELVE, 1.0, 0, Map.of()).size(),
                "15 at full capacity, but never more instances than components to own");
    }

    @Test
    void everyComponentIsOwnedByExactlyOneInstance() {
        for (WaveSize size : List.of(WaveSize.SMALL, WaveSize.LARGE)) {
            List<WavePlanner.Planned> plan = WavePlanner.plan(size, Focus.QUALITY, TWELVE, 1.0, 0, Map.of());
            List<String> owned = new ArrayList<>();
            plan.forEach(p -> owned.addAll(p.components()));
            assertEquals(TWELVE.size(), owned.size(), size + ": " + plan);
            assertEquals(Set.copyOf(TWELVE), new HashSet<>(owned), size + ": " + plan);
            assertTrue(plan.stream().noneMatch(p -> p.components().isEmpty()), size + ": " + plan);
        }
    }

    @Test
    void fewerComponentsThanTheSizeMakeFewerInstances() {
        assertEquals(2, WavePlanner.plan(WaveSize.LARGE, null, List.of("a", "b"), 1.0, 0, Map.of()).size());
        assertEquals(List.of(), WavePlanner.plan(WaveSize.SMALL, Focus.QUALITY, List.of(), 1.0, 0, Map.of()));
    }

    @Test
    void anInfiniteWaveIsTheThrottleScaledByTheCapacityAndNoneWhenThereIsNone() {
        assertEquals(5, WavePlanner.count(WaveSize.INFINITE, 1.0, 5));
        assertEquals(2, WavePlanner.count(WaveSize.INFINITE, 0.5, 5));
        assertEquals(0, WavePlanner.count(WaveSize.INFINITE, 0.1, 5));
        assertEquals(List.of(), WavePlanner.plan(WaveSize.INFINITE, null, TWELVE, 0.0, 5, Map.of()));
    }

    @Test
    void aSmallWaveWithoutFocusTakesTheTypeWhoseProposalsValidateBest() {
        Map<Focus, Double> w = Map.of(Focus.WORKFLOW, 0.9, Focus.QUALITY, 0.2);
        assertTrue(WavePlanner.plan(WaveSize.SMALL, null, TWELVE, 1.0, 0, w).stream()
                .allMatch(p -> p.type().equals("workflow")));
    }
}
