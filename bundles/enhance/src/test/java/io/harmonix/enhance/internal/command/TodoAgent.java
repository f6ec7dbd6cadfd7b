package io.harmonix.enhance.internal.command;

import io.harmonix.cycle.api.AgentContext;
import io.harmonix.cycle.api.AgentResult;
import io.harmonix.enhance.api.Analysis;
import io.harmonix.enhance.api.EnhancementAgent;
import io.harmonix.enhance.api.Finding;
import io.harmonix.enhance.api.FindingCycle;
import io.harmonix.enhance.api.Location;
import io.harmonix.enhance.api.Proposal;
import io.harmonix.enhance.api.Risk;
import io.harmonix.enhance.api.Rule;
import io.harmonix.enhance.api.ScanProgress;
import io.harmonix.enhance.api.Severity;
import io.harmonix.enhance.api.Target;
import io.harmonix.enhance.api.TargetException;
import java.nio.ByteBuffer;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A small real enhancement agent for the commands' tests: one finding per line of a .txt or .java file that holds
 * "TODO" (low) or "FIXME" (high), each with a proposal that deletes the line, as a unified diff against the
 * target's commit; other files are reported as not analysed, by extension. Files are read as strict UTF-8: one
 * that is not makes the step fail, as a real agent's unreadable input does.
 */
final class TodoAgent implements EnhancementAgent {
    static final String TYPE = "todo";
    static final List<Rule> RULES = List.of(
            new Rule("todo", "TODO marker", "A TODO marker: work left undone", "Do the work, or file an issue "
                    + "and remove the marker.", Severity.LOW),
            new Rule("fixme", "FIXME marker", "A FIXME marker: a known defect", "Fix the defect the marker "
                    + "describes.", Severity.HIGH));

    volatile ScanProgress progress;
    /** How long each file takes on top of reading it: a slow disk, so that a scan lasts long enough to show progress. */
    volatile java.time.Duration perFile = java.time.Duration.ZERO;

    /** Set: its rules cannot be read, as an agent's whose configuration names a file gone since (its first use). */
    volatile String rulesRefused;

    @Override
    public List<Rule> rules() {
        if (rulesRefused != null) {
            throw new IllegalArgumentException(rulesRefused);
        }
        return RULES;
    }

    @Override
    public AgentResult step(AgentContext context) throws Exception {
        Target target = Target.of(context.inputs(), Path.of("."), null, List.of())
                .orElseThrow(() -> new TargetException("the test agent scans the run's input target only"));
        List<String> files = new ArrayList<>();
        List<Finding> findings = new ArrayList<>();
        List<Proposal> proposals = new ArrayList<>();
        Map<String, Integer> notAnalysed = new TreeMap<>();
        int done = 0;
        boolean partial = false;
        for (String file : target.files()) {
            if (file.endsWith(".txt") || file.endsWith(".java")) {
                files.add(file);
            } else {
                notAnalysed.merge(file.contains(".") ? file.substring(file.lastIndexOf('.') + 1) : "none", 1,
                        Integer::sum);
            }
        }
        for (String file : files) {
            if (context.deadlinePassed()) {
                partial = true;
                break;
            }
            Thread.sleep(perFile.toMillis());
            List<String> lines = lines(target.root().resolve(file));
            for (int i = 0; i < lines.size(); i++) {
                String line = lines.get(i);
                String rule = line.contains("FIXME") ? "fixme" : line.contains("TODO") ? "todo" : null;
                if (rule != null) {
                    int column = line.indexOf(rule.toUpperCase(java.util.Locale.ROOT)) + 1;
                    Finding f = Finding.of(TYPE, rule, rule.equals("fixme") ? Severity.HIGH : Severity.LOW,
                            Risk.LOW, target.componentOf(file), new Location(file, i + 1, column, i + 1,
                                    column + rule.length() - 1), "A " + rule.toUpperCase(java.util.Locale.ROOT)
                                    + " marker is left in the code", line.strip(), line);
                    findings.add(f);
                    proposals.add(new Proposal(f.fingerprint(), target.commit(), "Remove the marker line",
                            deleteLine(file, lines, i), "removes a finding of rule " + rule));
                }
            }
            done++;
            if (progress != null) {
                progress.update(context.runId(), TYPE, done, files.size());
            }
        }
        return FindingCycle.result(context, TYPE, target, new Analysis(findings, proposals, done, files.size(),
                partial, notAnalysed));
    }

    private static List<String> lines(Path file) throws Exception {
        String text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                .decode(ByteBuffer.wrap(Files.readAllBytes(file))).toString();
        List<String> lines = new ArrayList<>(List.of(text.split("\n", -1)));
        if (!lines.isEmpty() && lines.get(lines.size() - 1).isEmpty()) {
            lines.remove(lines.size() - 1); // the text after the last line break
        }
        return lines;
    }

    /** A unified diff deleting line {@code index} (0-based), with one line of context on each side. */
    static String deleteLine(String file, List<String> lines, int index) {
        int from = Math.max(0, index - 1);
        int to = Math.min(lines.size() - 1, index + 1);
        int oldCount = to - from + 1;
        int newCount = oldCount - 1;
        StringBuilder diff = new StringBuilder("--- a/" + file + "\n+++ b/" + file + "\n");
        diff.append("@@ -").append(from + 1).append(',').append(oldCount).append(" +")
                .append(newCount == 0 ? from : from + 1).append(',').append(newCount).append(" @@\n");
        for (int i = from; i <= to; i++) {
            diff.append(i == index ? "-" : " ").append(lines.get(i)).append('\n');
        }
        return diff.toString();
    }
}
