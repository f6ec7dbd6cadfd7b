package io.harmonix.agent.quality.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import net.sourceforge.pmd.PMDConfiguration;
import net.sourceforge.pmd.PmdAnalysis;
import net.sourceforge.pmd.lang.document.FileId;
import net.sourceforge.pmd.lang.java.JavaLanguageModule;
import net.sourceforge.pmd.lang.rule.RulePriority;
import net.sourceforge.pmd.lang.rule.RuleSet;
import net.sourceforge.pmd.reporting.Report;
import net.sourceforge.pmd.reporting.RuleViolation;

/**
 * One PMD analysis of some Java sources, in memory: the sources go in as text (not paths) and the report comes back
 * as plain records, so that nothing of PMD outlives the call and the caller decides how findings look.
 */
final class PmdScan {
    private static final Pattern QUOTED = Pattern.compile("'([^']+)'");

    /**
     * A rule violation.
     *
     * @param name the variable, field or import it is about when PMD says (for fixes), else ""
     */
    record Violation(String file, String ruleId, RulePriority priority, int line, int column, int endLine,
            int endColumn, String message, String name) {
    }

    /** @param unparsable files PMD could not analyse, with its reason */
    record Result(List<Violation> violations, Map<String, String> unparsable) {
    }

    private PmdScan() {
    }

    static Result run(RuleSet rules, List<Source> sources) {
        PMDConfiguration config = new PMDConfiguration();
        // one worker thread: the machine is shared and the runner already runs agents in parallel
        config.setThreads(1);
        // no incremental cache file: every cycle analyses what is there now
        config.setIgnoreIncrementalAnalysis(true);
        config.setOnlyRecognizeLanguage(JavaLanguageModule.getInstance());
        List<Violation> violations = new ArrayList<>();
        Map<String, String> unparsable = new TreeMap<>();
        try (PmdAnalysis pmd = PmdAnalysis.create(config)) {
            pmd.addRuleSet(rules);
            for (Source s : sources) {
                pmd.files().addSourceFile(FileId.fromPathLikeString(s.path()), s.text());
            }
            Report report = pmd.performAnalysisAndCollectReport();
            for (RuleViolation v : report.getViolations()) {
                violations.add(new Violation(v.getFileId().getOriginalPath(), v.getRule().getName(),
                        v.getRule().getPriority(), v.getBeginLine(), v.getBeginColumn(), v.getEndLine(),
                        v.getEndColumn(), v.getDescription(), nameOf(v)));
            }
            for (Report.ProcessingError e : report.getProcessingErrors()) {
                unparsable.put(e.getFileId().getOriginalPath(), e.getMsg());
            }
        }
        return new Result(violations, unparsable);
    }

    /** The name PMD records for the violation, or the first quoted word of its message ("such as 'x'"). */
    private static String nameOf(RuleViolation v) {
        String name = v.getAdditionalInfo().get(RuleViolation.VARIABLE_NAME);
        if (name != null && !name.isBlank()) {
            return name;
        }
        Matcher m = QUOTED.matcher(v.getDescription());
        return m.find() ? m.group(1) : "";
    }
}
