package io.harmonix.agent.security.internal.secrets;

import java.util.List;
import java.util.regex.Pattern;

/**
 * One gitleaks rule, its regex rewritten for Java.
 *
 * @param id gitleaks' rule id ({@code aws-access-token})
 * @param description what it finds
 * @param regex what a secret looks like; null for a rule of paths only (a key store file committed)
 * @param path the files the rule applies to; null for every file
 * @param entropy the least Shannon entropy (bits per character) of the secret; 0 for no threshold
 * @param secretGroup the regex group that is the secret; 0 for the first non-empty group, or the whole match
 * @param keywords lower-case words one of which the text must contain before the regex is tried; empty for always
 * @param allowlists the rule's own allowlists
 */
public record SecretRule(String id, String description, Pattern regex, Pattern path, double entropy,
        int secretGroup, List<String> keywords, List<Allowlist> allowlists) {
    public SecretRule {
        keywords = List.copyOf(keywords);
        allowlists = List.copyOf(allowlists);
    }

    /** @return true when the rule applies to {@code file} */
    public boolean appliesTo(String file) {
        return path == null || path.matcher(file).find();
    }

    /**
     * @param lowerText the text, lower-cased
     * @param seen what earlier rules found of their keywords in the same text: many rules share keywords
     *     ({@code key}, {@code token}, {@code api}), each looked for once per text
     * @return true when one of the keywords is in the text (or the rule has none)
     */
    public boolean keywordIn(String lowerText, java.util.Map<String, Boolean> seen) {
        if (keywords.isEmpty()) {
            return true;
        }
        for (String k : keywords) {
            if (seen.computeIfAbsent(k, lowerText::contains)) {
                return true;
            }
        }
        return false;
    }
}
