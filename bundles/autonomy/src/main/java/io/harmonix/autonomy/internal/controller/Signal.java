package io.harmonix.autonomy.internal.controller;

import io.harmonix.autonomy.api.ItemType;
import io.harmonix.autonomy.api.Risk;
import java.util.List;

/**
 * One thing SENSE noticed about a repository, before THINK scores it: a finding, a red main branch, a commit that
 * broke a build, a validated enhancement, a task of the repository's tasks file.
 *
 * @param rule the scoring rule it falls under ({@code security.high}, {@code main-red}, {@code task}, ...)
 * @param title what the backlog item's id is made from (stable from run to run for the same problem)
 * @param summary one line for the run document
 * @param risk the risk of acting on it, as its source says
 * @param priority the priority its source gives (a task's), or 0 for the rule's
 * @param evidence links to where it comes from (never empty)
 * @param commit the repository's commit it was seen at, or null
 * @param change what would fix it, or null when nothing known does
 */
record Signal(String repo, String rule, ItemType type, String title, String summary, Risk risk, int priority,
        List<String> evidence, String commit, Change change) {
    Signal {
        evidence = List.copyOf(evidence);
    }

    /**
     * A change that fixes a signal, as ACT hands it to the change requests.
     *
     * @param kind {@code proposal}, {@code revert} or {@code fix}
     * @param groupKey items of one repository with the same key become one request, or null
     */
    record Change(String kind, String title, String groupKey, long enhancementId, String revertCommit, String diff) {
    }
}
