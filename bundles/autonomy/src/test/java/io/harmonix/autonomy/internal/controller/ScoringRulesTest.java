package io.harmonix.autonomy.internal.controller;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.harmonix.autonomy.api.BacklogItem;
import io.harmonix.autonomy.api.ItemType;
import io.harmonix.autonomy.api.Risk;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** THINK's scoring: rules by signal, what was learnt, one item per id. */
class ScoringRulesTest {
    private static Signal finding(String repo, String agent, String severity, Risk risk, String fp) {
        return new Signal(repo, agent + "." + severity, Sense.typeOf(agent), Sense.titleOf(agent, "R", fp),
                "R at a.java:1: m", risk, 0, List.of("harmonix:finding/" + fp), null, null);
    }

    private static final Signal RED = new Signal("shop", "main-red", ItemType.BUG, "main is red", "red", Risk.MEDIUM,
            0, List.of("harmonix:check/7"), null, null);

    @Test
    void aRedMainComesFirstThenSecurityBySeverityThenTheRest() {
        List<Scored> s = new ScoringRules(ScoringRules.DEFAULTS).score(List.of(
                finding("shop", "quality", "high", Risk.LOW, "q1"),
                finding("shop", "security", "medium", Risk.MEDIUM, "s2"),
                RED,
                finding("shop", "security", "high", Risk.HIGH, "s1")), Map.of());
        assertEquals(List.of("main-red", "security.high", "security.medium", "quality.high"),
                s.stream().map(Scored::rule).toList());
        assertEquals(List.of(1, 1, 2, 2), s.stream().map(Scored::priority).toList());
        assertEquals(List.of(Risk.MEDIUM, Risk.HIGH, Risk.MEDIUM, Risk.LOW), s.stream().map(Scored::risk).toList(),
                "without a risk in the rule the signal's own stands");
        assertEquals(BacklogItem.idOf("shop", ItemType.BUG, "main is red"), s.get(0).itemId());
        assertEquals("rule *.high", s.get(3).why(), "quality.high falls under the wildcard rule");
    }

    @Test
    void aRuleCanSetTheRiskAndATaskKeepsItsOwnPriority() {
        ScoringRules r = new ScoringRules(List.of("security.high=2/critical", "task=4"));
        Signal task = new Signal("shop", "task", ItemType.FEATURE, "do it", "task: do it", Risk.LOW, 1,
                List.of("harmonix:task/shop/0"), null, null);
        List<Scored> s = r.score(List.of(finding("shop", "security", "high", Risk.MEDIUM, "s"), task), Map.of());
        assertEquals(List.of(1, 2), s.stream().map(Scored::priority).toList());
        assertEquals(Risk.HIGH, s.get(0).risk(), "task=4 keeps the default's risk; the task's low cannot lower it");
        assertEquals(Risk.CRITICAL, s.get(1).risk());
        assertEquals("rule task, its own priority 1", s.get(0).why());
    }

    private static Signal task(Risk declared) {
        return new Signal("shop", "task", ItemType.BUG, "fix " + declared, "task", declared, 0,
                List.of("harmonix:task/shop/0"), null, null);
    }

    @Test
    void aTaskIsHighRiskByDefaultAndItsDeclaredRiskOnlyRaisesTheRules() {
        ScoringRules defaults = new ScoringRules(ScoringRules.DEFAULTS);
        assertEquals(Map.of("fix LOW", Risk.HIGH, "fix MEDIUM", Risk.HIGH, "fix CRITICAL", Risk.CRITICAL),
                defaults.score(List.of(task(Risk.LOW), task(Risk.MEDIUM), task(Risk.CRITICAL)), Map.of()).stream()
                        .collect(java.util.stream.Collectors.toMap(Scored::title, Scored::risk)),
                "a tasks file cannot declare its own change low risk");
        ScoringRules configured = new ScoringRules(List.of("task=3/low"));
        assertEquals(Map.of("fix LOW", Risk.LOW, "fix HIGH", Risk.HIGH), configured.score(List.of(task(Risk.LOW),
                task(Risk.HIGH)), Map.of()).stream().collect(java.util.stream.Collectors.toMap(Scored::title,
                        Scored::risk)), "the runtime's rule lowers it; the task may raise it");
        assertEquals(Risk.LOW, configured.score(List.of(task(null)), Map.of()).get(0).risk());
    }

    @Test
    void configuredRulesReplaceTheDefaultsOfTheirKeysOnlyAndMayShareALine() {
        ScoringRules r = new ScoringRules(List.of("task=2/medium, security.high=3"));
        assertTrue(r.describe().contains("task=2/medium"));
        assertTrue(r.describe().contains("security.high=3"));
        assertTrue(r.describe().contains("main-red=1/medium"), "the other defaults stay");
    }

    @Test
    void aRuleWhoseChangesFailMoreThanTheyAreKeptLosesPriority() {
        ScoringRules r = new ScoringRules(ScoringRules.DEFAULTS);
        Signal s = finding("shop", "quality", "medium", Risk.LOW, "q");
        assertEquals(3, r.score(List.of(s), Map.of()).get(0).priority());
        assertEquals(3, r.score(List.of(s), Map.of("quality.medium", new int[] {2, 2})).get(0).priority());
        Scored lost = r.score(List.of(s), Map.of("quality.medium", new int[] {1, 2})).get(0);
        assertEquals(4, lost.priority());
        assertEquals("rule *.medium, +1 for 2 failed against 1 kept", lost.why());
        assertEquals(5, r.score(List.of(s), Map.of("quality.medium", new int[] {0, 9})).get(0).priority(),
                "never past 5");
        assertEquals(3, r.score(List.of(s), Map.of("security.medium", new int[] {0, 9})).get(0).priority(),
                "another rule's failures do not count");
    }

    @Test
    void theFindingAndTheEnhancementThatFixesItAreOneItem() {
        Signal f = finding("shop", "quality", "low", Risk.LOW, "fp1");
        Signal.Change change = new Signal.Change("proposal", "remove import", "quality/R", 12, null, null);
        Signal e = new Signal("shop", "enhancement", ItemType.CHORE, Sense.titleOf("quality", "R", "fp1"),
                "validated enhancement 12: remove import", Risk.MEDIUM, 0, List.of("harmonix:enhancement/12"),
                null, change);
        List<Scored> s = new ScoringRules(ScoringRules.DEFAULTS).score(List.of(f, e), Map.of());
        assertEquals(1, s.size());
        assertEquals(List.of("harmonix:finding/fp1", "harmonix:enhancement/12"), s.get(0).evidence());
        assertEquals(change, s.get(0).change());
        assertEquals(3, s.get(0).priority(), "the more urgent of enhancement=3 and *.low=4");
        assertEquals(Risk.MEDIUM, s.get(0).risk(), "the higher risk");
    }

    @Test
    void badRulesSayWhatWasExpected() {
        assertEquals("scoringRules: 'security.high': expected KEY=PRIORITY or KEY=PRIORITY/RISK (security.high=1, "
                + "*.low=4/low)", assertThrows(IllegalArgumentException.class,
                        () -> new ScoringRules(List.of("security.high"))).getMessage());
        assertEquals("scoringRules: 'x=0': the priority must be 1 to 5; was '0'",
                assertThrows(IllegalArgumentException.class, () -> new ScoringRules(List.of("x=0"))).getMessage());
        assertEquals("scoringRules: 'x=2/huge': the risk must be low, medium, high or critical; was 'huge'",
                assertThrows(IllegalArgumentException.class, () -> new ScoringRules(List.of("x=2/huge")))
                        .getMessage());
    }
}
