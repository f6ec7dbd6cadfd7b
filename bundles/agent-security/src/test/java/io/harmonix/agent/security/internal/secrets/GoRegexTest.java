package io.harmonix.agent.security.internal.secrets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.junit.jupiter.api.Test;

/** Each Go construct Java refuses or reads differently, rewritten; and the whole shipped rule set compiling. */
class GoRegexTest {
    @Test
    void aBareBraceIsEscapedAndARepetitionIsKept() {
        String go = "^\\${(?:[A-Z_]+)}$";
        assertThrows(PatternSyntaxException.class, () -> Pattern.compile(go));
        assertEquals("^\\$\\{(?:[A-Z_]+)}$", GoRegex.toJava(go));
        assertTrue(Pattern.compile(GoRegex.toJava(go)).matcher("${HOME}").matches());
        assertEquals("a{2,3}b{4}c{1,}", GoRegex.toJava("a{2,3}b{4}c{1,}"));
        assertEquals("x\\{,3}", GoRegex.toJava("x{,3}"), "Go reads {,n} as literal text");
    }

    @Test
    void aGroupNameWithAnUnderscoreLosesItAndPythonSyntaxBecomesJavas() {
        String java = GoRegex.toJava("(?P<key_ops>[a-z]+)=(?P<alg>\\d+)");
        assertEquals("(?<keyops>[a-z]+)=(?<alg>\\d+)", java);
        var m = Pattern.compile(java).matcher("sign=42");
        assertTrue(m.matches());
        assertEquals("sign", m.group("keyops"));
        assertEquals("keyops", GoRegex.groupName("key_ops"));
    }

    @Test
    void aBracketOrAmpersandsInAClassAreLiteralsAsInGo() {
        String java = GoRegex.toJava("[a[&&b]+");
        assertEquals("[a\\[\\&\\&b]+", java);
        assertTrue(Pattern.compile(java).matcher("a[&&b").matches());
        assertEquals("[\\]a]", GoRegex.toJava("[]a]"), "a leading ] is a literal in both");
        assertEquals("[^\\]a]", GoRegex.toJava("[^]a]"));
    }

    @Test
    void posixClassesBecomeJavaProperties() {
        String java = GoRegex.toJava("[[:alnum:]_][[:^digit:]]");
        assertEquals("[\\p{Alnum}_][\\P{Digit}]", java);
        assertTrue(Pattern.compile(java).matcher("a_x").find());
        assertFalse(Pattern.compile(java).matcher("a5").find());
    }

    @Test
    void escapesAndFlagsPassUnchanged() {
        String go = "(?i)\\bkey\\{[\\w.-]{0,50}\\z(?-i:X)";
        assertEquals(go, GoRegex.toJava(go));
    }

    @Test
    void everyShippedRuleCompilesAndFiveNeededRewriting() throws IOException {
        GitleaksRules rules = GitleaksRules.shipped();
        assertEquals(222, rules.rules().size());
        int[] refused = {0};
        try (InputStream in = GitleaksRules.class.getResourceAsStream(GitleaksRules.RESOURCE)) {
            var root = new com.fasterxml.jackson.dataformat.toml.TomlMapper().readTree(in);
            root.findValues("regex").forEach(r -> refused[0] += refused(r.asText()));
            root.findValues("path").forEach(r -> refused[0] += refused(r.asText()));
            root.findValues("regexes").forEach(list -> list.forEach(r -> refused[0] += refused(r.asText())));
            root.findValues("paths").forEach(list -> list.forEach(r -> refused[0] += refused(r.asText())));
        }
        // four bare braces (three in allowlists, one in a rule) and the (?P<key_ops>...) groups of jwt-base64
        assertEquals(5, refused[0], "the regexes (rules and allowlists) Java refuses as gitleaks writes them");
        assertTrue(rules.global().allowsPath("web/img/logo.png"));
        assertTrue(rules.global().allowsPath("node_modules/x/index.js"));
        assertFalse(rules.global().allowsPath("src/main/resources/app.properties"));
    }

    private static int refused(String regex) {
        try {
            Pattern.compile(regex);
            return 0;
        } catch (PatternSyntaxException e) {
            return 1;
        }
    }

    @Test
    void aRuleThatDoesNotCompileIsAnErrorNamingIt() {
        String toml = "[[rules]]\nid = \"broken\"\nregex = '''(unclosed'''\n";
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> GitleaksRules.read(
                new java.io.ByteArrayInputStream(toml.getBytes(java.nio.charset.StandardCharsets.UTF_8)),
                "my.toml"));
        assertTrue(e.getMessage().startsWith("my.toml rule 'broken' regex does not compile"), e.getMessage());
    }
}
