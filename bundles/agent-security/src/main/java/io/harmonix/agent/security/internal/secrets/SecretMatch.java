package io.harmonix.agent.security.internal.secrets;

/**
 * A secret found in a text. Holds the secret only to hash and redact it: {@link #toString} never shows it, and
 * nothing of it leaves the agent but {@link #evidence} and {@link #secretHash}.
 *
 * @param rule the rule that found it
 * @param line line of the text where it starts, 1-based
 * @param column its column, 1-based
 * @param secret the secret itself
 * @param evidence the line with the secret redacted
 */
public record SecretMatch(SecretRule rule, int line, int column, String secret, String evidence) {
    /** @return the SHA-256 of the secret */
    public String secretHash() {
        return Redaction.hash(secret);
    }

    @Override
    public String toString() {
        return "SecretMatch[" + rule.id() + " at " + line + ":" + column + ", " + evidence + "]";
    }
}
