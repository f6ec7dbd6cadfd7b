package io.harmonix.agent.security.internal.secrets;

import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * A gitleaks allowlist: what looks like a secret but is not. The global one applies to every rule, a rule's own
 * ({@code [[rules.allowlists]]}) to that rule.
 *
 * @param matchAll true for {@code condition = "AND"}: every criterion given must hold; otherwise any one suffices
 * @param regexTarget what {@code regexes} are tried on: {@code secret} (default), {@code match} or {@code line}
 * @param regexes patterns of allowed secrets (or matches, or lines)
 * @param paths patterns of paths whose findings are allowed
 * @param stopwords words which, contained in the secret (ignoring case), allow it
 */
public record Allowlist(boolean matchAll, String regexTarget, List<Pattern> regexes, List<Pattern> paths,
        List<String> stopwords) {
    public static final Allowlist NONE = new Allowlist(false, "secret", List.of(), List.of(), List.of());

    public Allowlist {
        regexes = List.copyOf(regexes);
        paths = List.copyOf(paths);
        stopwords = stopwords.stream().map(s -> s.toLowerCase(Locale.ROOT)).toList();
    }

    /** @return true when {@code path} matches one of the allowed paths */
    public boolean allowsPath(String path) {
        return paths.stream().anyMatch(p -> p.matcher(path).find());
    }

    /**
     * @param path the file
     * @param secret the secret found
     * @param match the whole text the rule matched
     * @param line the line it is on
     * @return true when this allowlist lets the finding go
     */
    public boolean allows(String path, String secret, String match, String line) {
        String target = switch (regexTarget) {
            case "match" -> match;
            case "line" -> line;
            default -> secret;
        };
        Boolean byRegex = regexes.isEmpty() ? null : regexes.stream().anyMatch(p -> p.matcher(target).find());
        Boolean byPath = paths.isEmpty() ? null : allowsPath(path);
        String lower = secret.toLowerCase(Locale.ROOT);
        Boolean byWord = stopwords.isEmpty() ? null : stopwords.stream().anyMatch(lower::contains);
        boolean any = false;
        boolean all = true;
        for (Boolean b : new Boolean[] {byRegex, byPath, byWord}) {
            if (b != null) {
                any |= b;
                all &= b;
            }
        }
        boolean given = byRegex != null || byPath != null || byWord != null;
        return given && (matchAll ? all : any);
    }
}
