package io.harmonix.workflow.api;

import java.util.List;

/** A definition with problems: every one found, each with its place. */
public class WorkflowValidationException extends Exception {
    private static final long serialVersionUID = 1L;
    private final List<Problem> problems;

    public WorkflowValidationException(List<Problem> problems) {
        super(problems.size() + " problem(s):\n" + String.join("\n", problems.stream().map(Problem::toString)
                .toList()));
        this.problems = List.copyOf(problems);
    }

    public List<Problem> problems() {
        return problems;
    }
}
