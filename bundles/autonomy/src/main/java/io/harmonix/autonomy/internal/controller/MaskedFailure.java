package io.harmonix.autonomy.internal.controller;

import java.util.function.UnaryOperator;

/**
 * P-001 for failures: a phase's exception reaches the workflow engine, which logs it and keeps its message (LEARN
 * writes it in the run document), and its messages may carry a person's text or git's stderr. This is the failure
 * with every message of its chain masked, the chain's types named, and the stack kept; the original causes, whose
 * messages are unmasked, are not attached.
 */
final class MaskedFailure extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private MaskedFailure(String message) {
        super(message);
    }

    static MaskedFailure of(Throwable failure, UnaryOperator<String> mask) {
        if (failure instanceof MaskedFailure m) {
            return m;
        }
        StringBuilder text = new StringBuilder();
        for (Throwable t = failure; t != null && t != t.getCause(); t = t.getCause()) {
            String m = t.getMessage();
            if (t != failure) {
                if (m != null && text.indexOf(m) >= 0) {
                    continue; // a wrapper's message that repeats its cause's, as most do
                }
                text.append("; caused by ");
            }
            text.append(t == failure && m != null ? "" : t.getClass().getSimpleName() + ": ").append(m == null ? ""
                    : m);
        }
        MaskedFailure masked = new MaskedFailure(mask.apply(text.toString()));
        masked.setStackTrace(failure.getStackTrace());
        return masked;
    }
}
