package io.harmonix.enhance.internal;

import io.harmonix.enhance.api.Finding;
import io.harmonix.enhance.api.FindingStatus;
import io.harmonix.enhance.api.TrackedFinding;
import java.util.ArrayList;
import java.util.List;

/** A finding of an agent's cycle as the commands list it: present (new, persisting) or gone (fixed). */
public record FindingRow(String agentId, Finding finding, FindingStatus status) {
    /** @return the cycle's findings, then those it reports fixed */
    public static List<FindingRow> of(RecordedFindings.AgentCycle c) {
        List<FindingRow> rows = new ArrayList<>();
        for (TrackedFinding t : c.findings().findings()) {
            rows.add(new FindingRow(c.agentId(), t.finding(), t.status()));
        }
        for (Finding f : c.findings().fixed()) {
            rows.add(new FindingRow(c.agentId(), f, FindingStatus.FIXED));
        }
        return rows;
    }
}
