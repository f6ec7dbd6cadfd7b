package io.harmonix.waves.api;

import java.util.Locale;

/**
 * How many agent instances a wave deploys: a range the coordinator fills according to the components there are to
 * own (an instance owns at least one, and no two instances own the same one) and to the load of the machine.
 */
public enum WaveSize {
    /** 3 to 5 instances, all of the wave's focus (one agent type). */
    SMALL(3, 5),
    /** 10 to 15 instances across every agent type and every component. */
    LARGE(10, 15),
    /** The waves of infinite mode: up to the throttle, fewer under load. */
    INFINITE(1, Integer.MAX_VALUE);

    private final int min;
    private final int max;

    WaveSize(int min, int max) {
        this.min = min;
        this.max = max;
    }

    /** @return the fewest instances the size asks for, when there are components enough and no load */
    public int min() {
        return min;
    }

    /** @return the most instances of the size */
    public int max() {
        return max;
    }

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** @throws IllegalArgumentException naming the sizes there are */
    public static WaveSize parse(String text) {
        for (WaveSize s : values()) {
            if (s.id().equalsIgnoreCase(text == null ? "" : text.trim())) {
                return s;
            }
        }
        throw new IllegalArgumentException("unknown wave size '" + text + "': expected small, large or infinite");
    }
}
