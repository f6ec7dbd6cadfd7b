package io.harmonix.agent.security.internal.secrets;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * How a secret is shown, the one way: never itself. A secret of 12 characters or more shows its first 4 and
 * {@code ****} (enough to recognise which key to rotate); a shorter one is starred whole. Fingerprints use its
 * SHA-256, never the secret.
 */
public final class Redaction {
    /** Evidence lines are cut to this many characters, so that a minified file does not fill a report. */
    static final int MAX_EVIDENCE = 200;

    private Redaction() {
    }

    /** @return {@code secret} redacted */
    public static String redact(String secret) {
        if (secret.length() < 12) {
            return "*".repeat(secret.length());
        }
        return secret.substring(0, 4) + "****";
    }

    /** @return the SHA-256 of {@code secret}, 64 hex digits */
    public static String hash(String secret) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(secret.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }

    /**
     * The evidence of a secret on a line: the line with the secret redacted. A secret that runs past the line (a
     * private key block) is cut at the line's end, and what follows on the line is the redaction.
     *
     * @param line the line the secret starts on
     * @param start where the secret starts in the line
     * @param secret the secret
     */
    public static String evidence(String line, int start, String secret) {
        int end = Math.min(line.length(), start + secret.length());
        String shown = line.substring(0, start) + redact(secret) + line.substring(end);
        // the same secret elsewhere on the line is hidden too
        shown = shown.replace(secret, redact(secret)).strip();
        return shown.length() <= MAX_EVIDENCE ? shown : shown.substring(0, MAX_EVIDENCE) + "...";
    }
}
