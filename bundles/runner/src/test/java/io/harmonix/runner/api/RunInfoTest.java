package io.harmonix.runner.api;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class RunInfoTest {
    private static RunInfo run(long completed, String forkedFrom) {
        return new RunInfo("r", RunState.RUNNING, List.of(), 100, Duration.ZERO, Duration.ofSeconds(1), completed, 0,
                Instant.EPOCH, null, null, forkedFrom);
    }

    @Test
    void theLastCycleOfARunIsItsCompletedCyclesAndAForksIsNumberedOnFromTheCycleItLeft() {
        assertEquals(0, run(0, null).lastCycle(), "nothing committed yet");
        assertEquals(7, run(7, null).lastCycle());
        assertEquals(12 + 3, run(3, "origin:12").lastCycle(), "forked after cycle 12 of origin");
        assertEquals(12, run(0, "a:b:12").lastCycle(), "the number after the last colon");
        assertEquals(3, run(3, "origin:latest").lastCycle(), "no number: counted from 1, as for any run");
    }
}
