package io.harmonix.agent.security.internal.deps;

/** An advisory file that is not valid OSV: the message names the file and the field or position. */
public class AdvisoryFormatException extends Exception {
    private static final long serialVersionUID = 1L;

    public AdvisoryFormatException(String message) {
        super(message);
    }
}
