package io.harmonix.agent.architecture.internal.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.harmonix.agent.architecture.internal.analysis.LayeringRules.Rule;
import java.util.List;
import org.junit.jupiter.api.Test;

class LayeringRulesTest {
    @Test
    void patternsMatchWholeNamesStarOneNameAndDotDotAnyNumber() {
        Rule rule = one("deny io.harmonix.*.api -> ..internal..");
        assertTrue(rule.from().matcher("io.harmonix.enhance.api").matches());
        assertFalse(rule.from().matcher("io.harmonix.enhance.api.x").matches(), "no sub-package without '..'");
        assertFalse(rule.from().matcher("io.harmonix.a.b.api").matches(), "'*' is one name");
        assertTrue(rule.to().matcher("io.harmonix.runner.internal").matches());
        assertTrue(rule.to().matcher("io.harmonix.runner.internal.command").matches());
        assertTrue(rule.to().matcher("internal").matches(), "'..' may stand for no name");
        assertFalse(rule.to().matcher("io.harmonix.internals").matches(), "names match whole");

        Rule runner = one("deny io.harmonix.runner.. -> io.harmonix.state.internal..");
        assertTrue(runner.from().matcher("io.harmonix.runner").matches());
        assertTrue(runner.from().matcher("io.harmonix.runner.internal.command").matches());
        assertFalse(runner.from().matcher("io.harmonix.runnerx").matches());
    }

    @Test
    void fromOtherModuleRulesHaveNoFromSide() {
        Rule rule = one("  deny ..internal.. from other-module   # internals are private");
        assertTrue(rule.otherModule());
        assertEquals("deny ..internal.. from other-module", rule.text());
        assertEquals(1, rule.line());
    }

    @Test
    void blankLinesAndCommentsAreSkippedAndLinesCounted() {
        List<Rule> rules = LayeringRules.parse("r", List.of("# header", "", "deny a -> b", "  # x", "deny c -> d"));
        assertEquals(List.of(3, 5), rules.stream().map(Rule::line).toList());
    }

    @Test
    void parseErrorsSayWhereAndWhatWasExpected() {
        error("allow a -> b", "r:1:1: expected 'deny' but found 'allow'");
        error("deny a -> ", "r:1:10: expected a package name or '*' but found the end of the line");
        error("deny a.-b -> c", "r:1:8: expected a package name or '*' but found '-b'");
        error("deny a to b", "r:1:8: expected '->' or 'from other-module' but found 'to'");
        error("deny a from elsewhere", "r:1:13: expected 'other-module' but found 'elsewhere'");
        error("deny a -> b c", "r:1:13: expected the end of the rule but found 'c'");
        error("deny a... -> b", "r:1:9: expected '->' or 'from other-module' but found '.'");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> LayeringRules.parse(
                "rules.txt", List.of("deny a -> b", "# fine", "deny ..api.. => x")));
        assertEquals("rules.txt:3:14: expected '->' or 'from other-module' but found '=>'", e.getMessage());
    }

    private static Rule one(String line) {
        List<Rule> rules = LayeringRules.parse("r", List.of(line));
        assertEquals(1, rules.size());
        return rules.get(0);
    }

    private static void error(String line, String message) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> LayeringRules.parse("r",
                List.of(line)));
        assertEquals(message, e.getMessage(), line);
    }
}
