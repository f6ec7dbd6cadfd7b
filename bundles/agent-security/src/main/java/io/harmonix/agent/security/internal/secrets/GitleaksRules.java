package io.harmonix.agent.security.internal.secrets;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.toml.TomlMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * The gitleaks rule set: {@code config/gitleaks.toml} of github.com/gitleaks/gitleaks (MIT licence, shipped beside
 * it as {@code gitleaks-LICENSE.txt}), read as data at run time so that a newer file can replace it without code
 * changes. Each Go regex goes through {@link GoRegex} and must then compile: a rule that does not is an error naming
 * the rule, not a rule silently dropped.
 *
 * @param rules the rules, in file order
 * @param global the global allowlist ({@code [allowlist]})
 */
public record GitleaksRules(List<SecretRule> rules, Allowlist global) {
    /** The shipped rule set, as a class path resource beside this class. */
    public static final String RESOURCE = "gitleaks.toml";
    private static volatile GitleaksRules shipped;

    public GitleaksRules {
        rules = List.copyOf(rules);
    }

    /** @return the shipped rule set, read once */
    public static GitleaksRules shipped() {
        GitleaksRules r = shipped;
        if (r == null) {
            synchronized (GitleaksRules.class) { // the agents and the masker may ask at once: read once
                r = shipped;
                if (r == null) {
                    try (InputStream in = GitleaksRules.class.getResourceAsStream(RESOURCE)) {
                        if (in == null) {
                            throw new IllegalStateException(RESOURCE + " missing from the bundle");
                        }
                        r = read(in, RESOURCE);
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                    shipped = r;
                }
            }
        }
        return r;
    }

    /**
     * @param in a gitleaks TOML configuration
     * @param source its name, for errors
     * @throws IllegalArgumentException naming the source, the rule and the field that is wrong
     */
    public static GitleaksRules read(InputStream in, String source) throws IOException {
        JsonNode root = new TomlMapper().readTree(in);
        Allowlist global = allowlist(root.path("allowlist"), source + " [allowlist]");
        List<SecretRule> rules = new ArrayList<>();
        int n = 0;
        for (JsonNode r : root.path("rules")) {
            String id = r.path("id").asText("");
            String where = source + " rule " + (id.isEmpty() ? "#" + (n + 1) : "'" + id + "'");
            if (id.isEmpty()) {
                throw new IllegalArgumentException(where + ": no id");
            }
            Pattern regex = r.hasNonNull("regex") ? compile(r.get("regex").asText(), where + " regex") : null;
            Pattern path = r.hasNonNull("path") ? compile(r.get("path").asText(), where + " path") : null;
            if (regex == null && path == null) {
                throw new IllegalArgumentException(where + ": neither regex nor path");
            }
            List<String> keywords = new ArrayList<>();
            r.path("keywords").forEach(k -> keywords.add(k.asText().toLowerCase(Locale.ROOT)));
            List<Allowlist> allowlists = new ArrayList<>();
            int a = 0;
            for (JsonNode al : r.path("allowlists")) {
                allowlists.add(allowlist(al, where + " allowlists[" + a++ + "]"));
            }
            rules.add(new SecretRule(id, r.path("description").asText(""), regex, path,
                    r.path("entropy").asDouble(0), r.path("secretGroup").asInt(0), keywords, allowlists));
            n++;
        }
        if (rules.isEmpty()) {
            throw new IllegalArgumentException(source + ": no [[rules]]");
        }
        return new GitleaksRules(rules, global);
    }

    private static Allowlist allowlist(JsonNode node, String where) {
        if (node.isMissingNode()) {
            return Allowlist.NONE;
        }
        List<Pattern> regexes = new ArrayList<>();
        node.path("regexes").forEach(x -> regexes.add(compile(x.asText(), where + " regexes")));
        List<Pattern> paths = new ArrayList<>();
        node.path("paths").forEach(x -> paths.add(compile(x.asText(), where + " paths")));
        List<String> stopwords = new ArrayList<>();
        node.path("stopwords").forEach(x -> stopwords.add(x.asText()));
        String target = node.path("regexTarget").asText("secret");
        if (!List.of("secret", "match", "line").contains(target)) {
            throw new IllegalArgumentException(where + ": regexTarget must be secret, match or line; was '"
                    + target + "'");
        }
        return new Allowlist("AND".equalsIgnoreCase(node.path("condition").asText("OR")), target, regexes, paths,
                stopwords);
    }

    private static Pattern compile(String go, String where) {
        try {
            return Pattern.compile(GoRegex.toJava(go));
        } catch (PatternSyntaxException e) {
            throw new IllegalArgumentException(where + " does not compile after translation from Go: "
                    + e.getDescription() + " at index " + e.getIndex() + " of " + e.getPattern());
        }
    }
}
