package io.harmonix.autonomy.internal.controller;

import io.harmonix.autonomy.api.BacklogItem;
import io.harmonix.autonomy.api.ItemType;
import io.harmonix.autonomy.api.Risk;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * THINK's rules: each signal's priority (1 most urgent to 5) and risk from the rule it falls under, configured as
 * {@code KEY=PRIORITY} or {@code KEY=PRIORITY/RISK} ({@code scoringRules} of {@code etc/io.harmonix.autonomy.cfg}).
 * A key is a signal's rule ({@code security.high}, {@code main-red}, {@code breaking-commit}, {@code enhancement},
 * {@code task}), {@code *.SEVERITY} for any agent's findings of that severity, or {@code default}. Configured rules
 * replace the default rule of the same key (keeping its risk when they give none), the other defaults stay. With a risk in the rule, a signal's own risk
 * (the finding's risk of acting on it, a task's declared risk) may only raise it, never lower it: a risk written in
 * a repository's tasks file is the repository's content, and content must not choose to ship itself without a
 * person's approval. Without a risk in the rule, the signal's own stands. A task's own priority, when it gives one,
 * wins over its rule's.
 *
 * <p>Then what was learnt: a rule whose shipped changes failed or were rolled back more often than they were kept
 * loses one priority step per excess failure (never below 5), so the controller turns to what works.
 */
final class ScoringRules {
    /** The rules when none are configured: a red main first, then security by severity, then the rest. */
    static final List<String> DEFAULTS = List.of("main-red=1/medium", "breaking-commit=1/medium",
            "security.critical=1", "security.high=1", "security.medium=2", "security.low=3", "security.info=4",
            "*.critical=2", "*.high=2", "*.medium=3", "*.low=4", "*.info=5", "enhancement=3", "task=3/high",
            "default=3");

    private record Rule(int priority, Risk risk) {
    }

    private final Map<String, Rule> rules = new LinkedHashMap<>();

    /**
     * @param entries {@code KEY=PRIORITY[/RISK]} each, or several separated by commas (a .cfg file's one line)
     * @throws IllegalArgumentException naming the entry and what was expected
     */
    ScoringRules(List<String> entries) {
        if (entries != DEFAULTS) {
            read(DEFAULTS);
        }
        read(entries);
        if (!rules.containsKey("default")) {
            rules.put("default", new Rule(3, null));
        }
    }

    private void read(List<String> entries) {
        for (String e : entries.stream().flatMap(x -> java.util.Arrays.stream(x.split(","))).map(String::trim)
                .toList()) {
            if (e.isEmpty()) {
                continue;
            }
            int eq = e.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("scoringRules: '" + e + "': expected KEY=PRIORITY or "
                        + "KEY=PRIORITY/RISK (security.high=1, *.low=4/low)");
            }
            String key = e.substring(0, eq).trim();
            String[] value = e.substring(eq + 1).trim().split("/", 2);
            int priority;
            try {
                priority = Integer.parseInt(value[0].trim());
            } catch (NumberFormatException x) {
                priority = 0;
            }
            if (priority < 1 || priority > 5) {
                throw new IllegalArgumentException("scoringRules: '" + e + "': the priority must be 1 to 5; was '"
                        + value[0].trim() + "'");
            }
            Risk risk = null;
            if (value.length == 2) {
                try {
                    risk = Risk.valueOf(value[1].trim().toUpperCase(Locale.ROOT));
                } catch (IllegalArgumentException x) {
                    throw new IllegalArgumentException("scoringRules: '" + e + "': the risk must be low, medium, "
                            + "high or critical; was '" + value[1].trim() + "'", x);
                }
            }
            Rule replaced = rules.get(key);
            // a rule configured without a risk keeps the default's: giving a priority must not drop task's high
            rules.put(key, new Rule(priority, risk == null && replaced != null ? replaced.risk() : risk));
        }
    }

    /** @return the rules in force, one {@code KEY=PRIORITY[/RISK]} each (for the run document) */
    List<String> describe() {
        List<String> out = new ArrayList<>();
        rules.forEach((k, r) -> out.add(k + "=" + r.priority() + (r.risk() == null ? "" : "/" + r.risk().json())));
        return out;
    }

    /**
     * Scores the signals: one item per id ({@code repo:type:title}), its evidence merged, its priority the most
     * urgent of its signals', its risk the highest, its change the first one known.
     *
     * @param outcomes kept and failed changes per rule (what LEARN recorded)
     * @return the items, most urgent first
     */
    List<Scored> score(List<Signal> signals, Map<String, int[]> outcomes) {
        Map<String, Scored> items = new LinkedHashMap<>();
        for (Signal s : signals) {
            String key = keyOf(s.rule());
            Rule r = rules.get(key);
            int base = s.priority() > 0 ? s.priority() : r.priority();
            int[] o = outcomes.getOrDefault(s.rule(), new int[2]);
            int penalty = Math.max(0, o[1] - o[0]);
            int priority = Math.min(5, base + penalty);
            Risk risk = r.risk() == null ? (s.risk() != null ? s.risk() : Risk.MEDIUM)
                    : s.risk() != null && s.risk().compareTo(r.risk()) > 0 ? s.risk() : r.risk();
            String why = "rule " + key + (s.priority() > 0 ? ", its own priority " + s.priority() : "")
                    + (penalty > 0 ? ", +" + penalty + " for " + o[1] + " failed against " + o[0] + " kept" : "");
            String id = BacklogItem.idOf(s.repo(), s.type(), s.title());
            Scored now = new Scored(id, s.repo(), s.type(), s.rule(), s.title(), s.summary(), priority, risk, why,
                    s.evidence(), s.commit(), s.change());
            items.merge(id, now, ScoringRules::merge);
        }
        List<Scored> out = new ArrayList<>(items.values());
        out.sort(Comparator.comparingInt(Scored::priority).thenComparingInt(ScoringRules::rank)
                .thenComparing(Scored::repo).thenComparing(Scored::itemId));
        return out;
    }

    /** Among items of one priority: a red main or a breaking commit first, then security, then the rest. */
    private static int rank(Scored s) {
        if (s.rule().equals("main-red") || s.rule().equals("breaking-commit")) {
            return 0;
        }
        return s.type() == ItemType.SECURITY ? 1 : 2;
    }

    private String keyOf(String rule) {
        if (rules.containsKey(rule)) {
            return rule;
        }
        int dot = rule.lastIndexOf('.');
        if (dot > 0 && rules.containsKey("*" + rule.substring(dot))) {
            return "*" + rule.substring(dot);
        }
        return "default";
    }

    private static Scored merge(Scored a, Scored b) {
        List<String> evidence = new ArrayList<>(a.evidence());
        b.evidence().stream().filter(e -> !evidence.contains(e)).forEach(evidence::add);
        Scored first = a.priority() <= b.priority() ? a : b;
        Risk risk = a.risk().compareTo(b.risk()) >= 0 ? a.risk() : b.risk();
        return new Scored(a.itemId(), a.repo(), a.type(), first.rule(), a.title(),
                a.summary().length() >= b.summary().length() ? a.summary() : b.summary(), first.priority(), risk,
                first.why(), evidence, a.commit() != null ? a.commit() : b.commit(),
                a.change() != null ? a.change() : b.change());
    }
}
