package io.harmonix.enhance.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.harmonix.cycle.api.AgentContext;
import io.harmonix.cycle.api.AgentResult;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Each cycle reports every finding as new, persisting or fixed since the previous cycle on the same target. */
class FindingCycleTest {
    private static final Target TARGET = new Target(Path.of("/repo"), "a".repeat(40), List.of());
    private static final Target OTHER = new Target(Path.of("/other"), "b".repeat(40), List.of());

    private static Finding finding(String rule, String file, int line, String code) {
        return Finding.of("quality", rule, Severity.MEDIUM, Risk.LOW, "", Location.lines(file, line, line),
                rule + " at " + line, code, code);
    }

    private static AgentResult cycle(JsonNode previous, Target target, boolean partial, Finding... found) {
        return FindingCycle.result(new AgentContext("r", 1, previous, null, Instant.MAX), "quality", target,
                new Analysis(List.of(found), List.of(), 3, 3, partial, Map.of()));
    }

    private static Map<String, FindingStatus> statuses(AgentResult r) {
        CycleFindings read = FindingCycle.read(r.outputs()).orElseThrow();
        var out = new java.util.TreeMap<String, FindingStatus>();
        read.findings().forEach(t -> out.put(t.finding().message(), t.status()));
        read.fixed().forEach(f -> out.put(f.message(), FindingStatus.FIXED));
        return out;
    }

    @Test
    void firstCycleReportsEverythingNewThenPersistingThenFixed() {
        Finding a = finding("R1", "A.java", 3, "int x;");
        Finding b = finding("R2", "B.java", 9, "foo();");
        AgentResult first = cycle(null, TARGET, false, a, b);
        assertEquals(Map.of("R1 at 3", FindingStatus.NEW, "R2 at 9", FindingStatus.NEW), statuses(first));

        AgentResult second = cycle(first.state(), TARGET, false, a);
        assertEquals(Map.of("R1 at 3", FindingStatus.PERSISTING, "R2 at 9", FindingStatus.FIXED), statuses(second));
        assertEquals(1.0, second.metrics().get("fixed"));

        AgentResult third = cycle(second.state(), TARGET, false, a);
        assertEquals(Map.of("R1 at 3", FindingStatus.PERSISTING), statuses(third), "fixed is reported once");
    }

    @Test
    void movedCodeKeepsItsFingerprintChangedCodeDoesNot() {
        Finding before = finding("R1", "A.java", 3, "int   x;");
        Finding moved = finding("R1", "A.java", 40, "int x;");
        Finding changed = finding("R1", "A.java", 3, "int y;");
        assertEquals(before.fingerprint(), moved.fingerprint());
        assertNotEquals(before.fingerprint(), changed.fingerprint());
        assertNotEquals(before.fingerprint(), finding("R1", "B.java", 3, "int x;").fingerprint());
        assertNotEquals(before.fingerprint(), finding("R2", "A.java", 3, "int x;").fingerprint());
    }

    @Test
    void theSameCodeTwiceInAFileKeepsTwoIdentities() {
        Finding one = finding("R1", "A.java", 3, "x++;");
        Finding two = finding("R1", "A.java", 7, "x++;");
        AgentResult first = cycle(null, TARGET, false, two, one);
        List<TrackedFinding> read = FindingCycle.read(first.outputs()).orElseThrow().findings();
        assertEquals(2, read.size());
        assertNotEquals(read.get(0).finding().fingerprint(), read.get(1).finding().fingerprint());
        assertEquals(one.fingerprint(), read.get(0).finding().fingerprint(), "the first in line order keeps it");
    }

    @Test
    void aPartialCycleReportsNothingFixedAndForgetsNothing() {
        Finding a = finding("R1", "A.java", 3, "int x;");
        Finding b = finding("R2", "B.java", 9, "foo();");
        AgentResult first = cycle(null, TARGET, false, a, b);
        AgentResult partial = cycle(first.state(), TARGET, true, a);
        assertEquals(Map.of("R1 at 3", FindingStatus.PERSISTING), statuses(partial));
        assertTrue(FindingCycle.read(partial.outputs()).orElseThrow().partial());
        AgentResult whole = cycle(partial.state(), TARGET, false, a);
        assertEquals(FindingStatus.FIXED, statuses(whole).get("R2 at 9"), "b is still known after the partial cycle");
    }

    @Test
    void eachTargetHasItsOwnHistory() {
        Finding a = finding("R1", "A.java", 3, "int x;");
        AgentResult first = cycle(null, TARGET, false, a);
        AgentResult other = cycle(first.state(), OTHER, false);
        assertEquals(Map.of(), statuses(other), "nothing of /repo is reported fixed by a scan of /other");
        AgentResult back = cycle(other.state(), TARGET, false, a);
        assertEquals(Map.of("R1 at 3", FindingStatus.PERSISTING), statuses(back));
    }

    @Test
    void outputsReadBackWhole() {
        Finding a = Finding.of("security", "aws-key", Severity.CRITICAL, Risk.HIGH, "bundles/x",
                new Location("bundles/x/A.java", 3, 5, 3, 30), "an AWS key", "AKIA****", "AKIA1234");
        Proposal p = new Proposal(a.fingerprint(), "a".repeat(40), "Remove it", "--- a/x\n+++ b/x\n", "gone");
        AgentResult r = FindingCycle.result(new AgentContext("r", 1, null, null, Instant.MAX), "security", TARGET,
                new Analysis(List.of(a), List.of(p), 1, 2, false, Map.of("kotlin", 1)));
        CycleFindings read = FindingCycle.read(r.outputs()).orElseThrow();
        assertEquals(a, read.findings().get(0).finding());
        assertEquals(List.of(p), read.proposals());
        assertEquals("/repo", read.target());
        assertEquals(Map.of("kotlin", 1), read.notAnalysed());
        assertEquals(2, read.filesTotal());
        assertEquals("critical", r.outputs().path("findings").get(0).path("severity").asText());
        assertTrue(FindingCycle.read(com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode())
                .isEmpty(), "outputs of another kind of agent are not findings");
    }

    @Test
    void withoutATargetACycleIsIdleKeepsTheStateAndIsNoFindingsCycle() throws Exception {
        AgentResult first = cycle(null, TARGET, false, finding("R1", "A.java", 3, "int x;"));
        AgentResult idle = FindingCycle.run(new AgentContext("r", 2, first.state(), null, Instant.MAX), "quality",
                java.util.Optional.empty(), t -> {
                    throw new AssertionError("nothing to analyse");
                });
        assertEquals(first.state(), idle.state());
        assertTrue(idle.outputs().path("idle").asText().startsWith("no target"), idle.outputs().toString());
        assertTrue(FindingCycle.read(idle.outputs()).isEmpty());
    }

    @Test
    void timeToStopComesBeforeTheDeadlineWithTimeToAnswer() {
        Instant now = Instant.now();
        assertTrue(FindingCycle.timeToStop(new AgentContext("r", 1, null, null, now.minusSeconds(1))).getAsBoolean(),
                "past the deadline: stop");
        assertFalse(FindingCycle.timeToStop(new AgentContext("r", 1, null, null, now.plusSeconds(60)))
                .getAsBoolean(), "a minute left: go on");
        // 2.5 s left: the margin (2 s at least, half of what is left at most) leaves well over a second to work
        assertFalse(FindingCycle.timeToStop(new AgentContext("r", 1, null, null, now.plusMillis(2500)))
                .getAsBoolean());
        assertFalse(FindingCycle.timeToStop(new AgentContext("r", 1, null, null, Instant.MAX)).getAsBoolean(),
                "no deadline");
    }
}
