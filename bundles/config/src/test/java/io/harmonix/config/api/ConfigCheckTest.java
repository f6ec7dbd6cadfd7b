package io.harmonix.config.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.osgi.util.converter.Converters;

/**
 * The typed configuration is built from the properties by the OSGi converter, which follows the same rules as DS
 * (key {@code retry.jitter} for accessor {@code retry_jitter}, the declared default for an absent key, lenient
 * conversion), so these tests see what a component sees.
 */
class ConfigCheckTest {
    @interface SampleConfig {
        String namespace() default "local";

        int poolSize() default 8;

        boolean resumeOnStart() default true;

        String defaultDeadline() default "30s";

        String retention_maxAge() default "";

        String sync() default "group";

        double retry_jitter() default 0.2;
    }

    record Settings(String namespace, int poolSize, boolean resumeOnStart, Duration defaultDeadline,
            Duration maxAge, String sync, double jitter) {
    }

    private static final Pattern NAME = Pattern.compile("[a-z]{1,16}");

    static ConfigCheck.Result<Settings> read(Map<String, ?> properties) {
        SampleConfig config = Converters.standardConverter().convert(properties).to(SampleConfig.class);
        ConfigCheck check = new ConfigCheck("io.harmonix.sample", properties);
        String namespace = check.text("namespace", config::namespace, NAME, "1-16 lower-case letters");
        int poolSize = check.wholeNumber("poolSize", config::poolSize, 1, 256);
        boolean resume = check.bool("resumeOnStart", config::resumeOnStart);
        Duration deadline = check.positiveDuration("defaultDeadline", config::defaultDeadline);
        Duration maxAge = check.optionalDuration("retention.maxAge", config::retention_maxAge);
        String sync = check.oneOf("sync", config::sync, "always", "group", "none");
        double jitter = check.decimal("retry.jitter", config::retry_jitter, 0, 1);
        return check.result(() -> new Settings(namespace, poolSize, resume, deadline, maxAge, sync, jitter));
    }

    @Test
    void anEmptyConfigurationGivesTheDefaultsDeclaredInTheTypedConfiguration() {
        ConfigCheck.Result<Settings> r = read(Map.of());
        assertTrue(r.accepted());
        assertEquals(new Settings("local", 8, true, Duration.ofSeconds(30), null, "group", 0.2), r.settings());
    }

    @Test
    void stringsFromFilesAndTypedValuesFromConfigAdminAreRead() {
        ConfigCheck.Result<Settings> r = read(Map.of("namespace", " prod ", "poolSize", "3", "resumeOnStart",
                "FALSE", "defaultDeadline", "1m30s", "retention.maxAge", "7d", "sync", "Always", "retry.jitter", 0.5));
        assertEquals(new Settings("prod", 3, false, Duration.ofSeconds(90), Duration.ofDays(7), "always", 0.5),
                r.orElseThrow());
        assertEquals(3, read(Map.of("poolSize", 3L)).settings().poolSize());
        assertFalse(read(Map.of("resumeOnStart", Boolean.FALSE)).settings().resumeOnStart());
    }

    @Test
    void oneBadKeyAmongGoodOnesIsRefusedWholeAndEveryKeyKeepsItsSettingInForce() {
        AtomicReference<Settings> inForce = new AtomicReference<>(read(Map.of("namespace", "prod", "poolSize", "4",
                "sync", "always")).orElseThrow());
        List<String> log = new ArrayList<>();

        ConfigCheck.Result<Settings> next = read(Map.of("namespace", "staging", "poolSize", "16", "sync", "maybe"));
        assertFalse(next.applyOrReport(inForce::set, log::add));

        assertEquals(new Settings("prod", 4, true, Duration.ofSeconds(30), null, "always", 0.2), inForce.get(),
                "neither the good keys of the refused configuration nor the defaults replaced what was in force");
        assertNull(next.settings());
        assertEquals(List.of("io.harmonix.sample: configuration refused, the settings in force are kept: "
                + "sync = 'maybe': expected always, group or none"), log);

        assertTrue(read(Map.of("namespace", "staging", "poolSize", "16")).applyOrReport(inForce::set, log::add));
        assertEquals("staging", inForce.get().namespace());
        assertEquals(16, inForce.get().poolSize());
        assertEquals("group", inForce.get().sync(), "a key taken out goes back to its declared default");
    }

    @Test
    void anUnknownKeyIsWarnedAboutWithTheKnownKeyItIsNearestToAndChangesNothing() {
        List<String> warned = new ArrayList<>();
        Settings s = read(Map.of("poolSzie", "3", "namespace", "prod", "retry.jiter", "0.5", "colour", "blue",
                "service.pid", "io.harmonix.sample", "felix.fileinstall.filename", "file:/x.cfg",
                "dataSource.target", "(x=y)")).orElseThrow(e -> { }, warned::add);
        assertEquals(8, s.poolSize(), "the typo set nothing");
        assertEquals("prod", s.namespace());
        assertEquals(List.of("io.harmonix.sample: unknown key 'colour' ignored",
                "io.harmonix.sample: unknown key 'poolSzie' ignored (did you mean 'poolSize'?)",
                "io.harmonix.sample: unknown key 'retry.jiter' ignored (did you mean 'retry.jitter'?)"), warned);
        assertTrue(read(Map.of("poolSize", "3")).warnings().isEmpty());
    }

    @Test
    void aFileOfBinaryGarbageIsRefusedNotReadAsDefaults() {
        // what FileInstall makes of random bytes read as key = value lines
        ConfigCheck.Result<Settings> r = read(Map.of("\u0001\u00ff\u0000k", "\u0002", "namespace", "prod"));
        assertFalse(r.accepted());
        assertEquals(List.of("'\\u0001\\u00ff\\u0000k' is not a key (letters, digits, '.', '-' and '_'): is the file "
                + "key = value lines?"), r.problems());
    }

    @Test
    void everyWrongValueIsNamedWithWhatWasExpected() {
        ConfigCheck.Result<Settings> r = read(Map.of("namespace", "", "poolSize", "abc", "resumeOnStart", "maybe",
                "defaultDeadline", "10parsecs", "retention.maxAge", "0s", "sync", "sometimes", "retry.jitter", "2"));
        assertEquals(List.of(
                "namespace = '': expected 1-16 lower-case letters",
                "poolSize = 'abc': expected a whole number from 1 to 256",
                "resumeOnStart = 'maybe': expected true or false",
                "defaultDeadline = '10parsecs' is not a duration: expected a number with a unit (ms, s, m, h, d), "
                        + "e.g. 250ms, 2s, 1m30s, or ISO-8601 such as PT2S",
                "sync = 'sometimes': expected always, group or none",
                "retry.jitter = '2': expected a number from 0.0 to 1.0"), r.problems());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, r::orElseThrow);
        assertTrue(e.getMessage().startsWith("io.harmonix.sample: configuration refused, not started until it is "
                + "corrected: namespace = ''"), e.getMessage());
    }

    @Test
    void whatDsConvertsLenientlyIsRefusedHere() {
        // what the typed configuration alone would say: a typo reads as false, a blank number fails only when read
        SampleConfig lenient = Converters.standardConverter().convert(Map.of("resumeOnStart", "maybe", "poolSize",
                " ")).to(SampleConfig.class);
        assertFalse(lenient.resumeOnStart());
        assertThrows(RuntimeException.class, lenient::poolSize);

        assertEquals(List.of("poolSize = ' ': expected a whole number from 1 to 256",
                "resumeOnStart = 'maybe': expected true or false"),
                read(Map.of("resumeOnStart", "maybe", "poolSize", " ")).problems());
        assertEquals(List.of("defaultDeadline = '0ms': expected a duration of more than 0"),
                read(Map.of("defaultDeadline", "0ms")).problems());
    }

    @Test
    void theSettingsAreNotBuiltFromAConfigurationWithAProblem() {
        ConfigCheck check = new ConfigCheck("io.harmonix.sample", Map.of("registry", "etc/missing.json"));
        check.problem("registry", "an existing file");
        ConfigCheck.Result<Object> r = check.result(() -> {
            throw new AssertionError("built from a refused configuration");
        });
        assertEquals(List.of("registry = 'etc/missing.json': expected an existing file"), r.problems());
    }

    @Test
    void aParserOfTheComponentsOwnNamesTheValueAndWhatItExpected() {
        ConfigCheck check = new ConfigCheck("io.harmonix.sample", Map.of("schedule.e1", "every day"));
        Integer fields = check.parsed("schedule.e1", () -> "continuous", text -> {
            if (!text.matches("\\S+( \\S+){4,5}")) {
                throw new IllegalArgumentException("'" + text + "': expected 5 or 6 cron fields");
            }
            return text.split(" ").length;
        });
        assertNull(fields);
        assertEquals(List.of("schedule.e1 = 'every day': expected 5 or 6 cron fields"),
                check.result(() -> fields).problems());
        assertEquals("continuous", new ConfigCheck("io.harmonix.sample", Map.of())
                .parsed("schedule", () -> "continuous", text -> text));
    }
}
