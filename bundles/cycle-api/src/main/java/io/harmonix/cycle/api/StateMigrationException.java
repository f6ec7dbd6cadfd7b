package io.harmonix.cycle.api;

import java.io.IOException;

/** A saved agent state cannot be brought to the agent's current state version. */
public class StateMigrationException extends IOException {
    private static final long serialVersionUID = 1L;

    public StateMigrationException(String message) {
        super(message);
    }

    public StateMigrationException(String message, Throwable cause) {
        super(message, cause);
    }
}
