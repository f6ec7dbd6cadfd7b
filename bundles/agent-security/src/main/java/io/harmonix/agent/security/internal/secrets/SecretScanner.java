package io.harmonix.agent.security.internal.secrets;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;

/**
 * Finds secrets in a text with a gitleaks rule set, the way gitleaks does: the global path allowlist first, then per
 * rule its path, its keywords (a cheap pre-filter before the regex), the regex over the whole text (so that a
 * private key block spanning lines is one match), the secret group, the entropy threshold, a
 * {@code gitleaks:allow} comment on the line, then the global and the rule's allowlists.
 */
public final class SecretScanner {
    /** How long the regexes may take on one text before the rest of it is given up (reported, not hidden). */
    static final long BUDGET_NANOS = 3_000_000_000L;

    /** gitleaks' inline marker: a line carrying it is not reported. */
    static final String ALLOW_SIGNATURE = "gitleaks:allow";

    private final GitleaksRules rules;
    private final Set<String> disabled;
    private final long budgetNanos;

    /** What one text yielded: the matches, and whether the time budget cut the scan short. */
    public record Result(List<SecretMatch> matches, boolean timedOut) {
    }

    public SecretScanner(GitleaksRules rules, Set<String> disabledRuleIds) {
        this(rules, disabledRuleIds, BUDGET_NANOS);
    }

    /** @param budgetNanos how long the regexes may take on one text ({@link #BUDGET_NANOS}; tests give less) */
    SecretScanner(GitleaksRules rules, Set<String> disabledRuleIds, long budgetNanos) {
        this.rules = rules;
        this.disabled = Set.copyOf(disabledRuleIds);
        this.budgetNanos = budgetNanos;
    }

    public GitleaksRules rules() {
        return rules;
    }

    /** @return true when the global allowlist excludes {@code path} (images, lock files, vendored code...) */
    public boolean pathAllowed(String path) {
        return rules.global().allowsPath(path);
    }

    /**
     * @param path the file the text is from, relative, '/'-separated (rule paths and allowlists match it)
     * @param text the text
     * @param firstLine the line number of the text's first line (1 for a file; a hunk's start for history)
     */
    public Result scan(String path, String text, int firstLine) {
        List<SecretMatch> found = new ArrayList<>();
        if (pathAllowed(path)) {
            return new Result(found, false);
        }
        String lower = text.toLowerCase(Locale.ROOT);
        int[] lineStarts = lineStarts(text);
        BoundedText bounded = new BoundedText(text, System.nanoTime() + budgetNanos);
        java.util.Map<String, Boolean> keywords = new java.util.HashMap<>();
        try {
            for (SecretRule rule : rules.rules()) {
                if (disabled.contains(rule.id()) || !rule.appliesTo(path) || rule.regex() == null
                        || !rule.keywordIn(lower, keywords)) {
                    continue;
                }
                Matcher m = rule.regex().matcher(bounded);
                while (m.find()) {
                    int group = secretGroup(rule, m);
                    String secret = m.group(group);
                    if (secret == null || secret.isEmpty() || !strongEnough(rule, secret)) {
                        continue;
                    }
                    int start = m.start(group);
                    int lineIndex = lineIndex(lineStarts, start);
                    String line = lineAt(text, lineStarts, lineIndex);
                    if (allowed(rule, path, secret, m.group(), line)) {
                        continue;
                    }
                    int column = start - lineStarts[lineIndex];
                    found.add(new SecretMatch(rule, firstLine + lineIndex, column + 1, secret,
                            Redaction.evidence(line, column, secret)));
                }
            }
        } catch (BoundedText.Timeout e) {
            return new Result(alsoRedacted(found), true);
        }
        return new Result(alsoRedacted(found), false);
    }

    /**
     * Two rules may find overlapping secrets on one line (a generic rule a part of what a specific one finds): each
     * evidence hides every secret found in the text, not only its own.
     */
    private static List<SecretMatch> alsoRedacted(List<SecretMatch> found) {
        if (found.size() < 2) {
            return found;
        }
        List<SecretMatch> out = new ArrayList<>(found.size());
        for (SecretMatch m : found) {
            String evidence = m.evidence();
            for (SecretMatch other : found) {
                if (other != m) {
                    evidence = evidence.replace(other.secret(), Redaction.redact(other.secret()));
                }
            }
            out.add(evidence.equals(m.evidence()) ? m : new SecretMatch(m.rule(), m.line(), m.column(), m.secret(),
                    evidence));
        }
        return out;
    }

    /** A rule of paths only (a key store committed): @return true when {@code path} is such a file */
    public List<SecretRule> pathOnlyRules(String path) {
        if (pathAllowed(path)) {
            return List.of();
        }
        return rules.rules().stream().filter(r -> r.regex() == null && !disabled.contains(r.id())
                && r.appliesTo(path)).toList();
    }

    /** gitleaks: the configured group, else the first group that matched something, else the whole match. */
    private static int secretGroup(SecretRule rule, Matcher m) {
        if (rule.secretGroup() > 0 && rule.secretGroup() <= m.groupCount()) {
            return rule.secretGroup();
        }
        for (int g = 1; g <= m.groupCount(); g++) {
            if (m.group(g) != null && !m.group(g).isEmpty()) {
                return g;
            }
        }
        return 0;
    }

    private static boolean strongEnough(SecretRule rule, String secret) {
        if (rule.entropy() <= 0) {
            return true;
        }
        return Entropy.shannon(secret) > rule.entropy();
    }

    private boolean allowed(SecretRule rule, String path, String secret, String match, String line) {
        if (line.contains(ALLOW_SIGNATURE)) {
            return true;
        }
        if (rules.global().allows(path, secret, match, line)) {
            return true;
        }
        for (Allowlist a : rule.allowlists()) {
            if (a.allows(path, secret, match, line)) {
                return true;
            }
        }
        return false;
    }

    private static int[] lineStarts(String text) {
        int[] starts = new int[16];
        int n = 0;
        starts[n++] = 0;
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) == '\n') {
                if (n == starts.length) {
                    starts = Arrays.copyOf(starts, n * 2);
                }
                starts[n++] = i + 1;
            }
        }
        return Arrays.copyOf(starts, n);
    }

    private static int lineIndex(int[] starts, int offset) {
        int i = Arrays.binarySearch(starts, offset);
        return i >= 0 ? i : -i - 2;
    }

    private static String lineAt(String text, int[] starts, int index) {
        int end = index + 1 < starts.length ? starts[index + 1] - 1 : text.length();
        String line = text.substring(starts[index], end);
        return line.endsWith("\r") ? line.substring(0, line.length() - 1) : line;
    }
}
