package io.harmonix.enhance.api;

/** A target that cannot be analysed, with a message that says which path and what was expected. */
public class TargetException extends Exception {
    private static final long serialVersionUID = 1L;

    public TargetException(String message) {
        super(message);
    }
}
