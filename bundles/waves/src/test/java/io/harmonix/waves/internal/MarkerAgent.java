package io.harmonix.waves.internal;

import io.harmonix.cycle.api.Agent;
import io.harmonix.cycle.api.AgentContext;
import io.harmonix.cycle.api.AgentResult;
import io.harmonix.enhance.api.Analysis;
import io.harmonix.enhance.api.Finding;
import io.harmonix.enhance.api.FindingCycle;
import io.harmonix.enhance.api.Location;
import io.harmonix.enhance.api.Proposal;
import io.harmonix.enhance.api.Risk;
import io.harmonix.enhance.api.Severity;
import io.harmonix.enhance.api.Target;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A real enhancement agent for the coordinator's tests, configured as the agent bundles are (a target and
 * components): in each file of its components, a line with {@code FIXME} is a high finding and one with {@code TODO}
 * a low one, each with a proposal that deletes it (and its continuation line starting with {@code //+}), one line of
 * context around; a line {@code STRAY path} is a medium finding whose proposal deletes the first line of
 * {@code path}, wherever that is. Every commit message of the target's history that holds {@code HACK} is a finding
 * of the repository as a whole (file {@code .git}), which every instance reports: what merging by fingerprint is
 * for. Each cycle takes {@link #work} on top.
 */
final class MarkerAgent implements Agent {
    final String type;
    final String target;
    final List<String> components;
    volatile Duration work = Duration.ZERO;
    volatile int cycles;

    MarkerAgent(String type, String target, List<String> components) {
        this.type = type;
        this.target = target;
        this.components = List.copyOf(components);
    }

    @Override
    public AgentResult step(AgentContext context) throws Exception {
        cycles++;
        Thread.sleep(work.toMillis());
        // the target a validation names (its private clone) when given, as the agent bundles do; else its own
        Target t = Target.of(context.inputs(), Path.of("/"), target, components).orElseThrow();
        List<Finding> findings = new ArrayList<>();
        List<Proposal> proposals = new ArrayList<>();
        List<String> files = t.files();
        for (String file : files) {
            List<String> lines = Files.readAllLines(t.root().resolve(file), StandardCharsets.UTF_8);
            for (int i = 0; i < lines.size(); i++) {
                String line = lines.get(i);
                String rule = line.contains("FIXME") ? "fixme" : line.contains("TODO") ? "todo"
                        : line.startsWith("STRAY ") ? "stray" : null;
                if (rule == null) {
                    continue;
                }
                Severity severity = switch (rule) {
                    case "fixme" -> Severity.HIGH;
                    case "stray" -> Severity.MEDIUM;
                    default -> Severity.LOW;
                };
                Finding f = Finding.of(type, rule, severity, Risk.LOW, t.componentOf(file),
                        new Location(file, i + 1, 1, i + 1, line.length()), rule + " marker", line.strip(), line);
                findings.add(f);
                String diff;
                if (rule.equals("stray")) {
                    String other = line.substring("STRAY ".length()).strip();
                    diff = delete(other, Files.readAllLines(t.root().resolve(other), StandardCharsets.UTF_8), 0, 1);
                } else {
                    int n = i + 1 < lines.size() && lines.get(i + 1).startsWith("//+") ? 2 : 1;
                    diff = delete(file, lines, i, n);
                }
                proposals.add(new Proposal(f.fingerprint(), t.commit(), "Remove the " + rule + " line", diff,
                        "removes a " + rule + " finding"));
            }
        }
        for (String message : Target.git(t.root(), "log", "--format=%s").split("\n")) {
            if (message.contains("HACK")) {
                findings.add(Finding.of(type, "hack-commit", Severity.MEDIUM, Risk.LOW, "",
                        new Location(".git", 1, 1, 1, 1), "a commit admits a hack: " + message, message, message));
            }
        }
        return FindingCycle.result(context, type.toLowerCase(Locale.ROOT), t, new Analysis(findings, proposals,
                files.size(), files.size(), false, Map.of()));
    }

    /** A unified diff deleting {@code n} lines from {@code index} (0-based), one line of context each side. */
    static String delete(String file, List<String> lines, int index, int n) {
        int from = Math.max(0, index - 1);
        int to = Math.min(lines.size() - 1, index + n);
        int oldCount = to - from + 1;
        StringBuilder diff = new StringBuilder("--- a/" + file + "\n+++ b/" + file + "\n");
        diff.append("@@ -").append(from + 1).append(',').append(oldCount).append(" +").append(from + 1).append(',')
                .append(oldCount - n).append(" @@\n");
        for (int i = from; i <= to; i++) {
            diff.append(i >= index && i < index + n ? "-" : " ").append(lines.get(i)).append('\n');
        }
        return diff.toString();
    }
}
