package io.harmonix.agent.performance.internal;

import io.harmonix.enhance.api.Finding;
import io.harmonix.enhance.api.Location;
import io.harmonix.enhance.api.Risk;
import io.harmonix.enhance.api.Rule;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Turns telemetry into findings: the tests of {@link Statistics} on each {@link Series}, and the memory trend of the
 * JVM samples. Every finding is placed at line 1 of its series' pseudo file, with risk low (there is nothing to
 * apply: the findings say where to look).
 */
final class Analyser {
    static final String TYPE = "performance";
    static final String JVM_FILE = "telemetry/jvm";

    private final Settings settings;

    Analyser(Settings settings) {
        this.settings = settings;
    }

    /**
     * @param notAnalysed counts the series too short for the window tests ("series (fewer than 2N samples)"):
     *     said, not silently skipped
     * @return the findings of one series
     */
    List<Finding> analyse(Series series, Map<String, Integer> notAnalysed) {
        List<Finding> found = new ArrayList<>();
        int n = settings.window();
        double[] ok = series.okMillis();
        if (ok.length >= 2 * n) {
            double[] previous = Arrays.copyOfRange(ok, ok.length - 2 * n, ok.length - n);
            double[] recent = Arrays.copyOfRange(ok, ok.length - n, ok.length);
            Statistics.slowdown(previous, recent, settings.alpha(), settings.minSlowdown()).ifPresent(s ->
                    found.add(finding(Rules.REGRESSION, series.file(), String.format(Locale.ROOT,
                            "%s are %.0f %% slower: median %.1f ms over the last %d against %.1f ms over the %d "
                                    + "before", series.label(), (s.ratio() - 1) * 100, s.medianAfter(), n,
                            s.medianBefore(), n), s.evidence())));
        }
        nearDeadline(series).ifPresent(found::add);
        if (series.samples().size() >= 2 * n) {
            List<Series.Sample> window = series.last(2 * n);
            int before = failures(window.subList(0, n));
            int after = failures(window.subList(n, 2 * n));
            Statistics.failureRise(before, n, after, n, settings.alpha()).ifPresent(p ->
                    found.add(finding(Rules.FAILURES, series.file(), String.format(Locale.ROOT,
                            "%s: %d of the last %d failed, against %d of the %d before", series.label(), after, n,
                            before, n), String.format(Locale.ROOT, "Fisher exact test, one-sided p = %.3g; "
                            + "failure share %.2f -> %.2f", p, (double) before / n, (double) after / n))));
        }
        if (series.samples().size() < 2 * n) {
            notAnalysed.merge("series (fewer than " + 2 * n + " samples: no window test)", 1, Integer::sum);
        }
        return found;
    }

    /** The p95 of the recent step durations, as a share of each step's deadline, against the configured share. */
    private Optional<Finding> nearDeadline(Series series) {
        double[] shares = series.last(settings.window()).stream().filter(s -> s.deadlineMillis() > 0)
                .mapToDouble(s -> s.millis() / s.deadlineMillis()).toArray();
        if (shares.length < Settings.MIN_P95_SAMPLES) {
            return Optional.empty();
        }
        double p95 = Statistics.quantile(shares, 0.95);
        if (p95 <= settings.deadlineShare()) {
            return Optional.empty();
        }
        double[] millis = series.last(settings.window()).stream().filter(s -> s.deadlineMillis() > 0)
                .mapToDouble(Series.Sample::millis).toArray();
        double deadline = series.samples().get(series.samples().size() - 1).deadlineMillis();
        return Optional.of(finding(Rules.NEAR_DEADLINE, series.file(), String.format(Locale.ROOT,
                "%s: p95 is %.0f %% of the deadline (more than %.0f %%)", series.label(), p95 * 100,
                settings.deadlineShare() * 100), String.format(Locale.ROOT, "p95 %.1f ms, median %.1f ms over the "
                + "last %d steps; deadline %.0f ms", Statistics.quantile(millis, 0.95), Statistics.median(millis),
                shares.length, deadline)));
    }

    /**
     * Memory growth: over the last N JVM samples, the heap after GC never fell and rose by more than the configured
     * share. Monotonic, because a heap that falls back after a collection is not leaking, however high it went.
     */
    Optional<Finding> memory(List<JvmSample> samples) {
        int n = settings.window();
        if (samples.size() < n) {
            return Optional.empty();
        }
        List<JvmSample> w = samples.subList(samples.size() - n, samples.size());
        for (int i = 1; i < n; i++) {
            if (w.get(i).heapAfterGc() < w.get(i - 1).heapAfterGc()) {
                return Optional.empty();
            }
        }
        long first = w.get(0).heapAfterGc();
        long last = w.get(n - 1).heapAfterGc();
        if (first <= 0 || last <= first * (1 + settings.memoryGrowth())) {
            return Optional.empty();
        }
        JvmSample end = w.get(n - 1);
        return Optional.of(finding(Rules.MEMORY, JVM_FILE, String.format(Locale.ROOT,
                "heap after GC rose %.0f %% over the last %d samples without ever falling: %.1f MB -> %.1f MB",
                (last / (double) first - 1) * 100, n, mb(first), mb(last)), String.format(Locale.ROOT,
                "heap after GC (MB): %s; committed %.1f MB; %d collections, %d ms in GC; %d threads",
                w.stream().map(s -> String.format(Locale.ROOT, "%.1f", mb(s.heapAfterGc()))).toList(),
                mb(end.heapCommitted()), end.gcCount(), end.gcMillis(), end.threads())));
    }

    /**
     * A finding of the agent. Its fingerprint is made from the rule and the pseudo file only, so that the same
     * problem of the same component persists across cycles while its figures change.
     */
    static Finding finding(Rule rule, String file, String message, String evidence) {
        return Finding.of(TYPE, rule.id(), rule.severity(), Risk.LOW, "", Location.lines(file, 1, 1), message,
                evidence, file);
    }

    private static int failures(List<Series.Sample> samples) {
        return (int) samples.stream().filter(Series.Sample::failed).count();
    }

    private static double mb(long bytes) {
        return bytes / (1024.0 * 1024.0);
    }
}
