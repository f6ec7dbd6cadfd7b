package io.harmonix.agent.quality.internal;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The code shown as a finding's evidence, made safe: a finding's evidence must never hold a secret, and code smells
 * are found in code that holds them too (an unused field initialised with a key). String literals that look like
 * secrets (long, no spaces) are replaced by their length; the fingerprint is made from the code itself, so this
 * changes nothing of a finding's identity.
 */
final class Evidence {
    /** Evidence is a glimpse, not the file: at most this many lines and characters. */
    static final int MAX_LINES = 6;
    static final int MAX_CHARS = 600;
    private static final Pattern STRING = Pattern.compile("\"((?:[^\"\\\\\\n]|\\\\.)*)\"");

    private Evidence() {
    }

    /** @return {@code code} shortened and with secret-like string literals redacted */
    static String of(String code) {
        String[] lines = code.strip().split("\n", -1);
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < Math.min(lines.length, MAX_LINES); i++) {
            out.append(i == 0 ? "" : "\n").append(lines[i].stripTrailing());
        }
        if (lines.length > MAX_LINES) {
            out.append("\n...");
        }
        // redacted before it is cut: a literal cut in half would no longer look like one
        String safe = redacted(out.toString());
        return safe.length() > MAX_CHARS ? safe.substring(0, MAX_CHARS) + "..." : safe;
    }

    /**
     * @return {@code text} with its secret-like string literals redacted (also for PMD's messages: a rule of a
     *     configured ruleset may quote a literal in its message)
     */
    static String redacted(String text) {
        Matcher m = STRING.matcher(text);
        StringBuilder safe = new StringBuilder();
        while (m.find()) {
            String value = m.group(1);
            m.appendReplacement(safe, Matcher.quoteReplacement(secretLike(value)
                    ? "\"<redacted: " + value.length() + " characters>\"" : m.group()));
        }
        m.appendTail(safe);
        return safe.toString();
    }

    /** @return true when {@code code} has a string literal that looks like a secret */
    static boolean hasSecretLike(String code) {
        Matcher m = STRING.matcher(code);
        while (m.find()) {
            if (secretLike(m.group(1))) {
                return true;
            }
        }
        return false;
    }

    /** @return true when a string literal could be a key, token or password: 16 characters or more, no spaces */
    static boolean secretLike(String value) {
        return value.length() >= 16 && value.chars().noneMatch(Character::isWhitespace);
    }
}
