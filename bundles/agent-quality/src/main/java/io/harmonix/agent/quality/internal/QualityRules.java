package io.harmonix.agent.quality.internal;

import io.harmonix.enhance.api.Risk;
import io.harmonix.enhance.api.Rule;
import io.harmonix.enhance.api.Severity;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import net.sourceforge.pmd.lang.rule.RulePriority;
import net.sourceforge.pmd.lang.rule.RuleSet;
import net.sourceforge.pmd.lang.rule.RuleSetLoadException;
import net.sourceforge.pmd.lang.rule.RuleSetLoader;
import net.sourceforge.pmd.properties.PropertyDescriptor;

/**
 * The PMD rules an instance applies: the ruleset shipped in this bundle or the one its configuration names, with the
 * configured thresholds set on top, and what each rule's findings are worth (severity from PMD's priority, risk of
 * acting on them by rule).
 */
final class QualityRules {
    /** The rule id of duplicated blocks found by PMD's copy-paste detector (it is not a PMD rule). */
    static final String DUPLICATED_CODE = "DuplicatedCode";
    static final String SHIPPED = "harmonix-quality.xml";

    /**
     * The risk of acting on a finding, by rule: removing what nothing uses is mechanical (low), unless it changes a
     * signature callers see (medium); untangling complex, long, nested or copied code is a refactoring (medium);
     * splitting a god class reshapes a design (high). Rules not listed here are medium.
     */
    private static final Map<String, Risk> RISKS = Map.ofEntries(
            Map.entry("UnnecessaryImport", Risk.LOW),
            Map.entry("UnusedPrivateField", Risk.LOW),
            Map.entry("UnusedLocalVariable", Risk.LOW),
            Map.entry("UnusedPrivateMethod", Risk.MEDIUM),
            Map.entry("UnusedFormalParameter", Risk.MEDIUM),
            Map.entry("GodClass", Risk.HIGH));

    /** Threshold settings of the configuration: 0 keeps the ruleset's own value. */
    record Thresholds(int methodComplexity, int cognitiveComplexity, int methodLength, int classLength,
            int nestingDepth) {
        static final Thresholds RULESET = new Thresholds(0, 0, 0, 0, 0);
    }

    private final RuleSet ruleSet;
    private final String source;

    private QualityRules(RuleSet ruleSet, String source) {
        this.ruleSet = ruleSet;
        this.source = source;
    }

    /**
     * Loads the rules.
     *
     * @param ruleset the ruleset file, or null for the shipped one
     * @throws IllegalArgumentException naming the file and PMD's complaint when the ruleset does not load, or the
     *     threshold that is out of range
     */
    static QualityRules load(Path ruleset, Thresholds thresholds) throws IOException {
        String xml;
        String name;
        String reference;
        if (ruleset == null) {
            try (InputStream in = QualityRules.class.getResourceAsStream(SHIPPED)) {
                if (in == null) {
                    throw new IllegalStateException("the bundle lost its ruleset " + SHIPPED);
                }
                xml = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
            name = SHIPPED + " (shipped)";
            reference = SHIPPED;
        } else {
            xml = Files.readString(ruleset);
            name = ruleset.toString();
            reference = name;
        }
        RuleSet set;
        try {
            // from a string: PMD's loader cannot see this bundle's resources; the rule references inside
            // (category/java/...) are PMD's own and resolve through its class loader
            set = new RuleSetLoader().warnDeprecated(false).loadFromString(reference, xml);
        } catch (RuleSetLoadException e) {
            throw new IllegalArgumentException("ruleset " + name + " does not load: " + e.getMessage(), e);
        }
        if (set.getRules().isEmpty()) {
            throw new IllegalArgumentException("ruleset " + name + " has no rules");
        }
        set(set, "CyclomaticComplexity", "methodReportLevel", thresholds.methodComplexity(), "methodComplexity");
        set(set, "CognitiveComplexity", "reportLevel", thresholds.cognitiveComplexity(), "cognitiveComplexity");
        set(set, "NcssCount", "methodReportLevel", thresholds.methodLength(), "methodLength");
        set(set, "NcssCount", "classReportLevel", thresholds.classLength(), "classLength");
        set(set, "AvoidDeeplyNestedIfStmts", "problemDepth", thresholds.nestingDepth(), "nestingDepth");
        return new QualityRules(set, name);
    }

    @SuppressWarnings("unchecked")
    private static void set(RuleSet set, String ruleName, String property, int value, String setting) {
        if (value == 0) {
            return;
        }
        if (value < 0) {
            throw new IllegalArgumentException(setting + " must be a positive number (0: the ruleset's value); was "
                    + value);
        }
        net.sourceforge.pmd.lang.rule.Rule rule = set.getRuleByName(ruleName);
        if (rule == null) {
            return; // a ruleset without the rule: the threshold has nothing to apply to
        }
        PropertyDescriptor<?> descriptor = rule.getPropertyDescriptor(property);
        if (descriptor == null) {
            throw new IllegalStateException("PMD rule " + ruleName + " has no property " + property);
        }
        rule.setProperty((PropertyDescriptor<Integer>) descriptor, value);
    }

    RuleSet ruleSet() {
        return ruleSet;
    }

    /** @return where the rules come from (a file, or the shipped ruleset) */
    String source() {
        return source;
    }

    /** @return the configured rules as the enhancement API describes them, the copy-paste detector last */
    List<Rule> describe() {
        List<Rule> rules = new ArrayList<>();
        for (net.sourceforge.pmd.lang.rule.Rule r : ruleSet.getRules()) {
            String description = oneLine(r.getDescription());
            String url = r.getExternalInfoUrl() == null ? "" : r.getExternalInfoUrl().strip();
            rules.add(new Rule(r.getName(), r.getName(), description,
                    url.isEmpty() ? description : description + " " + url, severity(r.getPriority())));
        }
        String cpd = "Finds blocks of code copied between or within files (PMD's copy-paste detector), with "
                + "every location of each copy.";
        rules.add(new Rule(DUPLICATED_CODE, "Duplicated code", cpd, cpd + " Extract the block into one method "
                + "or class that every copy calls. https://pmd.github.io/pmd/pmd_userdocs_cpd.html",
                Severity.MEDIUM));
        return rules;
    }

    /** PMD's priority as a severity: 1 critical, 2 high, 3 medium, 4 low, 5 info. */
    static Severity severity(RulePriority priority) {
        return switch (priority) {
            case HIGH -> Severity.CRITICAL;
            case MEDIUM_HIGH -> Severity.HIGH;
            case MEDIUM -> Severity.MEDIUM;
            case MEDIUM_LOW -> Severity.LOW;
            case LOW -> Severity.INFO;
        };
    }

    static Risk risk(String ruleId) {
        return RISKS.getOrDefault(ruleId, Risk.MEDIUM);
    }

    private static String oneLine(String text) {
        return text == null ? "" : text.strip().replaceAll("\\s+", " ");
    }
}
