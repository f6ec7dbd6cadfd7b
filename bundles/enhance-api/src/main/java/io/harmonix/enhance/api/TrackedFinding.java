package io.harmonix.enhance.api;

/** A finding of a cycle with its status since the agent's previous cycle on the same target. */
public record TrackedFinding(Finding finding, FindingStatus status) {
}
