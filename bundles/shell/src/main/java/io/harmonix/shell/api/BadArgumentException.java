package io.harmonix.shell.api;

/**
 * A bad argument a command finds itself, after picocli has parsed the line (a blank name, two options that
 * contradict each other): {@link CommandLines} answers it as it answers picocli's own errors, the command's name, the
 * message, then the usage. (picocli's {@code @Spec} cannot be a parameter of a command method, so a method cannot
 * throw picocli's {@code ParameterException} itself.)
 */
public final class BadArgumentException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    /** @param message what was wrong and what was expected, without the command's name */
    public BadArgumentException(String message) {
        super(message);
    }
}
