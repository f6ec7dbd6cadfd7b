package io.harmonix.agent.performance.internal;

import java.util.Arrays;
import java.util.Optional;
import org.apache.commons.statistics.inference.AlternativeHypothesis;
import org.apache.commons.statistics.inference.FisherExactTest;
import org.apache.commons.statistics.inference.MannWhitneyUTest;

/**
 * The tests behind the findings, from commons-statistics-inference (not hand-rolled): a one-sided Mann-Whitney U
 * test for a slowdown of the recent window against the previous one, and a one-sided Fisher exact test for a failure
 * share that rose. Rank tests because durations are skewed (a few slow outliers) and not normal; one-sided because
 * only a slowdown or more failures is a finding, an improvement is not.
 */
final class Statistics {
    private Statistics() {
    }

    /**
     * A slowdown of the recent window.
     *
     * @param p the one-sided p-value of the Mann-Whitney U test (recent greater than previous)
     * @param u the U statistic of the recent sample
     * @param cles the common-language effect size: the probability that a recent sample is slower than a previous
     *     one (ties count half), U / (n1 n2)
     * @param cliffsDelta Cliff's delta, 2 cles - 1, from -1 to 1
     * @param medianBefore median of the previous window
     * @param medianAfter median of the recent window
     */
    record Shift(double p, double u, double cles, double cliffsDelta, double medianBefore, double medianAfter) {
        /** @return median after over median before (1.2 is a 20 % slowdown); infinite from a zero median */
        double ratio() {
            return medianBefore == 0 ? (medianAfter == 0 ? 1 : Double.POSITIVE_INFINITY) : medianAfter / medianBefore;
        }

        String evidence() {
            return String.format(java.util.Locale.ROOT, "Mann-Whitney U = %.1f, one-sided p = %.3g; "
                    + "common-language effect size %.2f (Cliff's delta %.2f); median %.1f -> %.1f (x%.2f)",
                    u, p, cles, cliffsDelta, medianBefore, medianAfter, ratio());
        }
    }

    /**
     * Compares the recent window with the previous one.
     *
     * @return the shift when it is significant (p below {@code alpha}) AND large enough (median ratio above
     *     1 + {@code minSlowdown}): significance alone flags tiny shifts in long steady series, size alone flags noise
     */
    static Optional<Shift> slowdown(double[] previous, double[] recent, double alpha, double minSlowdown) {
        Shift s = compare(previous, recent);
        return s.p() < alpha && s.ratio() > 1 + minSlowdown ? Optional.of(s) : Optional.empty();
    }

    /** @return the test's figures, whatever they are */
    static Shift compare(double[] previous, double[] recent) {
        MannWhitneyUTest.Result r = MannWhitneyUTest.withDefaults().with(AlternativeHypothesis.GREATER_THAN)
                .test(recent, previous);
        double cles = r.getStatistic() / ((double) recent.length * previous.length);
        return new Shift(r.getPValue(), r.getStatistic(), cles, 2 * cles - 1, median(previous), median(recent));
    }

    /**
     * A failure share that rose: the one-sided Fisher exact test on the 2x2 table (failed, not failed) x (recent,
     * previous), exact for the small counts a window holds.
     *
     * @return the p-value, when the recent share is the higher one and the test is below {@code alpha}
     */
    static Optional<Double> failureRise(int failedBefore, int before, int failedAfter, int after, double alpha) {
        if (after == 0 || before == 0 || (double) failedAfter / after <= (double) failedBefore / before) {
            return Optional.empty();
        }
        double p = FisherExactTest.withDefaults().with(AlternativeHypothesis.GREATER_THAN)
                .test(new int[][] {{failedAfter, after - failedAfter}, {failedBefore, before - failedBefore}})
                .getPValue();
        return p < alpha ? Optional.of(p) : Optional.empty();
    }

    static double median(double[] values) {
        return quantile(values, 0.5);
    }

    /** @return the {@code q} quantile, linear between the closest ranks (the R-7 definition spreadsheets use) */
    static double quantile(double[] values, double q) {
        if (values.length == 0) {
            return Double.NaN;
        }
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        double h = (sorted.length - 1) * q;
        int lo = (int) Math.floor(h);
        int hi = Math.min(lo + 1, sorted.length - 1);
        return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
    }
}
