package io.harmonix.agent.security.internal.secrets;

/**
 * Text that stops a regex which runs too long. gitleaks' rules were written for Go's linear-time engine; Java's
 * backtracking one can take very long on some of them over a long line (minified code). Every few thousand
 * characters read, this checks the time and throws {@link Timeout} past the deadline, which
 * {@link java.util.regex.Matcher} lets through.
 */
final class BoundedText implements CharSequence {
    /** A regex ran past its time. Carries no text: its message never holds what was scanned. */
    static final class Timeout extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Timeout() {
            super("secret regex took too long", null, false, false);
        }
    }

    private final String text;
    private final long deadline;
    private int reads;

    BoundedText(String text, long deadlineNanos) {
        this.text = text;
        this.deadline = deadlineNanos;
    }

    @Override
    public char charAt(int index) {
        if ((++reads & 0xfff) == 0 && System.nanoTime() > deadline) {
            throw new Timeout();
        }
        return text.charAt(index);
    }

    /** The text itself: what a matcher's groups are cut from. */
    @Override
    public String toString() {
        return text;
    }

    /** A plain substring, unbounded: {@link java.util.regex.Matcher#group} asks for it after the search is over. */
    @Override
    public CharSequence subSequence(int start, int end) {
        return text.substring(start, end);
    }

    @Override
    public int length() {
        return text.length();
    }
}
