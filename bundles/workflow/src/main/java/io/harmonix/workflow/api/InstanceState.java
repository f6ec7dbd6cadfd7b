package io.harmonix.workflow.api;

/** Where a workflow instance stands. */
public enum InstanceState {
    RUNNING,
    /** paused: running tasks finish, no new task starts until it is resumed */
    PAUSED,
    /** every task it did not tolerate to fail succeeded or was skipped, and its output was computed */
    SUCCEEDED,
    /** a task it did not tolerate failed, or its output could not be computed */
    FAILED,
    /** cancelled: running tasks were stopped (processes killed), the others never started */
    CANCELLED;

    public boolean finished() {
        return this == SUCCEEDED || this == FAILED || this == CANCELLED;
    }
}
