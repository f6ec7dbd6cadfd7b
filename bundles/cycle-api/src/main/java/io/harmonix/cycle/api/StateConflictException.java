package io.harmonix.cycle.api;

import java.io.IOException;

/** A state for the same agent, run and cycle was already saved by another writer. */
public class StateConflictException extends IOException {
    private static final long serialVersionUID = 1L;

    public StateConflictException(String message) {
        super(message);
    }
}
