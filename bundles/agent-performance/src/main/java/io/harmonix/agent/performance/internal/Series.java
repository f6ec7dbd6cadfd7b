package io.harmonix.agent.performance.internal;

import java.util.ArrayList;
import java.util.List;

/**
 * The recorded durations of one component, oldest first, and where its findings are placed.
 *
 * @param file the pseudo file its findings are located in ({@code telemetry/runner/<agentId>})
 * @param label what it is, for messages ("agent quality.harmonix's steps")
 * @param samples the observations, oldest first
 */
record Series(String file, String label, List<Sample> samples) {
    /**
     * One observation.
     *
     * @param millis how long it took
     * @param deadlineMillis the deadline it had, 0 when none
     * @param failed whether it failed (its duration then says little and is left out of the regression test)
     */
    record Sample(double millis, double deadlineMillis, boolean failed) {
    }

    Series {
        samples = List.copyOf(samples);
    }

    /** @return the durations of the samples that did not fail, oldest first */
    double[] okMillis() {
        return samples.stream().filter(s -> !s.failed()).mapToDouble(Sample::millis).toArray();
    }

    /** @return the last {@code n} samples (fewer when there are fewer) */
    List<Sample> last(int n) {
        return samples.subList(Math.max(0, samples.size() - n), samples.size());
    }

    /** Collects a series sample by sample. */
    static final class Builder {
        private final String file;
        private final String label;
        private final List<Sample> samples = new ArrayList<>();

        Builder(String file, String label) {
            this.file = file;
            this.label = label;
        }

        Builder add(double millis, double deadlineMillis, boolean failed) {
            samples.add(new Sample(millis, deadlineMillis, failed));
            return this;
        }

        Series build() {
            return new Series(file, label, samples);
        }
    }
}
