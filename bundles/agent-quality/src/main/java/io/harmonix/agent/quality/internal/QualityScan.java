package io.harmonix.agent.quality.internal;

import io.harmonix.enhance.api.Analysis;
import io.harmonix.enhance.api.Finding;
import io.harmonix.enhance.api.Location;
import io.harmonix.enhance.api.Proposal;
import io.harmonix.enhance.api.Severity;
import io.harmonix.enhance.api.Target;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;

/**
 * The code quality analysis of a target, without a framework: PMD over its Java files (the deadline checked between
 * files, progress reported every {@value #PROGRESS_EVERY} files), then the copy-paste detector over all of them,
 * then the mechanical fixes of the findings that have one. Nothing is kept from one call to the next.
 */
final class QualityScan {
    static final String TYPE = "quality";
    /** Progress is reported every this many files (and at the end): often enough to watch, cheap enough. */
    static final int PROGRESS_EVERY = 25;
    /** Fingerprints use at most this many lines of a violation: a long method keeps its identity when its body
     *  changes, since the violation is reported at its declaration's first lines. */
    static final int SNIPPET_LINES = 3;
    /** Why a fix is no proposal when its diff (removed, added or context lines) may hold a secret. */
    static final String CHANGE_SHOWS_SECRET = "the change would show a line that may hold a secret";

    /** Told how far the scan has got. */
    interface Progress {
        void update(int done, int total);
    }

    private final QualityRules rules;
    private final int minimumTokens;

    QualityScan(QualityRules rules, int minimumTokens) {
        if (minimumTokens < 10) {
            throw new IllegalArgumentException("minimumTokens must be at least 10 (shorter blocks are everywhere); "
                    + "was " + minimumTokens);
        }
        this.rules = rules;
        this.minimumTokens = minimumTokens;
    }

    Analysis analyse(Target target, BooleanSupplier deadlinePassed, Progress progress) throws IOException {
        Scan scan = new Scan(target);
        List<Source> sources = scan.read(scan.sortByLanguage());
        int total = sources.size() + scan.unreadable;
        int[] started = {0};
        PmdScan.Result result = PmdScan.run(rules.ruleSet(), sources, deadlinePassed, n -> {
            started[0] += n;
            if (started[0] % PROGRESS_EVERY == 0) {
                progress.update(started[0], total);
            }
        });
        scan.collect(sources, result);
        boolean partial = !result.skipped().isEmpty();
        if (!partial && !scan.analysed.isEmpty()) {
            // the copy-paste detector needs every file at once: it runs only when there is time left for it
            partial = deadlinePassed.getAsBoolean();
            if (!partial) {
                DuplicateScan.run(scan.analysed, minimumTokens).forEach(d -> scan.findings.add(duplicate(target, d)));
            }
        }
        List<Proposal> proposals = propose(target, scan.candidates, scan.findings);
        progress.update(scan.analysed.size(), total);
        return new Analysis(scan.findings, proposals, scan.analysed.size(), total, partial, scan.notAnalysed);
    }

    /** What one analysis gathers as it goes. */
    private static final class Scan {
        final Target target;
        final Map<String, Integer> notAnalysed = new TreeMap<>();
        final List<Finding> findings = new ArrayList<>();
        final List<Source> analysed = new ArrayList<>();
        final List<Candidate> candidates = new ArrayList<>();
        int unreadable;

        Scan(Target target) {
            this.target = target;
        }

        /** @return the Java files of the target; the other source files are counted as not analysed */
        List<String> sortByLanguage() throws IOException {
            List<String> javaFiles = new ArrayList<>();
            for (String file : target.files()) {
                Languages.of(file).ifPresent(language -> {
                    if (language.equals(Languages.JAVA)) {
                        javaFiles.add(file);
                    } else {
                        notAnalysed.merge(language, 1, Integer::sum);
                    }
                });
            }
            return javaFiles;
        }

        List<Source> read(List<String> files) throws IOException {
            List<Source> sources = new ArrayList<>();
            for (String file : files) {
                try {
                    sources.add(new Source(file, Files.readString(target.root().resolve(file))));
                } catch (CharacterCodingException e) {
                    notAnalysed.merge("java (not UTF-8)", 1, Integer::sum);
                    unreadable++;
                }
            }
            return sources;
        }

        void collect(List<Source> sources, PmdScan.Result result) {
            Map<String, Source> byPath = sources.stream().collect(Collectors.toMap(Source::path, s -> s));
            for (PmdScan.Violation v : result.violations()) {
                Source source = byPath.get(v.file());
                Finding f = finding(target, source, v);
                findings.add(f);
                if (Fixes.covers(v.ruleId())) {
                    candidates.add(new Candidate(f, source, v));
                }
            }
            result.unparsable().keySet().forEach(f -> notAnalysed.merge("java (does not parse)", 1, Integer::sum));
            sources.stream().filter(s -> !result.unparsable().containsKey(s.path())
                    && !result.skipped().contains(s.path())).forEach(analysed::add);
        }
    }

    private record Candidate(Finding finding, Source source, PmdScan.Violation violation) {
    }

    private static Finding finding(Target target, Source source, PmdScan.Violation v) {
        int endLine = Math.max(v.line(), v.endLine());
        String code = source.lines(v.line(), endLine);
        String snippet = source.lines(v.line(), Math.min(endLine, v.line() + SNIPPET_LINES - 1));
        // PMD's end column is exclusive; the API's is inclusive
        Location at = new Location(v.file(), v.line(), v.column(), endLine, Math.max(0, v.endColumn() - 1));
        Severity severity = QualityRules.severity(v.priority());
        return Finding.of(TYPE, v.ruleId(), severity, QualityRules.risk(v.ruleId()), target.componentOf(v.file()), at,
                Evidence.redacted(v.message()), Evidence.of(code), snippet);
    }

    private static Finding duplicate(Target target, DuplicateScan.Duplicate d) {
        DuplicateScan.Copy first = d.copies().get(0);
        String others = d.copies().subList(1, d.copies().size()).stream().map(DuplicateScan.Copy::toString)
                .collect(Collectors.joining(", "));
        Location at = new Location(first.file(), first.line(), first.column(), first.endLine(),
                Math.max(0, first.endColumn() - 1));
        String message = "Duplicated block of " + d.lines() + " lines (" + d.tokens() + " tokens), also at " + others;
        String evidence = "copies: " + d.copies().stream().map(DuplicateScan.Copy::toString)
                .collect(Collectors.joining(", ")) + "\n" + Evidence.of(d.code());
        return Finding.of(TYPE, QualityRules.DUPLICATED_CODE, Severity.MEDIUM,
                QualityRules.risk(QualityRules.DUPLICATED_CODE), target.componentOf(first.file()), at, message,
                evidence, d.code());
    }

    /**
     * Proposals for the candidates whose file is the committed one (a diff against the commit must apply to it);
     * findings without one say why in their message.
     */
    private static List<Proposal> propose(Target target, List<Candidate> candidates, List<Finding> findings)
            throws IOException {
        if (candidates.isEmpty()) {
            return List.of();
        }
        Set<String> changed = changedSinceCommit(target);
        List<Proposal> proposals = new ArrayList<>();
        for (Candidate c : candidates) {
            String why = changed.contains(c.source().path()) ? "the file differs from commit "
                    + target.commit().substring(0, 12) + ", so a diff against that commit would not apply" : null;
            if (why == null) {
                Fixes.Fix fix = Fixes.fix(c.source(), c.violation().ruleId(), c.violation().line(),
                        c.violation().name());
                String diff = fix.made() ? Diffs.unified(c.source().path(), c.source().text(), fix.text()) : null;
                why = refusal(fix, diff);
                if (why == null) {
                    proposals.add(new Proposal(c.finding().fingerprint(), target.commit(), fix.title(), diff,
                            "removes a finding of rule " + c.violation().ruleId() + "; fewer lines, same behaviour"));
                    continue;
                }
            }
            findings.set(findings.indexOf(c.finding()), withNote(c.finding(), "No fix proposed: " + why + "."));
        }
        return proposals;
    }

    /** @return why the fix is no proposal, or null when it is one */
    private static String refusal(Fixes.Fix fix, String diff) {
        if (!fix.made()) {
            return fix.refusal();
        }
        if (diff == null) {
            return "the file does not end with a line break";
        }
        // a diff carries context lines and removed comments: any line of it may put a secret in the outputs
        return SecretLike.anyLineMayHold(diff) ? CHANGE_SHOWS_SECRET : null;
    }

    private static Finding withNote(Finding f, String note) {
        return new Finding(f.fingerprint(), f.agentType(), f.ruleId(), f.severity(), f.risk(), f.component(),
                f.location(), f.message() + " " + note, f.evidence());
    }

    /** @return the files that differ from the target's commit: changed, staged or untracked */
    private static Set<String> changedSinceCommit(Target target) throws IOException {
        Set<String> changed = new HashSet<>();
        for (String out : List.of(Target.git(target.root(), "diff", "--name-only", "-z", target.commit(), "--"),
                Target.git(target.root(), "ls-files", "-z", "--others", "--exclude-standard"))) {
            for (String f : out.split("\0")) {
                if (!f.isEmpty()) {
                    changed.add(f);
                }
            }
        }
        return changed;
    }
}
