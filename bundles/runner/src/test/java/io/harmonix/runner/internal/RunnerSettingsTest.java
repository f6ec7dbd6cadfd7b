package io.harmonix.runner.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RunnerSettingsTest {
    @Test
    void readsStringsAndTypedValuesAndKeepsDefaults() {
        assertEquals(RunnerSettings.DEFAULTS, RunnerSettings.parse(Map.of()));
        RunnerSettings s = RunnerSettings.parse(Map.of("poolSize", "3", "defaultDeadline", "1m30s",
                "historySize", 7));
        assertEquals(new RunnerSettings(3, Duration.ofSeconds(90), 7), s);
    }

    @Test
    void namesEveryWrongPropertyWithWhatWasExpected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> RunnerSettings.parse(
                Map.of("poolSize", "0", "defaultDeadline", "soon", "historySize", "many")));
        assertEquals("io.harmonix.runner: poolSize = '0': expected a whole number from 1 to 256; "
                + "historySize = 'many': expected a whole number from 1 to 100000; "
                + "defaultDeadline = 'soon' is not a duration: expected a number with a unit (ms, s, m, h, d), "
                + "e.g. 250ms, 2s, 1m30s, or ISO-8601 such as PT2S", e.getMessage());
    }

    @Test
    void poolResizesInPlace() throws InterruptedException {
        RunEngine engine = new RunEngine(RunnerSettings.DEFAULTS, RunnerLog.console());
        engine.update(new RunnerSettings(2, Duration.ofSeconds(1), 10));
        engine.update(new RunnerSettings(32, Duration.ofSeconds(1), 10));
        assertEquals(32, engine.settings().poolSize());
        engine.close(Duration.ofSeconds(1));
    }
}
