package io.harmonix.proposals.api;

import java.time.Duration;
import java.util.Objects;

/**
 * One step of an enhancement's validation, as the validation workflow recorded it.
 *
 * @param name the step: {@code apply}, {@code build}, {@code tests}, {@code agent}, {@code benchmark}, ... (the
 *     names of the {@code enhancement-validation} workflow's tasks)
 * @param passed true when the step found nothing against the proposal
 * @param checkId the {@link io.harmonix.fleet.api.CheckRecord} of the command it ran in the sandboxed executor, or
 *     null when it ran none
 * @param message what it found, in a sentence or a few lines (git's message, the failing test, the findings left)
 * @param duration how long it took
 */
public record ValidationStep(String name, boolean passed, Long checkId, String message, Duration duration) {
    public ValidationStep {
        Objects.requireNonNull(name, "name");
        message = message == null ? "" : message;
        duration = duration == null ? Duration.ZERO : duration;
    }
}
