package io.harmonix.agent.architecture.internal.analysis;

/**
 * How the architecture is judged.
 *
 * @param rulesFile the layering rules file, relative to the target; a missing default file means no rules, a
 *     missing file that was configured is an error
 * @param rulesFileConfigured true when {@code rulesFile} was configured rather than the default
 * @param inlineRules layering rules given in the configuration, one per line or separated by ';'
 * @param distanceThreshold packages whose distance D is above it are outliers
 * @param minPackageTypes packages with fewer types are too small to judge by D
 * @param instabilityGrowth a module's instability growing by more than this since the previous cycle is a finding
 * @param evidenceReferences how many references of an edge to keep as its evidence
 */
public record Settings(String rulesFile, boolean rulesFileConfigured, String inlineRules, double distanceThreshold,
        int minPackageTypes, double instabilityGrowth, int evidenceReferences) {
    public static final String DEFAULT_RULES_FILE = ".harmonix/architecture.rules";

    /** @return the defaults: the rules file .harmonix/architecture.rules, D above 0.7 for 5 types or more */
    public static Settings defaults() {
        return new Settings(DEFAULT_RULES_FILE, false, "", 0.7, 5, 0.2, 3);
    }

    public Settings {
        if (distanceThreshold < 0 || distanceThreshold > 1) {
            throw new IllegalArgumentException("distanceThreshold must be between 0 and 1; was " + distanceThreshold);
        }
        if (instabilityGrowth < 0 || instabilityGrowth > 1) {
            throw new IllegalArgumentException("instabilityGrowth must be between 0 and 1; was "
                    + instabilityGrowth);
        }
        if (minPackageTypes < 1) {
            throw new IllegalArgumentException("minPackageTypes must be at least 1; was " + minPackageTypes);
        }
        evidenceReferences = Math.max(1, evidenceReferences);
        rulesFile = rulesFile == null || rulesFile.isBlank() ? DEFAULT_RULES_FILE : rulesFile.trim();
        inlineRules = inlineRules == null ? "" : inlineRules;
    }
}
