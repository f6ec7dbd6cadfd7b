package io.harmonix.waves.api;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * What {@link WaveCoordinator#start} is asked for.
 *
 * @param target the folder of a git working tree
 * @param size {@link WaveSize#SMALL} or {@link WaveSize#LARGE}
 * @param focus the agent type of a small wave (null: the type whose proposals validate best), ignored for a large
 *     one
 * @param components the components to cover; empty means all: the top-level folders of the working tree that hold
 *     code
 * @param cycles how many cycles the wave's run does (at least 1)
 * @param interval the pause between two of its cycles
 */
public record WaveRequest(String target, WaveSize size, Focus focus, List<String> components, int cycles,
        Duration interval) {
    /** Cycles of a wave when not said: a few, so that a proposal refused for a conflict is made again. */
    public static final int DEFAULT_CYCLES = 3;

    public WaveRequest {
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(size, "size");
        components = components == null ? List.of() : List.copyOf(components);
        interval = interval == null ? Duration.ZERO : interval;
        if (cycles < 1) {
            throw new IllegalArgumentException("a wave does at least one cycle; was " + cycles);
        }
        if (interval.isNegative()) {
            throw new IllegalArgumentException("the interval of a wave must not be negative; was " + interval);
        }
    }

    public static WaveRequest of(String target, WaveSize size, Focus focus, List<String> components) {
        return new WaveRequest(target, size, focus, components, DEFAULT_CYCLES, Duration.ZERO);
    }
}
