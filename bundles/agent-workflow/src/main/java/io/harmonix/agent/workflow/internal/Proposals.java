package io.harmonix.agent.workflow.internal;

import com.github.difflib.DiffUtils;
import com.github.difflib.UnifiedDiffUtils;
import com.github.difflib.patch.Patch;
import io.harmonix.enhance.api.Proposal;
import io.harmonix.workflow.api.Problem;
import io.harmonix.workflow.api.WorkflowService;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Turns a changed text of a definition into a proposal: only when the workflow validator finds no problem in it that
 * the file did not have already (a repository's example may name components no handler of this runtime serves: that
 * problem is the file's, not the change's), and as a unified diff against the target's commit.
 */
final class Proposals {
    private final WorkflowService validator;
    private final String commit;

    Proposals(WorkflowService validator, String commit) {
        this.validator = validator;
        this.commit = commit;
    }

    /**
     * @return the proposal, or empty when the changed text has a problem the original did not have, or changes
     *     nothing
     */
    Optional<Proposal> of(WorkflowYaml d, String changed, String fingerprint, String title, String improves) {
        if (changed.equals(d.text()) || !newProblems(d, changed).isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new Proposal(fingerprint, commit, title, diff(d.file(), d.text(), changed), improves));
    }

    /** @return the problems of {@code changed} the original text does not have (compared without their places) */
    Set<String> newProblems(WorkflowYaml d, String changed) {
        Set<String> before = new HashSet<>();
        for (Problem p : validator.validate(d.file(), d.text())) {
            before.add(p.pointer() + " " + p.message());
        }
        Set<String> after = new HashSet<>();
        for (Problem p : validator.validate(d.file(), changed)) {
            after.add(p.pointer() + " " + p.message());
        }
        after.removeAll(before);
        return after;
    }

    /** @return a unified diff ({@code a/} and {@code b/} paths) that {@code git apply} takes */
    static String diff(String file, String before, String after) {
        List<String> a = lines(before);
        Patch<String> patch = DiffUtils.diff(a, lines(after));
        return String.join("\n", UnifiedDiffUtils.generateUnifiedDiff("a/" + file, "b/" + file, a, patch, 3)) + "\n";
    }

    /** The lines of a text that ends with a line break (the last, empty, piece is not a line). */
    private static List<String> lines(String text) {
        List<String> lines = Arrays.asList(text.split("\n", -1));
        return lines.subList(0, text.endsWith("\n") ? lines.size() - 1 : lines.size());
    }
}
