package io.harmonix.agent.quality.internal;

/**
 * The code shown as a finding's evidence, made safe: a finding's evidence must never hold a secret, and code smells
 * are found in code that holds them too (an unused field initialised with a key, a key in a comment). A line that
 * may hold a secret ({@link SecretLike}) keeps its shape, each suspicious literal or token cut to its first 4
 * characters and "****"; when that is not enough, the whole evidence is {@value #NOT_SHOWN}. The fingerprint is made
 * from the code itself, so this changes nothing of a finding's identity.
 */
final class Evidence {
    /** Evidence is a glimpse, not the file: at most this many lines and characters. */
    static final int MAX_LINES = 6;
    static final int MAX_CHARS = 600;
    static final String NOT_SHOWN = "(not shown: the line may hold a secret)";

    private Evidence() {
    }

    /** @return {@code code} shortened and with what may be a secret redacted */
    static String of(String code) {
        String[] lines = code.strip().split("\n", -1);
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < Math.min(lines.length, MAX_LINES); i++) {
            out.append(i == 0 ? "" : "\n").append(lines[i].stripTrailing());
        }
        if (lines.length > MAX_LINES) {
            out.append("\n...");
        }
        // redacted before it is cut: a token cut in half would no longer look like one
        String safe = redacted(out.toString());
        return safe.length() > MAX_CHARS ? safe.substring(0, MAX_CHARS) + "..." : safe;
    }

    /**
     * @return {@code text} with what may be a secret redacted line by line (also for PMD's messages: a rule of a
     *     configured ruleset may quote a literal in its message), or {@value #NOT_SHOWN} when a redacted line still
     *     may hold one
     */
    static String redacted(String text) {
        String[] lines = text.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = SecretLike.redact(lines[i]);
            if (!line.equals(lines[i]) && unsure(line)) {
                return NOT_SHOWN;
            }
            lines[i] = line;
        }
        return String.join("\n", lines);
    }

    /** @return true when a redacted line still has a place that may hold a secret and is not a redacted one */
    private static boolean unsure(String redacted) {
        return SecretLike.spans(redacted).stream()
                .anyMatch(s -> !redacted.substring(s.start(), s.end()).contains("****"));
    }
}
