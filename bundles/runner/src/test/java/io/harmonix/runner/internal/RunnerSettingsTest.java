package io.harmonix.runner.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.harmonix.config.api.ConfigCheck;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.osgi.util.converter.Converters;

/**
 * The runner's configuration as DS hands it to {@link RunnerComponent} (the typed configuration built by the OSGi
 * converter, which follows DS's rules), and what the component does with it: {@code engine.update} when right as a
 * whole, nothing when not.
 */
class RunnerSettingsTest {
    static ConfigCheck.Result<RunnerSettings> read(Map<String, ?> properties) {
        return RunnerSettings.read(Converters.standardConverter().convert(properties).to(RunnerConfig.class),
                properties);
    }

    @Test
    void readsStringsAndTypedValuesAndKeepsTheDeclaredDefaults() {
        assertEquals(new RunnerSettings(8, Duration.ofSeconds(30), 100, true), read(Map.of()).orElseThrow());
        RunnerSettings s = read(Map.of("poolSize", "3", "defaultDeadline", "1m30s", "historySize", 7)).orElseThrow();
        assertEquals(new RunnerSettings(3, Duration.ofSeconds(90), 7, true), s);
    }

    @Test
    void namesEveryWrongPropertyWithWhatWasExpected() {
        assertEquals(List.of("poolSize = '0': expected a whole number from 1 to 256",
                "defaultDeadline = 'soon' is not a duration: expected a number with a unit (ms, s, m, h, d), "
                        + "e.g. 250ms, 2s, 1m30s, or ISO-8601 such as PT2S",
                "historySize = 'many': expected a whole number from 1 to 100000",
                "resumeOnStart = 'maybe': expected true or false"),
                read(Map.of("poolSize", "0", "defaultDeadline", "soon", "historySize", "many", "resumeOnStart",
                        "maybe")).problems());
    }

    @Test
    void maxRunsIsNoLimitByDefaultAndANegativeOneIsRefusedKeepingTheSettingsInForce() throws InterruptedException {
        RunnerSettings defaults = read(Map.of()).orElseThrow();
        assertEquals(0, defaults.maxRuns(), "no limit: every run starts where it is asked for");
        assertEquals(Duration.ofSeconds(1), defaults.claimInterval());
        RunnerSettings capped = read(Map.of("maxRuns", "3", "claimInterval", "250ms")).orElseThrow();
        assertEquals(new RunnerSettings(8, Duration.ofSeconds(30), 100, true, 3, Duration.ofMillis(250)), capped);

        assertEquals(List.of("maxRuns = '-1': expected a whole number from 0 to 100000",
                "claimInterval = '0s': expected a duration of more than 0"),
                read(Map.of("maxRuns", "-1", "claimInterval", "0s")).problems());
        RunEngine engine = new RunEngine(capped, RunnerLog.console());
        try {
            List<String> log = new ArrayList<>();
            assertFalse(read(Map.of("maxRuns", -2, "poolSize", "4")).applyOrReport(engine::update, log::add));
            assertEquals(capped, engine.settings(), "the settings in force are kept");
            assertEquals(List.of("io.harmonix.runner: configuration refused, the settings in force are kept: "
                    + "maxRuns = '-2': expected a whole number from 0 to 100000"), log);
        } finally {
            engine.close(Duration.ofSeconds(1));
        }
    }

    @Test
    void aWrongValueAmongRightOnesKeepsEverySettingInForce() throws InterruptedException {
        RunEngine engine = new RunEngine(read(Map.of("poolSize", "4", "defaultDeadline", "5s")).orElseThrow(),
                RunnerLog.console());
        try {
            List<String> log = new ArrayList<>();
            assertFalse(read(Map.of("poolSize", "abc", "defaultDeadline", "10s", "historySize", "50"))
                    .applyOrReport(engine::update, log::add));
            assertEquals(new RunnerSettings(4, Duration.ofSeconds(5), 100, true), engine.settings(),
                    "neither the right values of the refused configuration nor the defaults were applied");
            assertEquals(List.of("io.harmonix.runner: configuration refused, the settings in force are kept: "
                    + "poolSize = 'abc': expected a whole number from 1 to 256"), log);
        } finally {
            engine.close(Duration.ofSeconds(1));
        }
    }

    @Test
    void poolResizesInPlace() throws InterruptedException {
        RunEngine engine = new RunEngine(read(Map.of()).orElseThrow(), RunnerLog.console());
        engine.update(new RunnerSettings(2, Duration.ofSeconds(1), 10, true));
        engine.update(new RunnerSettings(32, Duration.ofSeconds(1), 10, true));
        assertEquals(32, engine.settings().poolSize());
        engine.close(Duration.ofSeconds(1));
    }
}
