package io.harmonix.agent.quality.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;
import java.util.function.IntConsumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import net.sourceforge.pmd.PMDConfiguration;
import net.sourceforge.pmd.PmdAnalysis;
import net.sourceforge.pmd.lang.LanguageVersion;
import net.sourceforge.pmd.lang.document.FileId;
import net.sourceforge.pmd.lang.document.TextFile;
import net.sourceforge.pmd.lang.document.TextFileContent;
import net.sourceforge.pmd.lang.java.JavaLanguageModule;
import net.sourceforge.pmd.lang.rule.RulePriority;
import net.sourceforge.pmd.lang.rule.RuleSet;
import net.sourceforge.pmd.reporting.FileAnalysisListener;
import net.sourceforge.pmd.reporting.GlobalAnalysisListener;
import net.sourceforge.pmd.reporting.Report;
import net.sourceforge.pmd.reporting.RuleViolation;

/**
 * One PMD analysis of some Java sources, in memory: the sources go in as text (not paths) and the report comes back
 * as plain records, so that nothing of PMD outlives the call and the caller decides how findings look.
 *
 * <p>All files go into one analysis (PMD builds its type system once per analysis, a quarter of the time on a
 * small tree), yet the deadline is still checked between files: PMD reads each file's text when it comes to it, and
 * once the deadline has passed the files it comes to read as empty, which PMD parses in no time and finds nothing
 * in. Those files are reported skipped.
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

    /**
     * @param unparsable files PMD could not analyse, with its reason
     * @param skipped files not analysed because the deadline had passed
     */
    record Result(List<Violation> violations, Map<String, String> unparsable, Set<String> skipped) {
    }

    /** A source as PMD reads it: its text, or nothing once {@code stop} says so. */
    private record DeadlineFile(Source source, FileId id, LanguageVersion version, BooleanSupplier stop,
            Set<String> skipped) implements TextFile {
        @Override
        public LanguageVersion getLanguageVersion() {
            return version;
        }

        @Override
        public FileId getFileId() {
            return id;
        }

        @Override
        public TextFileContent readContents() {
            if (stop.getAsBoolean()) {
                skipped.add(source.path());
                return TextFileContent.fromCharSeq("");
            }
            return TextFileContent.fromCharSeq(source.text());
        }

        @Override
        public void close() {
        }
    }

    /** Counts the files PMD starts on. */
    private record Started(IntConsumer counter) implements GlobalAnalysisListener {
        @Override
        public FileAnalysisListener startFileAnalysis(TextFile file) {
            counter.accept(1);
            return FileAnalysisListener.noop();
        }

        @Override
        public void close() {
        }
    }

    private PmdScan() {
    }

    /**
     * @param stop true once the analysis must stop (checked as PMD comes to each file)
     * @param started told each time PMD starts on a file
     */
    static Result run(RuleSet rules, List<Source> sources, BooleanSupplier stop, IntConsumer started) {
        PMDConfiguration config = new PMDConfiguration();
        // one worker thread: the machine is shared and the runner already runs agents in parallel
        config.setThreads(1);
        // no incremental cache file: every cycle analyses what is there now
        config.setIgnoreIncrementalAnalysis(true);
        config.setOnlyRecognizeLanguage(JavaLanguageModule.getInstance());
        List<Violation> violations = new ArrayList<>();
        Map<String, String> unparsable = new TreeMap<>();
        Set<String> skipped = ConcurrentHashMap.newKeySet();
        LanguageVersion java = JavaLanguageModule.getInstance().getDefaultVersion();
        try (PmdAnalysis pmd = PmdAnalysis.create(config)) {
            pmd.addRuleSet(rules);
            pmd.addListener(new Started(started));
            for (Source s : sources) {
                pmd.files().addFile(new DeadlineFile(s, FileId.fromPathLikeString(s.path()), java, stop, skipped));
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
        return new Result(violations, unparsable, Set.copyOf(skipped));
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
