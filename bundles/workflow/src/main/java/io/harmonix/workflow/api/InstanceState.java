package io.harmonix.workflow.api;

/** Where a workflow instance stands. */
public enum InstanceState {
    RUNNING,
    /** every task it did not tolerate to fail succeeded or was skipped, and its output was computed */
    SUCCEEDED,
    /** a task it did not tolerate failed, or its output could not be computed */
    FAILED;
}
