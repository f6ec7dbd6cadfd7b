package io.harmonix.enhance.api;

import java.util.List;
import java.util.Map;

/**
 * One enhancement agent's cycle as its outputs record it, read back by {@link FindingCycle#read}.
 *
 * @param agentType the agent's type
 * @param target the folder analysed
 * @param commit the commit analysed
 * @param components the components analysed (empty: all)
 * @param findings the findings present in this cycle (new or persisting), in file and line order
 * @param fixed the findings of the previous cycle that are gone, as last seen
 * @param proposals fixes for some of the findings
 * @param filesAnalysed files analysed
 * @param filesTotal files to analyse
 * @param partial true when the analysis stopped early
 * @param notAnalysed files not analysed, by language
 */
public record CycleFindings(String agentType, String target, String commit, List<String> components,
        List<TrackedFinding> findings, List<Finding> fixed, List<Proposal> proposals, int filesAnalysed,
        int filesTotal, boolean partial, Map<String, Integer> notAnalysed) {
}
