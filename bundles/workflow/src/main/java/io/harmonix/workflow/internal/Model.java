package io.harmonix.workflow.internal;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/** A validated workflow definition, immutable: a running instance keeps the one it started with. */
final class Model {
    private Model() {
    }

    /** How a task with several dependencies decides to run. */
    enum Join { ALL, ANY, ONE }

    /** How retries wait. */
    enum Backoff { FIXED, LINEAR, EXPONENTIAL }

    record Input(String name, String type, Object defaultValue, boolean required, String description) {
    }

    record Retry(int attempts, Backoff backoff, Duration delay, double factor, Duration maxDelay, double jitter) {
        static final Retry NONE = new Retry(1, Backoff.FIXED, Duration.ZERO, 2, Duration.ofMinutes(5), 0);

        /** @return the wait after failed attempt {@code n} (from 1), before jitter */
        Duration after(int n) {
            double base = switch (backoff) {
                case FIXED -> delay.toNanos();
                case LINEAR -> delay.toNanos() * (double) n;
                case EXPONENTIAL -> delay.toNanos() * Math.pow(factor, n - 1);
            };
            return Duration.ofNanos((long) Math.min(maxDelay.toNanos(), base));
        }
    }

    /**
     * @param input the task's input: JSON-like values whose strings may hold ${...} expressions
     * @param onFailure "fail", "continue", or the id of a compensation task
     */
    record Task(String id, String component, String action, Map<String, Object> input, List<String> dependsOn,
            String when, Join join, Object forEachItems, int forEachParallelism, String repeatUntil, int repeatMax,
            Retry retry, Duration timeout, String onFailure, boolean compensation) {
        boolean tolerated() {
            return "continue".equals(onFailure);
        }

        String compensatedBy() {
            return "fail".equals(onFailure) || "continue".equals(onFailure) ? null : onFailure;
        }
    }

    /** An event that starts an instance: type pattern, optional filter, input mapped from the event. */
    record Trigger(String type, String filter, Map<String, Object> input) {
    }

    record Workflow(String name, String version, String description, int parallelism, Map<String, Input> inputs,
            Map<String, Task> tasks, Map<String, Object> output, String source, String text, List<Trigger> on) {
    }
}
