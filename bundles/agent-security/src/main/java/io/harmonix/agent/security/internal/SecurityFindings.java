package io.harmonix.agent.security.internal;

import io.harmonix.agent.security.internal.deps.Advisory;
import io.harmonix.agent.security.internal.deps.Dependency;
import io.harmonix.agent.security.internal.deps.DependencyCheck;
import io.harmonix.agent.security.internal.javaapi.InsecureApiScanner;
import io.harmonix.agent.security.internal.javaapi.JavaRules;
import io.harmonix.agent.security.internal.secrets.GitleaksRules;
import io.harmonix.agent.security.internal.secrets.Redaction;
import io.harmonix.agent.security.internal.secrets.SecretMatch;
import io.harmonix.agent.security.internal.secrets.SecretRule;
import io.harmonix.enhance.api.Finding;
import io.harmonix.enhance.api.Location;
import io.harmonix.enhance.api.Risk;
import io.harmonix.enhance.api.Rule;
import io.harmonix.enhance.api.Severity;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The security agent's findings and rules, made in one place so that every one is redacted the same way: a secret's
 * fingerprint is made from the rule, the file and the secret's SHA-256, and its evidence shows the line with the
 * secret replaced by {@link Redaction#redact}.
 */
final class SecurityFindings {
    static final String TYPE = "security";
    static final String SECRETS = "secrets/";
    static final String VULNERABLE = "dependency/vulnerable";
    static final String UNCHECKED = "dependency/unchecked";
    private static final String SECRET_HELP = "Remove the secret from the code and rotate it: it stays in the git "
            + "history and in every clone. Read secrets from a secret store or the environment at run time. A "
            + "false positive (a test value, a placeholder) can be allowlisted in a gitleaks.toml of your own "
            + "(the agent's gitleaksConfig).";
    private static final Pattern STRING_LITERAL = Pattern.compile("\"(?:[^\"\\\\]|\\\\.)*\"");
    private static final Pattern ARRAY_LITERAL = Pattern.compile("\\{[^{}]*}");

    /** @return every rule of the agent, with help; {@code disabled} ones left out */
    static List<Rule> rules(GitleaksRules gitleaks, Set<String> disabled) {
        List<Rule> rules = new ArrayList<>();
        for (SecretRule r : gitleaks.rules()) {
            rules.add(new Rule(SECRETS + r.id(), r.id(), r.description(), SECRET_HELP, Severity.HIGH));
        }
        rules.add(new Rule(VULNERABLE, "Vulnerable dependency", "A Maven or npm dependency whose version an "
                + "imported OSV advisory affects.", "Upgrade to the fixed version the finding names (or later). "
                + "Advisories come from enhance:advisories import; the full OSV dumps are at "
                + "https://osv-vulnerabilities.storage.googleapis.com/<ecosystem>/all.zip.", Severity.HIGH));
        rules.add(new Rule(UNCHECKED, "Dependency not checked", "A dependency whose version could not be resolved "
                + "(a property or managed version from outside the target, a version range, an npm tag or URL).",
                "Pin the version in the target (or add a package-lock.json) so that it can be checked.",
                Severity.INFO));
        rules.addAll(JavaRules.ALL);
        rules.removeIf(r -> disabled.contains(r.id()));
        return rules;
    }

    /**
     * @param commit null for the working tree; the commit that added it for the history
     */
    Finding secret(String file, String component, SecretMatch m, String commit) {
        SecretRule rule = m.rule();
        int end = m.column() + Math.max(0, m.secret().indexOf('\n') < 0 ? m.secret().length() - 1 : 0);
        String where = commit == null ? "" : " added in commit " + commit.substring(0, 12) + " (" + file + ":"
                + m.line() + " there) and no longer in the working tree: it is still in every clone";
        return Finding.of(TYPE, SECRETS + rule.id(), Severity.HIGH, Risk.HIGH, component,
                new Location(file, m.line(), m.column(), m.line(), end),
                "possible secret, rule " + rule.id() + where + ": " + rule.description(), m.evidence(),
                (commit == null ? "tree " : "history ") + m.secretHash());
    }

    /** A file that is itself a secret (a PKCS#12 key store), found by its path. */
    Finding secretFile(String file, String component, SecretRule rule) {
        return Finding.of(TYPE, SECRETS + rule.id(), Severity.HIGH, Risk.HIGH, component, Location.lines(file, 1,
                1), "possible secret file, rule " + rule.id() + ": " + rule.description(), file, "file");
    }

    Finding vulnerable(DependencyCheck.Hit hit, String component) {
        Dependency d = hit.dependency();
        Advisory a = hit.advisory();
        String aliases = a.aliases().isEmpty() ? "" : " (" + String.join(", ", a.aliases()) + ")";
        String fixed = hit.fixed().isEmpty() ? "no fixed version named" : "fixed in " + hit.fixed();
        return Finding.of(TYPE, VULNERABLE, a.severity(), Risk.MEDIUM, component,
                Location.lines(d.file(), d.line(), d.line()), d.name() + " " + d.version() + " (" + d.origin()
                        + ") is affected by " + a.id() + aliases + ": " + a.summary() + "; " + fixed,
                d.ecosystem() + " " + d.name() + "@" + d.version(), d.name() + "@" + d.version() + " " + a.id());
    }

    Finding unchecked(Dependency d, String component, String why) {
        return Finding.of(TYPE, UNCHECKED, Severity.INFO, Risk.LOW, component, Location.lines(d.file(), d.line(),
                d.line()), d.name() + " not checked for advisories: " + why, d.ecosystem() + " " + d.name(),
                d.name());
    }

    Finding unreadableManifest(String file, String component, String why) {
        return Finding.of(TYPE, UNCHECKED, Severity.INFO, Risk.LOW, component, Location.lines(file, 1, 1),
                "dependencies not checked: " + why, file, "unreadable");
    }

    Finding insecureApi(String file, String component, InsecureApiScanner.Hit hit) {
        Rule rule = JavaRules.ALL.stream().filter(r -> r.id().equals(hit.ruleId())).findFirst().orElseThrow();
        String code = hit.snippet();
        String evidence = firstLine(code);
        if (hit.ruleId().equals(JavaRules.HARDCODED_KEY)) {
            // the key itself must not leave the agent: literals redacted in the evidence, hashed in the fingerprint
            evidence = redactLiterals(evidence);
            code = hashLiterals(code);
        }
        return Finding.of(TYPE, hit.ruleId(), rule.severity(), Risk.MEDIUM, component,
                new Location(file, hit.line(), hit.column(), hit.endLine(), hit.endColumn()), hit.message(),
                evidence, code);
    }

    private static String firstLine(String code) {
        String line = code.lines().findFirst().orElse("").strip();
        return line.length() <= 200 ? line : line.substring(0, 200) + "...";
    }

    static String redactLiterals(String code) {
        Matcher m = STRING_LITERAL.matcher(code);
        StringBuilder sb = new StringBuilder();
        while (m.find()) {
            String inner = m.group().substring(1, m.group().length() - 1);
            m.appendReplacement(sb, Matcher.quoteReplacement("\"" + Redaction.redact(inner) + "\""));
        }
        m.appendTail(sb);
        return ARRAY_LITERAL.matcher(sb.toString()).replaceAll("{****}");
    }

    private static String hashLiterals(String code) {
        Matcher m = STRING_LITERAL.matcher(code);
        StringBuilder sb = new StringBuilder();
        while (m.find()) {
            m.appendReplacement(sb, Redaction.hash(m.group()));
        }
        m.appendTail(sb);
        Matcher a = ARRAY_LITERAL.matcher(sb.toString());
        StringBuilder out = new StringBuilder();
        while (a.find()) {
            a.appendReplacement(out, Redaction.hash(a.group()));
        }
        a.appendTail(out);
        return out.toString();
    }
}
