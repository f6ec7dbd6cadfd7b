package io.harmonix.agent.quality.internal;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Whether a line of code may hold a secret, and where: the quality agent's outputs (evidence, messages, proposal
 * diffs) must never carry one, and code smells are found in code that holds them. A line may hold a secret when it
 * has
 * <ul>
 * <li>a token of a known shape (AWS access key id, GitHub, Slack, Google, Stripe tokens, a private key's header, a
 * JWT);</li>
 * <li>a value next to a name that says it is one (password, passwd, pwd, secret, token, apikey, api_key, credential,
 * private_key): a non-empty string literal, or a bare value of 6 characters or more with a digit or a symbol in it
 * (as in a comment {@code // secret: s3cr3t!x});</li>
 * <li>a token of {@value #ENTROPY_LENGTH} characters or more with a Shannon entropy above {@value #ENTROPY_BITS} bits
 * per character that does not read as code (camel, snake or kebab case words, qualified names, URLs).</li>
 * </ul>
 * The security agent reports secrets; this class only keeps them out of the quality agent's outputs, so it errs on the
 * side of "may hold one".
 */
final class SecretLike {
    static final int ENTROPY_LENGTH = 20;
    static final double ENTROPY_BITS = 4.0;

    private static final Pattern KNOWN = Pattern.compile(String.join("|",
            "\\b(?:AKIA|ASIA|ABIA|ACCA)[A-Z0-9]{16}\\b",
            "\\bgh[pousr]_[A-Za-z0-9]{36,}",
            "\\bgithub_pat_[A-Za-z0-9_]+",
            "\\bxox[abprs]-[A-Za-z0-9-]+",
            "\\bAIza[0-9A-Za-z_\\-]{35}",
            "-----BEGIN [A-Z ]*PRIVATE KEY[A-Z -]*",
            "\\beyJ[A-Za-z0-9_-]+\\.eyJ[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]*",
            "\\bsk_live_[A-Za-z0-9]+"));
    /** A name that says its value is a secret, then (after an assignment, a colon, a comma or a space) the value. */
    private static final Pattern NAMED = Pattern.compile(
            "(?i)(?:password|passwd|pwd|secret|token|api_?key|credential|private_?key)[A-Za-z0-9_]*[\"']?"
                    + "\\s*(?:=>|(?<![=!<>])=(?!=)|:|,)?\\s*"
                    + "(\"(?:[^\"\\\\]|\\\\.)+\"|'(?:[^'\\\\]|\\\\.)+'|[^\\s\"'`,;(){}\\[\\]<>]{6,})");
    private static final Pattern NUMBER = Pattern.compile("[-+]?[0-9_.]+[lLfFdD]?");
    private static final Pattern TOKEN = Pattern.compile("[^\\s\"'`,;(){}\\[\\]<>]{" + ENTROPY_LENGTH + ",}");
    private static final Pattern URL = Pattern.compile("^[A-Za-z][A-Za-z0-9+.-]*://");
    private static final Pattern URL_PARTS = Pattern.compile("[/?&=#:.@]");
    private static final Pattern WORD = Pattern.compile("[A-Z]?[a-z]+|[A-Z]+(?![a-z])");

    /** Where a line holds what may be a secret: characters {@code start} (inclusive) to {@code end} (exclusive). */
    record Span(int start, int end) {
    }

    private SecretLike() {
    }

    /** @return true when {@code line} may hold a secret */
    static boolean mayHold(String line) {
        return !spans(line).isEmpty();
    }

    /** @return true when a line of {@code text} may hold a secret */
    static boolean anyLineMayHold(String text) {
        return text.lines().anyMatch(SecretLike::mayHold);
    }

    /** @return where {@code line} may hold a secret, in order, overlapping spans merged; empty when nowhere */
    static List<Span> spans(String line) {
        List<Span> found = new ArrayList<>();
        Matcher known = KNOWN.matcher(line);
        while (known.find()) {
            found.add(new Span(known.start(), known.end()));
        }
        Matcher named = NAMED.matcher(line);
        while (named.find()) {
            String value = named.group(1);
            if (value.startsWith("\"") || value.startsWith("'")) {
                found.add(new Span(named.start(1) + 1, named.end(1) - 1));
            } else if (bareSecret(value)) {
                found.add(new Span(named.start(1), named.end(1)));
            }
        }
        Matcher token = TOKEN.matcher(line);
        while (token.find()) {
            entropySpans(token.group(), token.start(), found);
        }
        found.sort((a, b) -> a.start() != b.start() ? Integer.compare(a.start(), b.start())
                : Integer.compare(b.end(), a.end()));
        List<Span> merged = new ArrayList<>();
        for (Span s : found) {
            Span last = merged.isEmpty() ? null : merged.get(merged.size() - 1);
            if (last != null && s.start() <= last.end()) {
                merged.set(merged.size() - 1, new Span(last.start(), Math.max(last.end(), s.end())));
            } else {
                merged.add(s);
            }
        }
        return merged;
    }

    /** A bare value next to a secret's name: not a word, a name or a number (code assigns those), but a password. */
    private static boolean bareSecret(String value) {
        if (NUMBER.matcher(value).matches()) {
            return false;
        }
        return value.chars().anyMatch(c -> Character.isDigit(c) || "!#$%&*+/=?@^|~-".indexOf(c) >= 0);
    }

    /** Adds the parts of {@code token} (at {@code offset} in its line) that are random enough to be a secret. */
    private static void entropySpans(String token, int offset, List<Span> found) {
        if (URL.matcher(token).find()) {
            // a URL is not a secret, but a token in its path or query may be one
            Matcher separators = URL_PARTS.matcher(token);
            int from = 0;
            while (true) {
                boolean more = separators.find();
                int to = more ? separators.start() : token.length();
                String part = token.substring(from, to);
                if (random(part)) {
                    found.add(new Span(offset + from, offset + to));
                }
                if (!more) {
                    return;
                }
                from = separators.end();
            }
        }
        if (random(token)) {
            found.add(new Span(offset, offset + token.length()));
        }
    }

    /** @return true when {@code s} is long, has a high entropy and does not read as words of code */
    static boolean random(String s) {
        return s.length() >= ENTROPY_LENGTH && entropy(s) > ENTROPY_BITS && !readsAsWords(s);
    }

    /** @return the Shannon entropy of {@code s} in bits per character */
    static double entropy(String s) {
        Map<Integer, Integer> counts = new HashMap<>();
        s.chars().forEach(c -> counts.merge(c, 1, Integer::sum));
        double bits = 0;
        for (int n : counts.values()) {
            double p = (double) n / s.length();
            bits -= p * Math.log(p) / Math.log(2);
        }
        return bits;
    }

    /**
     * Code is made of words: {@code getAbstractFactoryBean}, {@code DEFAULT_TIMEOUT_MILLIS},
     * {@code io.harmonix.agent}: a quarter of its letters or more are vowels, and 85% of its letters and digits or more
     * are in words of three letters or more that have a vowel. Random tokens rarely are.
     */
    static boolean readsAsWords(String s) {
        long letters = s.chars().filter(c -> c < 128 && Character.isLetter(c)).count();
        long vowels = s.chars().filter(c -> "aeiouyAEIOUY".indexOf(c) >= 0).count();
        long alphanumeric = s.chars().filter(c -> c < 128 && Character.isLetterOrDigit(c)).count();
        if (letters == 0 || vowels * 4 < letters) {
            return false;
        }
        Matcher m = WORD.matcher(s);
        long inWords = 0;
        while (m.find()) {
            String word = m.group();
            if (word.length() >= 3 && word.chars().anyMatch(c -> "aeiouyAEIOUY".indexOf(c) >= 0)) {
                inWords += word.length();
            }
        }
        return inWords * 100 >= alphanumeric * 85;
    }

    /**
     * @return {@code line} with each place that may hold a secret replaced by its first 4 characters and "****" (by
     *     "****" alone when it is shorter than 8 characters: its first 4 would be half of it)
     */
    static String redact(String line) {
        List<Span> spans = spans(line);
        if (spans.isEmpty()) {
            return line;
        }
        StringBuilder out = new StringBuilder();
        int at = 0;
        for (Span s : spans) {
            out.append(line, at, s.start());
            String secret = line.substring(s.start(), s.end());
            out.append(secret.length() < 8 ? "" : secret.substring(0, 4)).append("****");
            at = s.end();
        }
        return out.append(line.substring(at)).toString();
    }
}
