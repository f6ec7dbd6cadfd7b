package io.harmonix.agent.workflow.internal;

import io.harmonix.enhance.api.Rule;
import io.harmonix.enhance.api.Severity;
import java.util.List;

/** The rules of the workflow optimisation agent. */
final class Rules {
    static final Rule REDUNDANT = new Rule("redundant-dependency", "Redundant depends_on edge",
            "A task depends on a task it already waits for through another of its dependencies.",
            "Remove the edge: the task graph keeps its order (the edge is not in the transitive reduction), and "
                    + "the definition says what matters.", Severity.LOW);
    static final Rule NEEDLESS = new Rule("needless-sequencing", "Needless sequencing",
            "A task waits for a task whose outputs, state and error it never reads.",
            "If the wait is not there for a side effect (a file written, a service called), remove the dependency "
                    + "so that both run in parallel.", Severity.LOW);
    static final Rule CRITICAL = new Rule("critical-path", "Critical path",
            "The chain of tasks that decided the instances' time, its share of that time, and the tasks' time "
                    + "against it (how much ran in parallel).",
            "Shorten the tasks on the path, or split them so that more runs in parallel; tasks off the path do not "
                    + "change the instance's time.", Severity.INFO);
    static final Rule RETRY = new Rule("retry-hotspot", "Retry hotspot",
            "A task needed retries in more than the configured share of its instances.",
            "Find why its first attempts fail (a flaky service, a race, a timeout too short) rather than rely on "
                    + "retries: each costs time and load.", Severity.MEDIUM);
    static final Rule TIMEOUT_LOOSE = new Rule("timeout-far-above-p95", "Timeout far above the observed p95",
            "A task's timeout is many times its observed 95th percentile: a hung attempt is noticed late.",
            "Lower the timeout to a few times the p95, so that a hung attempt is cut and retried early.",
            Severity.LOW);
    static final Rule TIMEOUT_TIGHT = new Rule("timeout-close-to-p95", "Timeout close to the observed p95",
            "A task's timeout is barely above its observed 95th percentile: normal attempts will be cut.",
            "Raise the timeout to about twice the p95, or make the task faster.", Severity.MEDIUM);
    static final Rule NEVER_REACHED = new Rule("task-never-reached", "Task never reached",
            "A task did not run in any of the configured number of latest instances.",
            "Check its condition and its branch: dead tasks hide mistakes and cost reading time.", Severity.LOW);

    static final List<Rule> ALL = List.of(REDUNDANT, NEEDLESS, CRITICAL, RETRY, TIMEOUT_LOOSE, TIMEOUT_TIGHT,
            NEVER_REACHED);

    private Rules() {
    }
}
