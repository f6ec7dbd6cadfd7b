package io.harmonix.waves.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class RunPaceTest {
    @Test
    void theSlowdownIsTheWorstRatioOfARunsLastCycleToItsFastest() {
        RunPace pace = new RunPace();
        assertEquals(1.0, pace.slowdown(), 1e-9, "no other run: no slowdown");
        pace.cycle("a", Duration.ofMillis(100));
        pace.cycle("a", Duration.ofMillis(120));
        pace.cycle("b", Duration.ofMillis(50));
        pace.cycle("b", Duration.ofMillis(100));
        assertEquals(2.0, pace.slowdown(), 1e-9, "b takes twice its usual");
        assertEquals(0.0, new Load(0.1, 0.1, pace.slowdown()).capacity(), 1e-9, "which leaves no capacity");
        pace.cycle("b", Duration.ofMillis(55));
        assertEquals(1.2, pace.slowdown(), 1e-9, "a at 120 of 100 is the worst now");
    }

    @Test
    void cyclesUnderAMillisecondAreNoiseNotASlowdown() {
        RunPace pace = new RunPace();
        pace.cycle("fast", Duration.ofNanos(20_000));
        pace.cycle("fast", Duration.ofNanos(400_000));
        assertEquals(1.0, pace.slowdown(), 1e-9);
    }
}
