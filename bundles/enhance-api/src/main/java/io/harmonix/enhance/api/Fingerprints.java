package io.harmonix.enhance.api;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Finding fingerprints: SHA-256 over the rule id, the file and the code the finding is about with its white space
 * folded, so that re-indenting, moving the code within the file or editing other lines keeps the fingerprint, and
 * changing the code itself (or fixing it) does not. Line numbers are left out on purpose.
 */
public final class Fingerprints {
    private Fingerprints() {
    }

    /** @return the fingerprint, 64 lower-case hex digits */
    public static String of(String ruleId, String file, String snippet) {
        return sha256(ruleId + "\n" + file + "\n" + normalise(snippet));
    }

    /** @return {@code text} with every run of white space folded to one space, and trimmed */
    public static String normalise(String text) {
        return text == null ? "" : text.strip().replaceAll("\\s+", " ");
    }

    /**
     * Makes fingerprints unique: when the same rule finds the same code twice in one file, the second and later
     * ones (in line order) get {@code "-2"}, {@code "-3"}... appended, so each keeps its own identity and history.
     *
     * @return the findings in their order, fingerprints unique
     */
    public static List<Finding> unique(List<Finding> findings) {
        List<Finding> ordered = new ArrayList<>(findings);
        ordered.sort(Comparator.comparing((Finding f) -> f.location().file())
                .thenComparingInt(f -> f.location().line()).thenComparingInt(f -> f.location().column()));
        Map<String, Integer> seen = new HashMap<>();
        Map<Finding, String> renamed = new HashMap<>();
        for (Finding f : ordered) {
            int n = seen.merge(f.fingerprint(), 1, Integer::sum);
            String print = n == 1 ? f.fingerprint() : f.fingerprint() + "-" + n;
            renamed.put(f, print);
        }
        List<Finding> out = new ArrayList<>(findings.size());
        for (Finding f : findings) {
            String print = renamed.get(f);
            out.add(print.equals(f.fingerprint()) ? f : f.withFingerprint(print));
        }
        return out;
    }

    static String sha256(String text) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            StringBuilder hex = new StringBuilder(64);
            for (byte b : digest) {
                hex.append(Character.forDigit((b >> 4) & 0xf, 16)).append(Character.forDigit(b & 0xf, 16));
            }
            return hex.toString();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }
}
