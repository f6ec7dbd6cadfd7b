package io.harmonix.agent.performance.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.harmonix.enhance.api.Finding;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.DoubleSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The analysis on recorded series of durations (N = 20, alpha = 0.01, minimum slowdown 10 %, the defaults): steady
 * series with realistic jitter make no finding, an injected 20 % slowdown does, with its p-value and effect size.
 */
class RecordedSeriesTest {
    private static final Pattern P = Pattern.compile("one-sided p = ([0-9.eE-]+)");
    private final Analyser analyser = new Analyser(Settings.defaults());
    private final Map<String, Integer> notAnalysed = new HashMap<>();

    /** Lognormal around a median of 100 ms, sigma 0.15 (about +-15 %, a long right tail): how step times scatter. */
    private static DoubleSupplier lognormal(long seed) {
        return lognormal(seed, 0.15);
    }

    private static DoubleSupplier lognormal(long seed, double sigma) {
        Random r = new Random(seed);
        return () -> 100 * Math.exp(sigma * r.nextGaussian());
    }

    /** Uniform +-15 % around 100 ms. */
    private static DoubleSupplier uniform(long seed) {
        Random r = new Random(seed);
        return () -> 100 * (0.85 + 0.3 * r.nextDouble());
    }

    /** 40 samples: 20, then 20 multiplied by {@code factor}. */
    private static Series series(DoubleSupplier jitter, double factor) {
        Series.Builder b = new Series.Builder("telemetry/runner/a", "steps of agent a");
        for (int i = 0; i < 40; i++) {
            b.add(jitter.getAsDouble() * (i < 20 ? 1 : factor), 0, false);
        }
        return b.build();
    }

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12})
    void aSteadySeriesWithJitterMakesNoFinding(long seed) {
        assertEquals(List.of(), analyser.analyse(series(lognormal(seed), 1.0), notAnalysed));
        assertEquals(List.of(), analyser.analyse(series(uniform(seed), 1.0), notAnalysed));
    }

    /** One series of each jitter, seed 1; how often a slowdown is missed is {@link #falsePositiveRateAndPower}. */
    @Test
    void anInjectedTwentyPercentSlowdownIsFoundWithItsPValueAndEffect() {
        long seed = 1;
        for (Series s : List.of(series(lognormal(seed), 1.2), series(uniform(seed), 1.2))) {
            List<Finding> found = analyser.analyse(s, notAnalysed);
            assertEquals(1, found.size(), () -> "seed " + seed + ": " + found);
            Finding f = found.get(0);
            assertEquals("duration-regression", f.ruleId());
            assertEquals("telemetry/runner/a", f.location().file());
            assertEquals(1, f.location().line());
            Matcher p = P.matcher(f.evidence());
            assertTrue(p.find(), f.evidence());
            assertTrue(Double.parseDouble(p.group(1)) < 0.01, f.evidence());
            assertTrue(f.evidence().contains("common-language effect size")
                    && f.evidence().contains("Cliff's delta"), f.evidence());
            assertTrue(f.message().startsWith("steps of agent a are "), f.message());
        }
    }

    /**
     * How often the defaults flag a steady series (false positives) and a 20 % slowdown (power), over 500 seeds of
     * each jitter. The power is not 1 with 20 samples a side: wider jitter needs a larger N (the window setting).
     */
    @Test
    void falsePositiveRateAndPower() {
        int seeds = 500;
        for (String kind : List.of("uniform +-15%", "lognormal sigma 0.10", "lognormal sigma 0.15")) {
            int falseAlarms = 0;
            int found = 0;
            for (long seed = 1000; seed < 1000 + seeds; seed++) {
                falseAlarms += analyser.analyse(series(jitter(kind, seed), 1.0), notAnalysed).isEmpty() ? 0 : 1;
                found += analyser.analyse(series(jitter(kind, seed), 1.2), notAnalysed).isEmpty() ? 0 : 1;
            }
            System.out.printf("%s: false positives %d/%d, 20%% slowdown found %d/%d%n", kind, falseAlarms, seeds,
                    found, seeds);
            assertTrue(falseAlarms <= seeds / 100, kind + ": " + falseAlarms + " false positives");
            assertTrue(found >= seeds * (kind.endsWith("0.15") ? 0.8 : 0.95), kind + ": found " + found);
        }
    }

    private static DoubleSupplier jitter(String kind, long seed) {
        return kind.startsWith("uniform") ? uniform(seed) : lognormal(seed, kind.endsWith("0.10") ? 0.10 : 0.15);
    }

    @Test
    void theEvidenceGivesTheFiguresOfTheTest() {
        Statistics.Shift s = Statistics.compare(new double[] {10, 11, 12, 13, 14}, new double[] {20, 21, 22, 23, 24});
        assertEquals(25, s.u(), 1e-9); // every recent sample is slower than every previous one
        assertEquals(1.0, s.cles(), 1e-9);
        assertEquals(1.0, s.cliffsDelta(), 1e-9);
        assertEquals(12, s.medianBefore(), 1e-9);
        assertEquals(22, s.medianAfter(), 1e-9);
        assertTrue(s.p() < 0.01, "p = " + s.p());
    }

    @Test
    void aSignificantButSmallSlowdownIsNotReported() {
        Random r = new Random(7);
        // +-1 % jitter and a 5 % slowdown: the test is sure (p tiny), the effect is below the 10 % minimum
        Series s = series(() -> 100 * (0.99 + 0.02 * r.nextDouble()), 1.05);
        double[] ok = s.okMillis();
        assertTrue(Statistics.compare(java.util.Arrays.copyOfRange(ok, 0, 20),
                java.util.Arrays.copyOfRange(ok, 20, 40)).p() < 1e-6);
        assertEquals(List.of(), analyser.analyse(s, notAnalysed));
    }

    @Test
    void aSpeedUpIsNotAFinding() {
        assertEquals(List.of(), analyser.analyse(series(lognormal(3), 0.7), notAnalysed));
    }

    @Test
    void aSeriesShorterThanTwoWindowsIsSaidNotAnalysed() {
        Series.Builder b = new Series.Builder("telemetry/runner/short", "steps of agent short");
        for (int i = 0; i < 39; i++) {
            b.add(i < 20 ? 100 : 200, 0, false);
        }
        assertEquals(List.of(), analyser.analyse(b.build(), notAnalysed));
        assertEquals(Map.of("series (fewer than 40 samples: no window test)", 1), notAnalysed);
    }

    @Test
    void failedStepsAreLeftOutOfTheDurationsButCountInTheFailureRate() {
        Series.Builder b = new Series.Builder("telemetry/workflow/w/t", "task w/t");
        for (int i = 0; i < 40; i++) {
            // the failures of the recent window last 1 ms: taken as durations they would hide nothing, but they
            // are failures, and 8 of 20 against 0 of 20 is a rise
            boolean failed = i >= 20 && i % 5 < 2;
            b.add(failed ? 1 : 100 + i % 3, 0, failed);
        }
        List<Finding> found = analyser.analyse(b.build(), notAnalysed);
        assertEquals(List.of("failure-rate-rising"), found.stream().map(Finding::ruleId).toList());
        assertTrue(found.get(0).message().contains("8 of the last 20 failed, against 0 of the 20 before"),
                found.get(0).message());
        assertTrue(found.get(0).evidence().startsWith("Fisher exact test, one-sided p = "));
    }

    @Test
    void oneMoreFailureIsNotARisingRate() {
        Series.Builder b = new Series.Builder("telemetry/runner/a", "steps of agent a");
        for (int i = 0; i < 40; i++) {
            b.add(100, 0, i == 5 || i == 25 || i == 30);
        }
        assertEquals(List.of(), analyser.analyse(b.build(), notAnalysed));
    }

    @Test
    void aP95AboveEightyPercentOfTheDeadlineIsFound() {
        Random r = new Random(1);
        Series.Builder near = new Series.Builder("telemetry/runner/slow", "steps of agent slow");
        Series.Builder far = new Series.Builder("telemetry/runner/fast", "steps of agent fast");
        for (int i = 0; i < 10; i++) {
            near.add(700 + 200 * r.nextDouble(), 1000, false); // 70-90 % of the deadline
            far.add(400 + 200 * r.nextDouble(), 1000, false);
        }
        List<Finding> found = analyser.analyse(near.build(), notAnalysed);
        assertEquals(List.of("p95-near-deadline"), found.stream().map(Finding::ruleId).toList());
        assertTrue(found.get(0).evidence().endsWith("deadline 1000 ms"), found.get(0).evidence());
        assertEquals(List.of(), analyser.analyse(far.build(), notAnalysed));
    }

    @Test
    void heapAfterGcRisingWithoutFallingIsMemoryGrowth() {
        List<JvmSample> growing = new ArrayList<>();
        List<JvmSample> sawtooth = new ArrayList<>();
        List<JvmSample> flat = new ArrayList<>();
        long mb = 1 << 20;
        for (int i = 0; i < 20; i++) {
            growing.add(sample(i, (100 + 3 * i) * mb)); // 100 -> 157 MB, a step up most cycles
            sawtooth.add(sample(i, (100 + 3 * (i % 10)) * mb)); // as high, but it falls back
            flat.add(sample(i, (100 + i / 10) * mb)); // never falls, rises 1 %
        }
        List<JvmSample> recorded = new ArrayList<>(sawtooth.subList(0, 5));
        recorded.addAll(growing); // older samples than the window do not matter
        Finding f = analyser.memory(recorded).orElseThrow();
        assertEquals("memory-growth", f.ruleId());
        assertEquals("telemetry/jvm", f.location().file());
        assertTrue(f.message().contains("rose 57 %"), f.message());
        assertTrue(analyser.memory(sawtooth).isEmpty());
        assertTrue(analyser.memory(flat).isEmpty());
        assertTrue(analyser.memory(growing.subList(0, 19)).isEmpty(), "fewer samples than the window");
    }

    private static JvmSample sample(int i, long heapAfterGc) {
        return new JvmSample(1_000L * i, heapAfterGc, 512L << 20, i, 10L * i, 40, 0.1);
    }

    @Test
    void aWrongSettingSaysWhichAndWhatWasExpected() {
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> new Settings(20, 1.5, 0.1, 0.8, 0.2, 0, 10, 10));
        assertEquals("io.harmonix.agent.performance: alpha must be between 0 and 1 (exclusive); was 1.5",
                e.getMessage());
    }
}
