package io.harmonix.agent.architecture.internal.analysis;

import io.harmonix.agent.architecture.internal.graph.Reference;
import io.harmonix.enhance.api.Finding;
import io.harmonix.enhance.api.Location;
import io.harmonix.enhance.api.Risk;
import io.harmonix.enhance.api.Rule;
import io.harmonix.enhance.api.Target;
import java.util.List;
import java.util.stream.Collectors;

/** Makes the agent's findings: its type, the component from the file, the fingerprint from what it is about. */
final class Findings {
    static final String TYPE = "architecture";

    private final Target target;

    Findings(Target target) {
        this.target = target;
    }

    /**
     * @param subject what the finding is about, independent of lines (a cycle's members, a package, a rule and
     *     its two sides): its fingerprint survives edits elsewhere
     */
    Finding at(Rule rule, Risk risk, String file, int line, String message, String evidence, String subject) {
        return Finding.of(TYPE, rule.id(), rule.severity(), risk, target.componentOf(file),
                Location.lines(file, Math.max(1, line), Math.max(1, line)), message, evidence, subject);
    }

    Finding at(Rule rule, Risk risk, Reference r, String message, String evidence, String subject) {
        return at(rule, risk, r.file(), r.line(), message, evidence, subject);
    }

    /** @return the first {@code max} references as evidence lines: file:line from -> to */
    static String evidence(List<Reference> refs, int max) {
        String shown = refs.stream().limit(max).map(r -> "  " + r.file() + ":" + r.line() + " " + r.fromType()
                + " uses " + r.toType()).collect(Collectors.joining("\n"));
        return refs.size() > max ? shown + "\n  ... " + (refs.size() - max) + " more" : shown;
    }
}
