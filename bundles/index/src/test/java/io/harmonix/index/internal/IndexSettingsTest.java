package io.harmonix.index.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.harmonix.config.api.ConfigCheck;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.util.converter.Converters;

/**
 * The index's configuration as DS hands it to {@link IndexComponent} (the typed configuration is built by the OSGi
 * converter, which follows DS's rules), and what the component does with it: {@code index.update} when right as a
 * whole, nothing when not.
 */
class IndexSettingsTest {
    @TempDir
    Path dir;

    static ConfigCheck.Result<IndexSettings> read(Map<String, ?> properties) {
        return IndexSettings.read(Converters.standardConverter().convert(properties).to(IndexComponent.Config.class),
                properties);
    }

    /** The settings of an empty configuration: the defaults declared in {@link IndexComponent.Config}. */
    static IndexSettings defaults() {
        return read(Map.of()).orElseThrow();
    }

    @Test
    void anEmptyConfigurationGivesTheDeclaredDefaults() {
        assertEquals(new IndexSettings("local", 8L << 20, IndexSettings.Sync.GROUP, Duration.ZERO,
                IndexSettings.Retention.NONE, Map.of()), defaults());
    }

    @Test
    void settingsAreCheckedFieldByField() {
        ConfigCheck.Result<IndexSettings> r = read(Map.of("sync", "sometimes", "segmentBytes", "12",
                "retention.peer-a.maxAge", "old"));
        assertEquals(List.of("segmentBytes = '12': expected a whole number from 4096 to 1073741824",
                "sync = 'sometimes': expected always, group or none",
                "retention.peer-a.maxAge = 'old' is not a duration: expected a number with a unit (ms, s, m, h, d), "
                        + "e.g. 250ms, 2s, 1m30s, or ISO-8601 such as PT2S"), r.problems());
        IndexSettings s = read(Map.of("retention.maxPerRun", "100", "retention.peer-a.maxBytes", "5000"))
                .orElseThrow();
        assertEquals(100, s.retentionOf("local").maxPerRun());
        assertEquals(5000, s.retentionOf("peer-a").maxBytes());
    }

    @Test
    void aWrongSyncBesideTheNamespaceKeepsEverySettingAndTheCyclesStayInTheirNamespace() throws Exception {
        List<String> log = new ArrayList<>();
        try (IndexService index = new IndexService(dir.resolve("index"),
                read(Map.of("namespace", "prod", "sync", "always")).orElseThrow(), log::add)) {
            assertFalse(read(Map.of("namespace", "prod", "sync", "maybe")).applyOrReport(index::update, log::add));
            assertEquals(List.of("io.harmonix.index: configuration refused, the settings in force are kept: "
                    + "sync = 'maybe': expected always, group or none"), log);

            index.recordCycle(IndexServiceTest.snapshot("r", 1));
            assertEquals("prod", index.localNamespace());
            assertEquals(List.of("prod"), index.namespaces());
            assertEquals(1, index.stats("prod").records());
            assertFalse(Files.exists(dir.resolve("index/local")), "nothing was sent to the default namespace");
        }
    }

    @Test
    void aRightConfigurationAppliesInPlace() throws Exception {
        try (IndexService index = new IndexService(dir.resolve("index"), defaults(), m -> { })) {
            index.recordCycle(IndexServiceTest.snapshot("r", 1));
            assertTrue(read(Map.of("namespace", "prod", "sync", "none")).applyOrReport(index::update, m -> { }));
            index.recordCycle(IndexServiceTest.snapshot("r", 2));
            assertEquals(List.of("local", "prod"), index.namespaces());
            assertEquals(1, index.stats("local").records());
            assertEquals(1, index.stats("prod").records());
        }
    }

    @Test
    void aWrongConfigurationAtActivationStartsNothingRatherThanTheDefaults() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> read(Map.of("namespace", "prod", "sync", "maybe")).orElseThrow());
        assertEquals("io.harmonix.index: configuration refused, not started until it is corrected: "
                + "sync = 'maybe': expected always, group or none", e.getMessage());
    }
}
