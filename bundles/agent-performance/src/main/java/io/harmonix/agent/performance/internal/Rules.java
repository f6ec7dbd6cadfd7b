package io.harmonix.agent.performance.internal;

import io.harmonix.enhance.api.Rule;
import io.harmonix.enhance.api.Severity;
import java.util.List;

/** The rules of the performance monitoring agent. */
final class Rules {
    static final Rule REGRESSION = new Rule("duration-regression", "Duration regression",
            "The last N durations of a component are slower than the N before them: a one-sided Mann-Whitney U test "
                    + "below alpha and a median slowdown above the minimum effect.",
            "Look at what changed between the two windows (a deployment, a configuration, more data, a slower "
                    + "service); the evidence gives the p-value, the effect size and both medians.", Severity.MEDIUM);
    static final Rule NEAR_DEADLINE = new Rule("p95-near-deadline", "p95 close to the deadline",
            "The 95th percentile of a component's recent step durations exceeds the configured share of its run's "
                    + "deadline: a slightly slower cycle will time out.",
            "Make the step faster, stop it early when the deadline passes (partial analysis), or give the run a "
                    + "longer deadline.", Severity.MEDIUM);
    static final Rule FAILURES = new Rule("failure-rate-rising", "Failure rate rising",
            "The share of failed attempts (failed or timed-out agent entries, retried or failed workflow tasks, "
                    + "refused deliveries) is higher in the last N than in the N before them: a one-sided Fisher "
                    + "exact test below alpha.",
            "Read the recent errors of the component: a rising share is a new cause, not the usual noise.",
            Severity.MEDIUM);
    static final Rule MEMORY = new Rule("memory-growth", "Memory growth",
            "The heap used after garbage collection never fell across the window of JVM samples and rose by more "
                    + "than the configured share: what survives collections keeps growing, a leak's signature.",
            "Take a heap dump (jcmd PID GC.heap_dump) and look for the collections that grow with cycles; state "
                    + "kept per run or per cycle is the usual suspect.", Severity.MEDIUM);
    static final Rule HOT_METHODS = new Rule("jfr-hot-methods", "Hottest methods",
            "The methods most often on top of the stack in a short JFR recording (jdk.ExecutionSample).",
            "Information: where the runtime spends its CPU now; compare with a recording before a regression.",
            Severity.INFO);
    static final Rule ALLOCATIONS = new Rule("jfr-allocation-sites", "Allocation sites",
            "The methods that allocated most in a short JFR recording (jdk.ObjectAllocationSample, by weight).",
            "Information: allocation drives GC; a site that grows with load is where to look first.", Severity.INFO);

    static final List<Rule> ALL = List.of(REGRESSION, NEAR_DEADLINE, FAILURES, MEMORY, HOT_METHODS, ALLOCATIONS);

    private Rules() {
    }
}
