package io.harmonix.workflow.api;

/** Where a task of an instance stands. */
public enum TaskState {
    /** waiting for its dependencies */
    PENDING,
    /** an attempt is under way (or it waits between attempts) */
    RUNNING,
    /** done, with an output */
    SUCCEEDED,
    /** failed after its attempts (or a join: one saw more than one branch succeed) */
    FAILED,
    /** not run: its condition was false, its branch was not taken, or a dependency failed */
    SKIPPED,
    /** stopped because the workflow failed or was cancelled */
    CANCELLED;

    public boolean terminal() {
        return this != PENDING && this != RUNNING;
    }
}
