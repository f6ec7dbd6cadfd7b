package io.harmonix.agent.security.internal.secrets;

import io.harmonix.cycle.api.SecretMasker;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import org.osgi.service.component.annotations.Component;

/**
 * The security agent's secret rules (the shipped gitleaks set, every rule on) as a {@link SecretMasker}: whatever
 * they find in a text is replaced by its {@link Redaction}, as the agent's findings show it (the first 4 characters
 * and {@code ****}). A text the rules cannot finish within their time budget is refused rather than passed on half
 * checked: the caller withholds it.
 *
 * <p>The rules are read at the first text to mask, not with the component: the fleet's sandbox binds every masker at
 * its activation, so reading them here (the TOML file, 222 regular expressions compiled) was a cost of every start.
 */
@Component(service = SecretMasker.class)
public final class GitleaksMasker implements SecretMasker {
    /** The name the text is scanned under: one no allowlist excludes and no path-specific rule claims. */
    static final String PATH = "command-output";

    private volatile SecretScanner scanner;

    public GitleaksMasker() {
    }

    GitleaksMasker(SecretScanner scanner) {
        this.scanner = scanner;
    }

    private SecretScanner scanner() {
        SecretScanner s = scanner;
        if (s == null) {
            // a race builds it twice at worst: the shipped rules are read once (GitleaksRules.shipped) and a
            // scanner holds no state between scans
            s = new SecretScanner(GitleaksRules.shipped(), Set.of());
            scanner = s;
        }
        return s;
    }

    @Override
    public String mask(String text) {
        SecretScanner.Result result = scanner().scan(PATH, text, 1);
        if (result.timedOut()) {
            throw new IllegalStateException("the secret rules did not finish on this text of " + text.length()
                    + " characters within their time budget");
        }
        // longest first: a secret that contains another is replaced whole
        List<String> secrets = result.matches().stream().map(SecretMatch::secret).distinct()
                .sorted(Comparator.comparingInt(String::length).reversed()).toList();
        String out = text;
        for (String secret : secrets) {
            out = out.replace(secret, Redaction.redact(secret));
        }
        return out;
    }
}
