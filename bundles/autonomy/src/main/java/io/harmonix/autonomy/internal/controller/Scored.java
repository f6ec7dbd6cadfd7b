package io.harmonix.autonomy.internal.controller;

import io.harmonix.autonomy.api.ItemType;
import io.harmonix.autonomy.api.Risk;
import java.util.List;

/**
 * A backlog item as THINK scored it in one run: the signals of one item id merged, with its priority and risk and
 * how the rule came to them (the run document shows it).
 */
record Scored(String itemId, String repo, ItemType type, String rule, String title, String summary, int priority,
        Risk risk, String why, List<String> evidence, String commit, Signal.Change change) {
    Scored {
        evidence = List.copyOf(evidence);
    }
}
