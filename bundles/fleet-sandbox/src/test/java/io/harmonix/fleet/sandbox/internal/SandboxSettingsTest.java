package io.harmonix.fleet.sandbox.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.harmonix.config.api.ConfigCheck;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.osgi.util.converter.Converters;

/** The sandbox's configuration as DS hands it to {@link SandboxComponent}, read as a whole. */
class SandboxSettingsTest {
    static ConfigCheck.Result<SandboxSettings> read(Map<String, ?> properties) {
        return SandboxSettings.read(Converters.standardConverter().convert(properties)
                .to(SandboxComponent.Config.class), properties);
    }

    @Test
    void anEmptyConfigurationGivesTheDeclaredDefaults() {
        assertEquals(new SandboxSettings(Duration.ofMinutes(10), 2L << 30, 512, true, 256 * 1024, List.of()),
                read(Map.of()).orElseThrow());
    }

    @Test
    void sizesNamesAndDurationsAreRead() {
        assertEquals(new SandboxSettings(Duration.ofSeconds(90), 512L << 20, 64, false, 4096, List.of("MAVEN_OPTS",
                "CI")), read(Map.of("timeLimit", "1m30s", "memoryLimit", "512m", "processLimit", "64",
                        "isolationRequired", "false", "logLimit", "4k", "passEnvironment", "MAVEN_OPTS, CI"))
                .orElseThrow());
    }

    @Test
    void everyWrongValueIsNamedWithWhatWasExpected() {
        ConfigCheck.Result<SandboxSettings> r = read(Map.of("timeLimit", "0s", "memoryLimit", "lots",
                "processLimit", "2", "isolationRequired", "maybe", "logLimit", "100m", "passEnvironment", "A,1B"));
        assertFalse(r.accepted());
        String all = String.join("\n", r.problems());
        for (String expected : List.of("timeLimit", "memoryLimit = 'lots' is not a size", "processLimit",
                "isolationRequired", "logLimit", "'1B' is not an environment variable name")) {
            assertEquals(true, all.contains(expected), expected + " in:\n" + all);
        }
        assertEquals(6, r.problems().size(), all);
    }
}
