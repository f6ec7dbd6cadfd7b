package io.harmonix.enhance.api;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What an agent's analysis of a target produced in one cycle, before it is compared with the previous cycle.
 *
 * @param findings what it found (fingerprints are made unique by {@link FindingCycle})
 * @param proposals fixes for some of the findings
 * @param filesAnalysed how many files it analysed
 * @param filesTotal how many it had to analyse
 * @param partial true when it stopped early (the cycle deadline came): findings not seen may still be there, so none
 *     is reported fixed
 * @param notAnalysed files it does not analyse, by language or kind ({@code "kotlin" -> 12}): said, never silently
 *     skipped
 */
public record Analysis(List<Finding> findings, List<Proposal> proposals, int filesAnalysed, int filesTotal,
        boolean partial, Map<String, Integer> notAnalysed) {
    public Analysis {
        findings = List.copyOf(findings);
        proposals = proposals == null ? List.of() : List.copyOf(proposals);
        notAnalysed = notAnalysed == null ? Map.of() : Map.copyOf(new TreeMap<>(notAnalysed));
    }
}
