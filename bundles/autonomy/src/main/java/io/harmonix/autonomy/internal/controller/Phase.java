package io.harmonix.autonomy.internal.controller;

import java.util.Locale;

/** The six phases of a controller run, in order; each is a task of the workflow, its action the lower-case name. */
enum Phase {
    SENSE, THINK, ACT, VERIFY, SHIP, LEARN;

    String action() {
        return name().toLowerCase(Locale.ROOT);
    }

    static Phase ofAction(String action) {
        for (Phase p : values()) {
            if (p.action().equals(action)) {
                return p;
            }
        }
        throw new IllegalArgumentException("autonomy: unknown action '" + action
                + "'; actions: sense, think, act, verify, ship, learn");
    }
}
