package io.harmonix.waves.internal;

import io.harmonix.cycle.api.AgentEntry;
import io.harmonix.cycle.api.AgentStatus;
import io.harmonix.cycle.api.CycleSnapshot;
import io.harmonix.enhance.api.CycleFindings;
import io.harmonix.enhance.api.Finding;
import io.harmonix.enhance.api.FindingCycle;
import io.harmonix.enhance.api.Proposal;
import io.harmonix.enhance.api.Severity;
import io.harmonix.enhance.api.TrackedFinding;
import io.harmonix.waves.api.WaveReport.Conflict;
import io.harmonix.waves.api.WaveReport.MergedFinding;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * One cycle of a wave put together, from the entries of that cycle of all its runs (one per instance): the findings
 * of all its instances merged by fingerprint (one finding seen by
 * two instances is one entry with both as sources), proposals touching files outside their instance's components
 * refused, and proposals whose hunks overlap resolved by the rule: the higher severity first, then the smaller
 * change (fewer lines added and removed), then the lower fingerprint so that the outcome never depends on order.
 * The proposal set aside is not lost: its agent makes it again next cycle against the new base.
 */
final class Aggregation {
    /** A proposal kept, with who made it and what it weighs. */
    record Candidate(String agentId, String agentType, Proposal proposal, Finding finding, Severity severity,
            Hunks hunks) {
    }

    /** A proposal refused because it changes files of components its instance does not own. */
    record Refused(String agentId, Proposal proposal, Finding finding, String reason) {
    }

    /** What a cycle of a wave comes to. */
    record Result(long cycle, List<MergedFinding> findings, List<Conflict> conflicts, List<Candidate> kept,
            List<Refused> refused) {
    }

    static final Comparator<Candidate> RULE = Comparator.<Candidate>comparingInt(c -> -c.severity().ordinal())
            .thenComparingInt(c -> c.hunks().changedLines())
            .thenComparing(c -> c.proposal().fingerprint());

    private Aggregation() {
    }

    /**
     * @param snapshot the wave's cycle
     * @param owned the components each instance of the wave owns, by agent id (instances not in it are not the
     *     wave's and are ignored)
     */
    static Result of(CycleSnapshot snapshot, Map<String, List<String>> owned) {
        return of(snapshot.cycle(), snapshot.agents(), owned);
    }

    /**
     * A cycle of a wave whose instances are several runs: the entries of that cycle number of every run, together.
     *
     * @param cycle the cycle number
     * @param entries the agent entries of that cycle of each of the wave's runs
     * @param owned as above
     */
    static Result of(long cycle, List<AgentEntry> entries, Map<String, List<String>> owned) {
        Map<String, MergedFinding> merged = new TreeMap<>();
        Map<String, TreeSet<String>> sources = new TreeMap<>();
        List<Conflict> conflicts = new ArrayList<>();
        List<Candidate> candidates = new ArrayList<>();
        List<Refused> refused = new ArrayList<>();
        for (AgentEntry e : entries) {
            List<String> components = owned.get(e.agentId());
            if (components == null || e.status() != AgentStatus.OK) {
                continue;
            }
            CycleFindings cf = FindingCycle.read(e.outputs()).orElse(null);
            if (cf == null) {
                continue;
            }
            Map<String, Finding> own = new LinkedHashMap<>();
            for (TrackedFinding t : cf.findings()) {
                Finding f = t.finding();
                own.put(f.fingerprint(), f);
                sources.computeIfAbsent(f.fingerprint(), k -> new TreeSet<>()).add(e.agentId());
                merged.putIfAbsent(f.fingerprint(), new MergedFinding(f.fingerprint(), f.ruleId(),
                        f.severity().id(), f.location().file(), f.location().line(), f.message(), List.of(),
                        cycle));
            }
            for (Proposal p : cf.proposals()) {
                Hunks hunks;
                try {
                    hunks = Hunks.of(p.diff());
                } catch (IllegalArgumentException bad) {
                    conflicts.add(new Conflict(cycle, "malformed", null, p.fingerprint(), e.agentId(),
                            "refused: " + bad.getMessage()));
                    continue;
                }
                String outside = hunks.files().stream().filter(file -> !ownedBy(file, components)).findFirst()
                        .orElse(null);
                if (outside != null) {
                    String why = "refused: it changes " + outside + ", outside the components " + e.agentId()
                            + " owns (" + String.join(", ", components) + ")";
                    conflicts.add(new Conflict(cycle, "ownership", null, p.fingerprint(), e.agentId(), why));
                    refused.add(new Refused(e.agentId(), p, own.get(p.fingerprint()), why));
                    continue;
                }
                Finding f = own.get(p.fingerprint());
                candidates.add(new Candidate(e.agentId(), cf.agentType(), p, f,
                        f == null ? Severity.INFO : f.severity(), hunks));
            }
        }
        List<MergedFinding> findings = new ArrayList<>();
        merged.forEach((fp, f) -> findings.add(new MergedFinding(f.fingerprint(), f.ruleId(), f.severity(), f.file(),
                f.line(), f.message(), List.copyOf(sources.get(fp)), f.cycle())));
        List<Candidate> kept = resolve(cycle, candidates, conflicts);
        return new Result(cycle, findings, conflicts, kept, refused);
    }

    /** Keeps proposals by {@link #RULE}, each set aside when its hunks overlap one already kept. */
    static List<Candidate> resolve(long cycle, List<Candidate> candidates, List<Conflict> conflicts) {
        List<Candidate> sorted = new ArrayList<>(candidates);
        sorted.sort(RULE);
        List<Candidate> kept = new ArrayList<>();
        for (Candidate c : sorted) {
            Candidate same = kept.stream().filter(k -> k.proposal().fingerprint().equals(c.proposal().fingerprint())
                    && k.proposal().diff().equals(c.proposal().diff())).findFirst().orElse(null);
            if (same != null) {
                continue; // the same fix from two instances is one proposal
            }
            Candidate winner = kept.stream().filter(k -> k.hunks().overlap(c.hunks()) != null).findFirst()
                    .orElse(null);
            if (winner == null) {
                kept.add(c);
                continue;
            }
            Hunks.Hunk where = winner.hunks().overlap(c.hunks());
            conflicts.add(new Conflict(cycle, "overlap", winner.proposal().fingerprint(), c.proposal().fingerprint(),
                    c.agentId(), "kept " + shortId(winner) + " of " + winner.agentId() + " (" + reason(winner, c)
                            + "); their hunks overlap at " + where.file() + ":" + where.from() + "-" + where.to()
                            + "; " + shortId(c) + " of " + c.agentId() + " is re-proposed on the new base next cycle"));
        }
        return kept;
    }

    private static String reason(Candidate winner, Candidate loser) {
        if (winner.severity() != loser.severity()) {
            return "severity " + winner.severity().id() + " over " + loser.severity().id();
        }
        if (winner.hunks().changedLines() != loser.hunks().changedLines()) {
            return "same severity, the smaller change: " + winner.hunks().changedLines() + " changed lines over "
                    + loser.hunks().changedLines();
        }
        return "same severity and size: the lower fingerprint";
    }

    private static String shortId(Candidate c) {
        String fp = c.proposal().fingerprint();
        return fp.length() > 12 ? fp.substring(0, 12) : fp;
    }

    /** @return true when {@code file} is inside one of the components (a component "" or "." is the whole tree) */
    static boolean ownedBy(String file, List<String> components) {
        for (String c : components) {
            if (c.isEmpty() || c.equals(".") || file.equals(c) || file.startsWith(c + "/")) {
                return true;
            }
        }
        return false;
    }
}
